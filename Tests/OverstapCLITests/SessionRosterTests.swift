import Foundation
import OverstapTestSupport
import Testing

/// `session roster`: the trainer's list by roster row, without names for people who did not
/// agree, read back by `session attendance --from`.
struct SessionRosterTests {
    let cli = CLI()

    /// A single evening (session 1, 2 February) and a weekly series of three (session 2, from 9
    /// February), each with ann, bob, cas and dik in that order (roster rows 1–4).
    init() throws {
        try cli.addPartner()
        _ = try cli.createSession()
        _ = try cli.createSession(SessionDraft().with("--start", "2027-02-09 19:00").with("--repeat", "FREQ=WEEKLY;COUNT=3").with("--title", "Reeks"))
        let people = ["ann", "bob", "cas", "dik"]
        let rows = people.map { WorkerFile.row("\($0)@example.nl", name: $0.capitalized) }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", ([WorkerFile.header] + rows).joined(separator: "\n"))]))
        for person in people {
            expectSuccess(try cli.run(["enroll", "add", "\(person)@example.nl", "1"]))
            expectSuccess(try cli.run(["enroll", "add", "\(person)@example.nl", "2", "--override", "tweede cursus"]))
        }
        expectSuccess(try cli.run(["invite"]))
    }

    @Test func withoutConsentTheListHasRowNumbersAndNoNamesOrAddresses() throws {
        expectSuccess(try cli.run(["enroll", "remove", "bob@example.nl", "1"]))
        let text = try cli.run(["session", "roster", "1"])
        expectSuccess(text)
        #expect(text.stdout.hasPrefix("session 1: Van keuken naar zorg (Partner roc-midden)\nNR  NAME  E-MAIL  2027-02-02 19:00\n"))
        let rows = text.stdout.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").first.map(String.init) }
        #expect(rows == ["1", "3", "4"], "bob gave up his seat: no row")
        for result in [text, try cli.run(["session", "roster", "1", "--format", "csv"]), try cli.run(["session", "roster", "1", "--format", "html"])] {
            for person in ["ann", "bob", "cas", "dik"] {
                #expect(!result.stdout.contains("\(person)@example.nl") && !result.stdout.contains(person.capitalized), "\(person) did not agree")
            }
        }
        let csv = try cli.run(["session", "roster", "1", "--format", "csv"]).stdout
        #expect(csv == "nr,naam,e-mail,aanwezig\r\n1,,,\r\n3,,,\r\n4,,,\r\n")
    }

    @Test func theFilledInListIsReadBackByTheAttendanceCommand() throws {
        let file = cli.directory.file("lijst.csv")
        expectSuccess(try cli.run(["session", "roster", "1", "--format", "csv", "--output", file]))
        let blank = try String(contentsOfFile: file, encoding: .utf8)
        // The trainer ticks the last column.
        let ticks = ["1": "ja", "2": "nee", "3": "ja", "4": "afgemeld"]
        let filled = blank.components(separatedBy: "\r\n").map { line in
            guard let number = line.split(separator: ",", omittingEmptySubsequences: false).first, let mark = ticks[String(number)] else { return line }
            return line + mark
        }.joined(separator: "\r\n")
        try filled.write(toFile: file, atomically: true, encoding: .utf8)
        let recorded = try cli.run(["session", "attendance", "1", "--from", file], env: ["OVERSTAP_NOW": "2027-02-02T21:00:00+01:00"])
        expectSuccess(recorded)
        #expect(recorded.stdout.hasPrefix("session 1, meeting of 2027-02-02 19:00: 2 attended, 1 no-show, 1 excused\n"))
    }

    @Test func aSeriesHasAColumnPerMeetingAsTheyAreNow() throws {
        expectSuccess(try cli.run(["session", "cancel", "2", "--meeting", "2027-02-16", "--reason", "De docent is ziek"]))
        expectSuccess(try cli.run(["session", "update", "2", "--meeting", "2027-02-23", "--start", "2027-02-22 19:00"]))
        let csv = try cli.run(["session", "roster", "2", "--format", "csv"])
        expectSuccess(csv)
        #expect(csv.stdout.hasPrefix("nr,naam,e-mail,2027-02-09 19:00,2027-02-22 19:00\r\n1,,,,\r\n"))
        let html = try cli.run(["session", "roster", "2", "--format", "html"]).stdout
        #expect(html.contains("<th scope=\"col\">2027-02-22 19:00</th>") && !html.contains("2027-02-16"))
        #expect(html.components(separatedBy: "<td class=\"tick\"></td>").count - 1 == 8)
    }

    @Test func theListOfOneMeetingOfASeriesIsReadBackForThatMeeting() throws {
        expectSuccess(try cli.run(["session", "cancel", "2", "--meeting", "2027-02-16"]))
        expectRefused(try cli.run(["session", "roster", "2", "--meeting", "2027-02-16"]), mentioning: [
            "--meeting 2027-02-16: the meeting of 2027-02-16 is cancelled", "2027-02-09, 2027-02-23",
        ])
        expectRefused(try cli.run(["session", "roster", "2", "--meeting", "2027-02-10"]), mentioning: ["session 2 has no meeting on 2027-02-10"])
        let file = cli.directory.file("week3.csv")
        expectSuccess(try cli.run(["session", "roster", "2", "--meeting", "2027-02-23", "--format", "csv", "--output", file]))
        let blank = try String(contentsOfFile: file, encoding: .utf8)
        #expect(blank == "nr,naam,e-mail,aanwezig\r\n1,,,\r\n2,,,\r\n3,,,\r\n4,,,\r\n")
        try blank.replacingOccurrences(of: ",,,\r\n", with: ",,,ja\r\n").write(toFile: file, atomically: true, encoding: .utf8)
        let recorded = try cli.run(
            ["session", "attendance", "2", "--meeting", "2027-02-23", "--from", file], env: ["OVERSTAP_NOW": "2027-02-23T21:00:00+01:00"])
        expectSuccess(recorded)
        #expect(recorded.stdout.hasPrefix("session 2, meeting of 2027-02-23 19:00: 4 attended, 0 no-show, 0 excused\n"))
    }

    @Test func theOutputFileIsForItsOwnerOnlyWhateverTheUmask() throws {
        let file = cli.directory.file("roster.html")
        try "older, readable by all".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let written = try cli.run(["session", "roster", "1", "--format", "html", "--output", file], umask: "000")
        expectSuccess(written)
        #expect(written.stdout == "wrote the roster of session 1 (4 rows) to \(file)\n")
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("<h1>Presentielijst: Van keuken naar zorg</h1>"))
    }

    @Test func anUnknownSessionOrUnwritableFileIsRefusedWithTheFix() throws {
        expectRefused(try cli.run(["session", "roster", "9"]), mentioning: ["no session '9'", "overstap session list"])
        expectRefused(try cli.run(["session", "roster", "1", "--output", cli.directory.file("no/such/folder/roster.csv")]), mentioning: [
            "--output: cannot write", "check that the folder exists",
        ])
        expectRefused(try cli.run(["session", "roster", "1", "--format", "pdf"]), status: 2, mentioning: ["--format"])
    }
}
