import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

extension WorkerCommand {
    /// `overstap worker outcome …`
    struct Outcome: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outcome",
            abstract: "Record what became of a person after the sessions, or import a follow-up list; without --result, show the history.",
            discussion: """
                Outcomes are added, never overwritten: a person may go from in_training to found_work, and both stay. \
                There is no free-text field, so no health or other sensitive details end up in Overstap.
                A follow-up list (--import) has the columns email,result,sector,date (in Dutch e-mail,uitkomst,sector,datum; \
                resultaat for uitkomst too). Results: found_work, in_training, still_looking, stopped (in Dutch werk_gevonden, \
                in_opleiding, zoekend, gestopt). Every row is checked, including that the person was imported; all rows are \
                stored or none.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The worker's e-mail address.") var email: String?
        @Option(help: "found_work, in_training, still_looking or stopped (Dutch words too).") var result: String?
        @Option(help: "Sector code of the work or training (config/sectors.yaml).") var sector: String?
        @Option(help: "The day it began, YYYY-MM-DD (default: today).") var date: String?
        @Option(name: .customLong("import"), help: "A CSV follow-up list: email,result,sector,date (all rows or none).")
        var file: String?

        func validate() throws {
            if (email == nil) == (file == nil) { throw ValidationError("give either an e-mail address or --import FILE, not both or neither") }
            if file != nil, result != nil || sector != nil || date != nil {
                throw ValidationError("--result, --sector and --date are for one person; a file gives them per row")
            }
            if result == nil, sector != nil || date != nil { throw ValidationError("--sector and --date need --result") }
        }

        func run() async throws {
            let service = try await global.service()
            if let file {
                let imported = try await service.importOutcomes(path: file)
                print("recorded \(imported.rows) outcome\(imported.rows == 1 ? "" : "s") for \(imported.people) "
                    + "\(imported.people == 1 ? "person" : "people")")
                return
            }
            let email = email ?? ""
            if let result {
                let outcome = try await service.recordOutcome(email: email, result: result, sector: sector, date: date)
                print("recorded \(outcome.result.rawValue)\(outcome.sector.map { " in \($0)" } ?? "") on \(outcome.date) for \(email)")
                return
            }
            let history = try await service.outcomes(email: email)
            struct View: Encodable {
                var result: String
                var sector: String?
                var date: String
            }
            let views = history.map { View(result: $0.result.rawValue, sector: $0.sector, date: $0.date.description) }
            if output.json { return try JSONOutput.print(views) }
            guard !views.isEmpty else {
                return print("no outcomes recorded for \(email); add one with: overstap worker outcome \(email) --result RESULT")
            }
            var table = TextTable(headers: ["DATE", "RESULT", "SECTOR"])
            table.rows = views.map { [$0.date, $0.result, $0.sector ?? ""] }
            print(table.render())
        }
    }
}
