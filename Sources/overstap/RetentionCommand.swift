import ArgumentParser
import Foundation
import OverstapService

/// `overstap retention`
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Erase people past retention.personal_data, keeping their report figures as anonymous aggregates.",
        subcommands: [Run.self])

    /// `overstap retention run`
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase everyone whose last session, outcome or import is longer ago than retention.personal_data.",
            discussion: """
                Each person goes as with `overstap worker remove`: nothing of them is left in the database, its \
                log or the mail folder. Before that, in the same transaction, their part of every figure of \
                `overstap report` is added to anonymous aggregates, so reports stay the same. `overstap due` (and \
                so the daemon and `overstap outbox send`) does this on its own; this command does it by hand.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Count who would be erased, changing nothing.") var dryRun = false

        func run() async throws {
            let report = try await global.service().runRetention(dryRun: dryRun)
            if output.json { return try JSONOutput.print(RetentionView(report)) }
            let people = "\(report.erased) \(report.erased == 1 ? "person" : "people")"
            if report.dryRun {
                print("would erase \(people) past retention.personal_data (\(report.period)); nothing changed")
            } else {
                print("erased \(people) past retention.personal_data (\(report.period)); their report figures are kept as anonymous aggregates")
            }
        }
    }
}

/// What `overstap retention run --json` prints.
struct RetentionView: Encodable {
    var erased: Int
    var dryRun: Bool
    var period: String

    init(_ report: OverstapService.RetentionReport) {
        erased = report.erased
        dryRun = report.dryRun
        period = report.period
    }

    enum CodingKeys: String, CodingKey {
        case erased, period
        case dryRun = "dry_run"
    }
}
