import ArgumentParser
import OverstapCore
import OverstapService

/// `overstap worker …`
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "People looking for work in another sector.",
        subcommands: [Import.self, Add.self, List.self, Show.self, Deliverable.self, Remove.self, Outcome.self])
}

extension WorkerCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import workers from a CSV file (all rows or none).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file (UTF-8, comma or semicolon).") var file: String
        @Flag(help: "Check the file and report what would change, without writing (not even a new database file).") var dryRun = false
        @Flag(help: "Leave out columns Overstap does not know (BSN, phone) without reading them; their names are printed.")
        var skipUnknownColumns = false

        func run() async throws {
            let result: OverstapService.ImportResult
            if dryRun {
                let settings = try await global.loadConfig().settings
                result = try await OverstapService.previewWorkerImport(path: file, skipUnknownColumns: skipUnknownColumns, settings: settings)
            } else {
                result = try await global.service().importWorkers(path: file, dryRun: false, skipUnknownColumns: skipUnknownColumns)
            }
            if !result.skippedColumns.isEmpty {
                print("skipped \(Self.count(result.skippedColumns.count, "column")) unread: \(result.skippedColumns.joined(separator: ", "))")
            }
            let verb = result.dryRun ? "would import" : "imported"
            print("\(verb) \(Self.count(result.rows, "worker")): \(result.inserted) new, \(result.updated) updated")
        }

        /// `1 worker`, `2 workers`.
        static func count(_ number: Int, _ noun: String) -> String {
            "\(number) \(noun)\(number == 1 ? "" : "s")"
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add one person who is not in the last export, with the import's checks.",
            discussion: """
                The options are the worker CSV's columns and take the same values. A known address is refused: \
                a CSV import updates known people. Place the new worker with: overstap enroll add EMAIL SESSION
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "E-mail address (invitations go there).") var email: String?
        @Option(help: "Full name.") var name: String?
        @Option(help: "The sector they work or worked in (see config/sectors.yaml).") var sector: String?
        @Option(help: "Sectors they want to move to, separated by |, e.g. zorg|techniek.") var targets: String?
        @Option(help: "Their labour-market region (see config/regions.yaml).") var region: String?
        @Option(help: "Languages they speak, ISO 639-1 codes separated by |, e.g. nl|en.") var languages: String?
        @Option(help: "Weekly windows separated by |, e.g. \"di 18:00-21:00|za 09:00-12:30\".") var availability: String?
        @Option(help: "First date they can attend (YYYY-MM-DD).") var availableFrom: String?
        @Option(help: "Last date they can attend (YYYY-MM-DD).") var availableUntil: String?
        @Option(help: "unemployed or at_risk (werkloos or baan_in_gevaar).") var status: String?
        @Option(help: "Language of their mails: nl (default) or en.") var locale: String?

        /// Column name → value, as the CSV would hold them.
        var values: [String: String] {
            let pairs: [(String, String?)] = [
                ("email", email), ("name", name), ("sector", sector), ("targets", targets), ("region", region), ("languages", languages),
                ("availability", availability), ("available_from", availableFrom), ("available_until", availableUntil),
                ("status", status), ("locale", locale),
            ]
            return Dictionary(uniqueKeysWithValues: pairs.compactMap { key, value in value.map { (key, $0) } })
        }

        /// The option a CSV column is given with.
        @Sendable static func option(_ column: String) -> String { "--" + String(column.map { $0 == "_" ? "-" : $0 }) }

        func validate() throws {
            let missing = WorkerCSV.requiredColumns.filter { values[$0] == nil }.map(Self.option)
            guard missing.isEmpty else {
                throw ValidationError("missing \(missing.count == 1 ? "option" : "options"): \(missing.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let worker = try await global.service().addWorker(values: values, placeOf: Self.option)
            print("added \(worker.name) <\(worker.email)>; place them with: overstap enroll add \(worker.email) SESSION")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List workers in import order.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let service = try await global.service()
            var formatter = TimeFormatter()
            let views = try await service.workers().map { WorkerView($0, formatter: &formatter, zone: service.settings.timezone) }
            if output.json { return try JSONOutput.print(views) }
            var table = TextTable(headers: ["EMAIL", "NAME", "FROM", "TO", "REGION", "STATUS", "UNDELIVERABLE SINCE"])
            table.rows = views.map {
                [$0.email, $0.name, $0.sector, $0.targets.joined(separator: "|"), $0.region, $0.status, $0.undeliverableSince.map { String($0.prefix(16)) } ?? ""]
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
            let service = try await global.service()
            let (worker, enrollments) = try await service.worker(email: email)
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
                return try JSONOutput.print(
                    View(worker: WorkerView(worker, formatter: &formatter, zone: service.settings.timezone), enrollments: views))
            }
            let view = WorkerView(worker, formatter: &formatter, zone: service.settings.timezone)
            print("\(view.name) <\(view.email)>")
            print("from: \(view.sector)  to: \(view.targets.joined(separator: ", "))  region: \(view.region)  status: \(view.status)")
            print("languages: \(view.languages.joined(separator: ", "))  locale: \(view.locale)")
            print("available: \(view.availability.joined(separator: ", "))"
                + (view.availableFrom.map { " from \($0)" } ?? "") + (view.availableUntil.map { " until \($0)" } ?? ""))
            if let since = view.undeliverableSince {
                print("mail: undeliverable since \(since) (the mailbox does not exist; matching skips them)")
                print("      when the address works again: overstap worker deliverable \(view.email)")
            }
            print("")
            var table = TextTable(headers: ["SESSION", "START", "TITLE", "STATE"])
            table.rows = views.map { [$0.session ?? "", $0.start ?? "", $0.title ?? "", $0.state] }
            print(views.isEmpty ? "no enrollments" : table.render())
        }
    }

    struct Deliverable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear the undeliverable flag: of one address, or of everyone flagged since a time (to undo an incident).",
            discussion: """
                A worker is flagged undeliverable when the mail server says their mailbox does not exist; \
                matching then skips them. Only this command clears the flag: a re-import does not.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The worker's e-mail address.") var email: String?
        @Option(help: "Clear everyone flagged at or after this time: \"YYYY-MM-DD HH:MM\" in the configured zone, or with an offset.")
        var since: String?

        func validate() throws {
            if (email == nil) == (since == nil) { throw ValidationError("give either an e-mail address or --since TIME, not both or neither") }
        }

        func run() async throws {
            let service = try await global.service()
            if let since {
                let cleared = try await service.markDeliverable(flaggedSince: since, place: "--since")
                print(cleared.isEmpty ? "nobody was flagged undeliverable since \(since)"
                    : "cleared \(cleared.count) worker\(cleared.count == 1 ? "" : "s") flagged since \(since); matching considers them again")
                for email in cleared { print("  \(email)") }
                return
            }
            let email = email ?? ""
            if try await service.markDeliverable(email: email) {
                print("\(email) is deliverable again; matching considers them again (place them with: overstap match --commit)")
            } else {
                print("\(email) was not flagged undeliverable; nothing changed")
            }
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
