import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

extension SessionCommand {
    /// `overstap session roster ID …`
    struct Roster: AsyncParsableCommand {
        /// The formats of the trainer's list.
        enum Format: String, CaseIterable, ExpressibleByArgument {
            case text, csv, html
        }

        static let configuration = CommandConfiguration(
            abstract: "The trainer's list: a numbered row per seat, names only for those who agreed.",
            discussion: """
                Everyone holding a seat gets a row with their roster number (the number session attendance takes). \
                Name and e-mail address show only for people who agreed on their answer page that the session's \
                partners may see them; the others have a number without a name. One empty column per meeting that \
                takes place (moved meetings at their new time) is left for the trainer to tick; --meeting DATE gives the \
                list of one meeting of a series. A CSV with one meeting, filled in with ja/nee, reads back with: \
                overstap session attendance ID [--meeting DATE] --from FILE. \
                The list holds personal data: --output writes it readable by its owner only (0600).
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The session id.") var id: Int64
        @Option(help: "Only this meeting of a series: its original date (YYYY-MM-DD).") var meeting: String?
        @Option(help: "text (default), csv or html (one page to print).") var format: Format = .text
        @Option(help: "Write the list to this file (owner-only) instead of standard output.") var output: String?

        func run() async throws {
            let roster = try await global.service().roster(sessionID: id, meeting: meeting)
            let rendered =
                switch format {
                case .text: Self.text(roster)
                case .csv: Self.csv(roster)
                case .html: Self.html(roster)
                }
            guard let output else {
                FileHandle.standardOutput.write(Data(rendered.utf8))
                return
            }
            try Self.writePrivate(rendered, to: output)
            print("wrote the roster of session \(id) (\(roster.rows.count) rows) to \(output)")
        }

        /// A meeting as a column heading: `2027-02-02 19:00`.
        static func label(_ meeting: LocalDateTime) -> String {
            "\(meeting.date) " + String(format: "%02d:%02d", meeting.hour, meeting.minute)
        }

        /// The tick columns: `aanwezig` for a single meeting (so the filled-in CSV reads back as an
        /// attendance list), the meeting's date and time for each meeting of a series.
        static func tickHeadings(_ roster: OverstapService.Roster) -> [String] {
            roster.meetings.count == 1 ? ["aanwezig"] : roster.meetings.map(label)
        }

        static func text(_ roster: OverstapService.Roster) -> String {
            var table = TextTable(headers: ["NR", "NAME", "E-MAIL"] + roster.meetings.map(label))
            table.rows = roster.rows.map { row in
                [row.number.map(String.init) ?? "-", row.name ?? "", row.email ?? ""] + roster.meetings.map { _ in "[ ]" }
            }
            return "session \(roster.sessionID): \(roster.title) (\(roster.partners.joined(separator: ", ")))\n" + table.render() + "\n"
        }

        static func csv(_ roster: OverstapService.Roster) -> String {
            let lines = [["nr", "naam", "e-mail"] + tickHeadings(roster)]
                + roster.rows.map { row in
                    [row.number.map(String.init) ?? "", row.name ?? "", row.email ?? ""] + roster.meetings.map { _ in "" }
                }
            return lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        }

        static func html(_ roster: OverstapService.Roster) -> String {
            let headings = (["Nr", "Naam", "E-mail"] + roster.meetings.map(label)).map { "<th scope=\"col\">\(HTMLText.escape($0))</th>" }.joined()
            let rows = roster.rows.map { row in
                "<tr><td>\(row.number.map(String.init) ?? "")</td><td>\(HTMLText.escape(row.name ?? ""))</td><td>\(HTMLText.escape(row.email ?? ""))</td>"
                    + roster.meetings.map { _ in "<td class=\"tick\"></td>" }.joined() + "</tr>"
            }
            return """
                <!DOCTYPE html>
                <html lang="nl">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex">
                <title>Presentielijst – \(HTMLText.escape(roster.title))</title>
                <style>
                body { font-family: sans-serif; margin: 1em; }
                table { border-collapse: collapse; width: 100%; }
                th, td { border: 1px solid #555; padding: 0.4em 0.5em; text-align: left; }
                td.tick { min-width: 3em; }
                @media print { body { margin: 0; } }
                </style>
                </head>
                <body>
                <h1>Presentielijst: \(HTMLText.escape(roster.title))</h1>
                <p>Sessie \(roster.sessionID) · \(HTMLText.escape(roster.partners.joined(separator: ", ")))</p>
                <p>Een naam staat er alleen bij wie daar toestemming voor gaf; de anderen hebben alleen een nummer. Vink per bijeenkomst aan wie er was.</p>
                <table>
                <thead><tr>\(headings)</tr></thead>
                <tbody>
                \(rows.joined(separator: "\n"))
                </tbody>
                </table>
                </body>
                </html>

                """
        }

        /// Writes a file with personal data for its owner only: a new file created 0600 beside the
        /// target and renamed over it, so no other user can read it at any moment.
        static func writePrivate(_ text: String, to path: String) throws {
            let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw InputError(place: "--output", problem: "cannot write \(path)", fix: "check that the folder exists and that you may write to it")
            }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            do {
                try handle.write(contentsOf: Data(text.utf8))
                try handle.close()
                guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            } catch {
                unlink(temporary)
                throw InputError(place: "--output", problem: "cannot write \(path)", fix: "check that the folder exists and that you may write to it")
            }
        }

        private static func csvField(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}
