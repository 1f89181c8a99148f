import Foundation
import OverstapCore
import OverstapTestSupport
import Testing

struct SessionRulesTests {
    /// 2027-01-10 09:00 in Amsterdam.
    let now = Date(timeIntervalSince1970: 1_799_568_000)
    var rules: SessionRules { SessionRules(sectors: TestCatalogues.sectors, regions: TestCatalogues.regions, now: now) }

    func session(start: LocalDateTime, minutes: Int = 90, repeatRule: String? = nil) -> Session {
        Session(
            uid: "u@example.org", title: "Van keuken naar zorg", description: "", kind: .webinar, partners: ["roc"],
            sector: "zorg", audience: ["horeca"], start: start, end: start.adding(minutes: minutes),
            timezone: "Europe/Amsterdam", recurrence: repeatRule, capacity: 20,
            venue: .online(URL(string: "https://meet.example.org/x")!), region: "midden-utrecht", language: "nl", updatedAt: now)
    }

    func problems(_ session: Session, startOffset: Int? = nil) -> [String] {
        do {
            try rules.validate(session, startOffset: startOffset)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func aWeeklySeriesAcrossTheSpringSwitchKeepsItsLocalTime() throws {
        let first = LocalDateTime(year: 2027, month: 3, day: 9, hour: 19, minute: 0)
        let series = session(start: first, repeatRule: "FREQ=WEEKLY;COUNT=6")
        let span = try rules.validate(series)
        #expect(span.start == Date(timeIntervalSince1970: 1_804_615_200))  // 2027-03-09T18:00:00Z (+01:00)
        #expect(span.end == Date(timeIntervalSince1970: 1_807_641_000))  // 2027-04-13T18:30:00Z: 20:30 local (+02:00)
        #expect(try series.meetings().allSatisfy { $0.start.hour == 19 })
    }

    @Test func aSeriesWithOneMeetingInTheGapIsRefusedNamingThatMeeting() {
        let first = LocalDateTime(year: 2027, month: 3, day: 7, hour: 2, minute: 30)
        let found = problems(session(start: first, minutes: 60, repeatRule: "FREQ=WEEKLY;COUNT=6"))
        #expect(found == ["--start (meeting 4 of 6): 2027-03-28 02:30 does not exist in Europe/Amsterdam: the clocks skip this hour (daylight-saving time starts); the next valid time is 2027-03-28 03:00"])
    }

    @Test func sessionsOnTheSwitchDaysAreFineOutsideTheSwitchedHour() throws {
        _ = try rules.validate(session(start: LocalDateTime(year: 2027, month: 3, day: 28, hour: 19, minute: 0)))
        _ = try rules.validate(session(start: LocalDateTime(year: 2027, month: 10, day: 31, hour: 19, minute: 0)))
        let ambiguous = session(start: LocalDateTime(year: 2027, month: 10, day: 31, hour: 2, minute: 15), minutes: 30)
        #expect(problems(ambiguous).first?.contains("happens twice") == true)
        #expect(problems(ambiguous, startOffset: 3600).isEmpty)
    }

    @Test func everyProblemIsReportedAtOnce() {
        var bad = session(start: LocalDateTime(year: 2026, month: 12, day: 1, hour: 19, minute: 0))
        bad.title = "Line\nBreak"
        bad.sector = "kapper"
        bad.region = "mars"
        bad.capacity = 0
        bad.venue = .online(URL(string: "ftp://files.example.org/x")!)
        bad.language = "Dutch"
        let found = problems(bad)
        for expected in ["--title", "--sector", "--region", "--capacity", "--online", "--language", "--start: 2026-12-01 19:00 is in the past"] {
            #expect(found.contains { $0.hasPrefix(expected) }, "missing \(expected) in \(found)")
        }
    }

    @Test func anEndBeforeTheStartIsRefused() {
        var bad = session(start: LocalDateTime(year: 2027, month: 2, day: 2, hour: 19, minute: 0))
        bad.end = LocalDateTime(year: 2027, month: 2, day: 2, hour: 18, minute: 0)
        #expect(problems(bad) == ["--end: the end (2027-02-02 18:00) is not after the start (2027-02-02 19:00); give a later --end or a --duration"])
    }
}
