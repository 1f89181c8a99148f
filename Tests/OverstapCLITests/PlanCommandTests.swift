import Foundation
import OverstapTestSupport
import Testing

struct PlanCommandTests {
    let cli = CLI()

    /// A Google Calendar export (LF line ends, UTC times): busy Tuesday 2 February 18:00–20:00 in Amsterdam.
    static let googleExport = """
        BEGIN:VCALENDAR
        PRODID:-//Google Inc//Google Calendar 70.9054//EN
        VERSION:2.0
        BEGIN:VEVENT
        DTSTART:20270202T170000Z
        DTEND:20270202T190000Z
        DTSTAMP:20270101T120000Z
        UID:7kukuqrfedlm2f9t0vr42q2vil@google.com
        SUMMARY:Open avond
        END:VEVENT
        END:VCALENDAR

        """

    @Test func aBusyPartnerRefusesASessionUntilForced() throws {
        try cli.addPartner()
        let file = try cli.directory.write("roc.ics", Self.googleExport)
        let imported = try cli.run(["partner", "busy", "import", "roc-midden", file])
        expectSuccess(imported)
        #expect(imported.stdout == "imported 1 busy period for roc-midden (0 free, cancelled or zero-length skipped)\n")
        expectRefused(
            try cli.run(SessionDraft().arguments),
            mentioning: ["--start", "partner 'roc-midden' is busy from 2027-02-02 18:00 to 2027-02-02 20:00", "--force"])
        #expect(try cli.sessions().isEmpty)
        #expect(try cli.createSession(SessionDraft().with("--start", "2027-02-02 20:00")) == "1")
        expectSuccess(try cli.run(SessionDraft().arguments + ["--force"]))
        #expect(try cli.sessions().count == 2)
    }

    @Test func busyImportErrorsNameTheFileAndLine() throws {
        try cli.addPartner()
        let broken = try cli.directory.write("broken.ics", "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nthis is not ics\n")
        expectRefused(try cli.run(["partner", "busy", "import", "roc-midden", broken]), mentioning: ["broken.ics:4"])
        expectRefused(
            try cli.run(["partner", "busy", "import", "nobody", try cli.directory.write("ok.ics", Self.googleExport)]),
            mentioning: ["no partner 'nobody'"])
        expectRefused(try cli.run(["partner", "busy", "import", "roc-midden", "missing.ics"]), mentioning: ["missing.ics"])
    }

    @Test func theDemoSuggestsTimesWithPeopleWhoCanCome() throws {
        expectSuccess(try cli.run(["demo"]))
        let arguments = [
            "plan", "suggest", "--partner", "roc-midden-nederland", "--sector", "zorg", "--audience", "horeca", "--duration", "90m",
            "--between", "2027-01-18..2027-01-29", "--repeat", "FREQ=WEEKLY;COUNT=3",
        ]
        let result = try cli.run(arguments + ["--json"])
        expectSuccess(result)
        let suggestions = try #require(try result.json() as? [[String: Any]], "\(result)")
        #expect(suggestions.count == 5)
        let available = suggestions.compactMap { $0["available"] as? Int }
        #expect(available.count == 5 && available == available.sorted(by: >) && available[0] > 0)
        #expect(suggestions.allSatisfy { ($0["start"] as? String)?.hasSuffix("+01:00") == true && $0["meetings"] as? Int == 3 })
        #expect(suggestions.allSatisfy {
            ($0["unemployed"] as? Int ?? -1) + ($0["at_risk"] as? Int ?? -1) == $0["available"] as? Int
        })
        let table = try cli.run(arguments)
        expectSuccess(table)
        #expect(table.stdout.contains("AVAILABLE") && table.stdout.contains("2027-01-"))
    }

    @Test func suggestRefusesBadOptionsWithAllProblemsAtOnce() throws {
        try cli.addPartner()
        expectRefused(
            try cli.run([
                "plan", "suggest", "--partner", "roc-midden", "--sector", "ruimtevaart", "--duration", "90m", "--between", "2027-01-18",
                "--hours", "9-5",
            ]),
            mentioning: ["--sector", "--between", "--hours"])
        expectRefused(
            try cli.run(["plan", "suggest", "--partner", "nobody", "--sector", "zorg", "--duration", "90m", "--between", "2027-01-18..2027-01-22"]),
            mentioning: ["no partner 'nobody'"])
    }
}
