import ArgumentParser
import Foundation
import OverstapCore
import OverstapService
import OverstapStore

/// `overstap db copy`
struct DbCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Move a SQLite deployment onto an empty PostgreSQL database, keeping every id, verified row by row.",
        discussion: """
            Stop overstap serve (and any outbox send) first: a message being sent under a live lease is refused. \
            The target is migrated and must be empty; everything is copied in one transaction, so a refusal or a \
            difference found by the verification leaves it as it was. The PostgreSQL password comes from \
            database.password or OVERSTAP_DATABASE_PASSWORD, never from the URL.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The SQLite database to move: sqlite:PATH.")
    var from: String
    @Option(help: "The empty PostgreSQL database to fill: postgres://USER@HOST[:PORT]/DATABASE.")
    var to: String

    func run() async throws {
        let loaded = try await global.loadConfig()
        let report: OverstapService.DatabaseCopyReport
        do {
            report = try await OverstapService.copyDatabase(from: from, to: to, reader: loaded.reader, now: try GlobalOptions.clock().now())
        } catch let mismatch as DatabaseCopyMismatch {
            throw CommandFailure(description: mismatch.description)
        }
        let total = report.tables.reduce(0) { $0 + $1.rows }
        if output.json {
            try JSONOutput.print(CopyView(target: report.target, tables: report.tables.map { .init(table: $0.table, rows: $0.rows) }, totalRows: total))
            return
        }
        let width = report.tables.map(\.table.count).max() ?? 0
        for table in report.tables {
            print(table.table.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(table.rows))
        }
        print("copied and verified \(total) rows in \(report.tables.count) tables to \(report.target)")
    }

    /// `db copy --json`.
    struct CopyView: Encodable {
        struct TableView: Encodable {
            var table: String
            var rows: Int
        }
        var target: String
        var tables: [TableView]
        var totalRows: Int

        enum CodingKeys: String, CodingKey {
            case target, tables
            case totalRows = "total_rows"
        }
    }
}
