import ArgumentParser
import OverstapCore
import OverstapService

/// `overstap worker …`
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "People looking for work in another sector.",
        subcommands: [Import.self, List.self, Show.self, Remove.self])
}

extension WorkerCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import workers from a CSV file (all rows or none).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file (UTF-8, comma or semicolon).") var file: String
        @Flag(help: "Check the file and report what would change, without writing.") var dryRun = false

        func run() async throws {
            let result = try await global.service().importWorkers(path: file, dryRun: dryRun)
            let verb = result.dryRun ? "would import" : "imported"
            print("\(verb) \(result.rows) workers: \(result.inserted) new, \(result.updated) updated")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List workers in import order.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let workers = try await global.service().workers()
            if output.json { return try JSONOutput.print(workers.map(WorkerView.init)) }
            var table = TextTable(headers: ["EMAIL", "NAME", "FROM", "TO", "REGION", "STATUS"])
            table.rows = workers.map {
                [$0.email, $0.name, $0.sector, $0.targets.joined(separator: "|"), $0.region, $0.status.rawValue]
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a worker and their enrollments.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The worker's e-mail address.") var email: String

        func run() async throws {
            let (worker, enrollments) = try await global.service().worker(email: email)
            var formatter = TimeFormatter()
            let views = enrollments.map {
                EnrollmentView(
                    session: String($0.session.id), title: $0.session.session.title,
                    start: formatter.rfc3339($0.session.startsAt, zone: $0.session.session.timezone),
                    state: $0.enrollment.state.rawValue)
            }
            if output.json {
                struct View: Encodable {
                    var worker: WorkerView
                    var enrollments: [EnrollmentView]
                }
                return try JSONOutput.print(View(worker: WorkerView(worker), enrollments: views))
            }
            let view = WorkerView(worker)
            print("\(view.name) <\(view.email)>")
            print("from: \(view.sector)  to: \(view.targets.joined(separator: ", "))  region: \(view.region)  status: \(view.status)")
            print("languages: \(view.languages.joined(separator: ", "))  locale: \(view.locale)")
            print("available: \(view.availability.joined(separator: ", "))"
                + (view.availableFrom.map { " from \($0)" } ?? "") + (view.availableUntil.map { " until \($0)" } ?? ""))
            print("")
            var table = TextTable(headers: ["SESSION", "START", "TITLE", "STATE"])
            table.rows = views.map { [$0.session ?? "", $0.start ?? "", $0.title ?? "", $0.state] }
            print(views.isEmpty ? "no enrollments" : table.render())
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a person completely (right to be forgotten).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The worker's e-mail address.") var email: String

        func run() async throws {
            let service = try await global.service()
            try await service.removeWorker(email: email, transport: service.mailTransport())
            print("removed")
        }
    }
}
