import Foundation
import OverstapTestSupport
import Testing

/// Absurd and hostile input: every one is refused with its place, quickly and without a crash.
struct InputLimitsTests {
    let cli = CLI()

    /// A calendar whose only zone changes at `frequency` from 1601, with one event in that zone.
    static func zoneBomb(_ frequency: String) -> String {
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//x//y//EN", "BEGIN:VTIMEZONE", "TZID:Bom", "BEGIN:STANDARD",
            "DTSTART:16010101T000000", "RRULE:FREQ=\(frequency)", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0100", "END:STANDARD",
            "END:VTIMEZONE", "BEGIN:VEVENT", "UID:a@example.org", "DTSTAMP:20270101T000000Z",
            "DTSTART;TZID=Bom:20270202T180000", "DTEND;TZID=Bom:20270202T200000", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
    }

    @Test(arguments: ["MINUTELY", "HOURLY"])
    func aTimeZoneRuleThatChangesTooOftenIsRefusedWithItsLine(frequency: String) throws {
        try cli.addPartner()
        let path = try cli.directory.write("bom.ics", Self.zoneBomb(frequency))
        let result = try cli.run(["partner", "busy", "import", "roc-midden", path])
        expectRefused(result, mentioning: ["\(path):8: RRULE:", "FREQ=\(frequency)", "time zone rule"])
    }

    /// A first Monday is day 1 to 7: libical looked for one on the 31st up to the year 20000.
    @Test func aSeriesThatNeverOccursIsRefusedWithItsLine() throws {
        try cli.addPartner()
        let text = Self.zoneBomb("YEARLY").replacingOccurrences(
            of: "DTEND;TZID=Bom:20270202T200000", with: "DTEND;TZID=Bom:20270202T200000\r\nRRULE:FREQ=MONTHLY;COUNT=40;BYDAY=1MO;BYMONTHDAY=31")
        let path = try cli.directory.write("nooit.ics", text)
        let result = try cli.run(["partner", "busy", "import", "roc-midden", path])
        expectRefused(result, mentioning: ["\(path):18: RRULE:", "BYDAY=1MO;BYMONTHDAY=31 never occurs"])
    }

    @Test func aYearlyZoneRuleFrom1601IsStillRead() throws {
        try cli.addPartner()
        let path = try cli.directory.write("outlook.ics", Self.zoneBomb("YEARLY"))
        let result = try cli.run(["partner", "busy", "import", "roc-midden", path])
        expectSuccess(result)
        #expect(result.stdout.hasPrefix("imported 1 busy period for roc-midden"))
    }

    @Test func anEventEndingBeforeItStartsIsRefusedAndKeepsThePreviousImport() throws {
        try cli.addPartner()
        expectSuccess(try cli.run(["partner", "busy", "import", "roc-midden", try cli.directory.write("goed.ics", PlanCommandTests.googleExport)]))
        let backwards = PlanCommandTests.googleExport.replacingOccurrences(of: "DTEND:20270202T190000Z", with: "DTEND:20270202T160000Z")
        let path = try cli.directory.write("achteruit.ics", backwards)
        let result = try cli.run(["partner", "busy", "import", "roc-midden", path])
        expectRefused(result, mentioning: ["\(path):6: DTEND:", "ends (20270202T160000Z) before it starts (20270202T170000Z)"])
        #expect(!result.stderr.contains("free or cancelled"))
        expectRefused(try cli.run(SessionDraft().arguments), mentioning: ["partner 'roc-midden' is busy"])
    }

    @Test func aSeriesRunningPastTheYear9999IsRefusedLikeAnyBadDate() throws {
        try cli.addPartner()
        let series = SessionDraft().with("--start", "9999-12-21 19:00").with("--repeat", "FREQ=WEEKLY;COUNT=3")
        expectRefused(try cli.run(series.arguments), mentioning: ["--repeat", "ends after 9999-12-31", "fewer meetings"])
        let last = SessionDraft().with("--start", "9999-12-31 23:30")
        expectRefused(try cli.run(last.arguments), mentioning: ["--start", "ends after 9999-12-31"])
        #expect(try cli.sessions().isEmpty)
        let id = try cli.createSession()
        expectRefused(try cli.run(["session", "update", id, "--start", "9999-12-31 23:00"]), mentioning: ["ends after 9999-12-31"])
        expectSuccess(try cli.run(["session", "list"]))
    }

    @Test func overlongTitlesAndJoinLinksAreRefused() throws {
        try cli.addPartner()
        let title = try cli.run(SessionDraft().with("--title", String(repeating: "é", count: 201)).arguments)
        expectRefused(title, mentioning: ["--title", "longer than 200 characters"])
        let link = "https://meet.example.org/" + String(repeating: "a", count: 2_000)
        expectRefused(try cli.run(SessionDraft().with("--online", link).arguments), mentioning: ["--online", "longer than 2000 characters"])
        #expect(try cli.sessions().isEmpty)
    }

    @Test func aTitleOnlyUpdateLeavesTheRemindersAlone() throws {
        try cli.addPartner()
        let id = try cli.createSession()
        let csv = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl") + "\n"
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"]))
        for title in ["Van keuken naar zorg (nieuw)", "Van keuken naar zorg (herzien)", "Van horeca naar zorg"] {
            expectSuccess(try cli.run(["session", "update", id, "--title", title]))
        }
        func reminders() throws -> [[String: Any]] {
            let result = try cli.run(["outbox", "list", "--kind", "reminder", "--json"])
            expectSuccess(result)
            return try #require(try result.json() as? [[String: Any]])
        }
        let afterTitles = try reminders()
        #expect(afterTitles.count == 2, "one per offset, never re-created")
        #expect(afterTitles.allSatisfy { $0["state"] as? String == "pending" })
        expectSuccess(try cli.run(["session", "update", id, "--start", "2027-02-03 19:00"]))
        let afterMove = try reminders()
        #expect(afterMove.filter { $0["state"] as? String == "superseded" }.count == 2)
        #expect(afterMove.filter { $0["state"] as? String == "pending" }.compactMap { $0["next_attempt"] as? String }.sorted()
            == ["2027-02-02T19:00:00+01:00", "2027-02-03T17:00:00+01:00"])
    }
}
