import ArgumentParser
import Foundation
import GRDB
import OverstapCore
import OverstapService
import OverstapStore

extension OverstapBench {
    /// Fills a `match-data` database with what a deployment holds: matching places everyone it
    /// can and invites them (enrollments and their outbox rows); a share of the invitations are
    /// sent and a few failed, so the outbox holds every state `db copy` must carry over.
    struct CopyData: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "copy-data", abstract: "Place and invite on a match-data database.")
        @Option(help: "SQLite file written by match-data.") var database: String
        @Option(help: "The repository's config file.") var config: String

        func run() async throws {
            let loaded = try await ConfigLoader().load(
                configFile: config, overrides: ["database.url": "sqlite:\(database)", "rsvp.secret": String(repeating: "b", count: 40)],
                environment: [:])
            let service = try OverstapService.open(settings: loaded.settings, clock: .fixed(Date(timeIntervalSince1970: 1_799_568_000)))
            let placed = try await service.match(.init(), commit: true).outcome.assignments.count
            let invited = try await service.invite(sessionID: nil, hold: false)
            // Outcomes of sending, written directly: the benchmark measures the copy, not SMTP.
            try await DatabaseQueue(path: database).write { db in
                try db.execute(sql: """
                    UPDATE outbox SET state = CASE WHEN id % 10 < 6 THEN 'sent' WHEN id % 10 = 6 THEN 'failed' ELSE state END,
                        attempts = CASE WHEN id % 10 <= 6 THEN 1 ELSE 0 END,
                        sent_at = CASE WHEN id % 10 < 6 THEN created_at END,
                        last_error = CASE WHEN id % 10 = 6 THEN '550 5.1.1 mailbox unavailable' END;
                    """)
            }
            let counts = try await DatabaseQueue(path: database).read { db in
                try ["worker", "session", "enrollment", "outbox"].map { "\($0) \(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? 0)" }
            }
            print("placed \(placed), invited \(invited); rows: \(counts.joined(separator: ", "))")
        }
    }

    /// Times `overstap db copy`: the SQLite database into an empty PostgreSQL one, verified row by row.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "copy", abstract: "Time db copy from SQLite to PostgreSQL.")
        @Option(help: "SQLite file.") var database: String
        @Option(help: "Empty PostgreSQL database: postgres://USER@HOST:PORT/DATABASE.") var to: String
        @Option(help: "The repository's config file.") var config: String

        func run() async throws {
            let loaded = try await ConfigLoader().load(configFile: config, overrides: [:], environment: [:])
            let start = ContinuousClock.now
            let report = try await OverstapService.copyDatabase(
                from: "sqlite:\(database)", to: to, reader: loaded.reader, now: Date(timeIntervalSince1970: 1_799_568_000))
            let elapsed = ContinuousClock.now - start
            for table in report.tables where table.rows > 0 { print("  \(table.table): \(table.rows) rows") }
            let total = report.tables.reduce(0) { $0 + $1.rows }
            print(String(format: "db copy (migrate, copy, reset sequences, verify row by row, commit): %d rows in %.2f s", total,
                Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
    }
}
