import Foundation
import ICalendar
import Testing

/// The work one file may cause is bounded: zone rules that change too often and series that need
/// too many steps are refused with their line instead of running for ever.
struct ExpansionBudgetTests {
    let window = (Date(timeIntervalSince1970: 1_799_000_000), Date(timeIntervalSince1970: 1_830_000_000))

    func calendar(zoneRule: String, event: [String] = []) -> String {
        ([
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VTIMEZONE", "TZID:Eigen", "BEGIN:STANDARD",
            "DTSTART:16010101T000000", "RRULE:\(zoneRule)", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE",
            "BEGIN:VEVENT", "UID:a@t", "DTSTAMP:20270101T000000Z", "DTSTART;TZID=Eigen:20270202T180000", "DTEND;TZID=Eigen:20270202T200000",
        ] + event + ["END:VEVENT", "END:VCALENDAR"]).joined(separator: "\r\n") + "\r\n"
    }

    func refusal(_ text: String) -> ICalendarParseError? {
        do {
            _ = try CalendarDocument.occurrences(inText: text, from: window.0, to: window.1, floatingZone: "Europe/Amsterdam")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["FREQ=MINUTELY", "FREQ=HOURLY", "FREQ=DAILY", "FREQ=MONTHLY", "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,15"])
    func aZoneRuleThatChangesTooOftenIsRefusedAtItsLine(rule: String) throws {
        let error = try #require(refusal(calendar(zoneRule: rule)))
        #expect(error.line == 8 && error.property == "RRULE")
        #expect(error.problem.contains("time zone rule"))
    }

    @Test func outlooksYearlyRulesFrom1601AreRead() throws {
        #expect(refusal(calendar(zoneRule: "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10")) == nil)
    }

    @Test func manyLongSeriesTogetherExceedTheFileBudget() throws {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN"]
        for index in 0..<30 {
            lines += [
                "BEGIN:VEVENT", "UID:s\(index)@t", "DTSTAMP:20270101T000000Z", "DTSTART:19700101T090000Z",
                "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=100000", "END:VEVENT",
            ]
        }
        let error = try #require(refusal((lines + ["END:VCALENDAR"]).joined(separator: "\r\n") + "\r\n"))
        #expect(error.property == "RRULE" && error.problem.contains("repeating rules need more than"))
    }

    /// One libical step of these scans every hour, minute or day until a match: 17 s for the first.
    @Test(arguments: ["FREQ=HOURLY;BYDAY=-1SU;BYMONTH=3", "FREQ=MINUTELY", "FREQ=SECONDLY;BYMONTH=3", "FREQ=DAILY;BYDAY=-1SU;BYMONTH=3"])
    func eventRulesLibicalCannotStepInBoundedTimeAreRefused(rule: String) throws {
        let text = calendar(zoneRule: "FREQ=YEARLY", event: ["RRULE:\(rule)"])
        let error = try #require(refusal(text))
        #expect(error.line == 18 && error.property == "RRULE")
    }

    @Test func anEventEndingBeforeItStartsIsRefusedAtItsEnd() throws {
        let text = calendar(zoneRule: "FREQ=YEARLY").replacingOccurrences(of: "DTEND;TZID=Eigen:20270202T200000", with: "DTEND;TZID=Eigen:20270202T170000")
        let error = try #require(refusal(text))
        #expect(error.line == 17 && error.property == "DTEND")
        #expect(error.problem == "the event ends (20270202T170000) before it starts (20270202T180000)")
    }

    @Test func aDailySeriesRunningSince1990IsReadInTodaysRange() throws {
        let text = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:d@t", "DTSTAMP:20270101T000000Z",
            "DTSTART:19900101T090000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=3", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
        let occurrences = try CalendarDocument.occurrences(inText: text, from: window.0, to: window.1, floatingZone: "Europe/Amsterdam")
        #expect(occurrences.count > 100, "the series still runs: every third day in the window")
        let phase = occurrences.map { Int($0.start.timeIntervalSince1970 - 631_184_400) % (3 * 86_400) }
        #expect(phase.allSatisfy { $0 == 0 }, "every third day counted from 1990-01-01 09:00 UTC")
    }

    @Test func aSparseRuleFromYearOneIsSteppedFromTheRange() throws {
        let text = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:s@t", "DTSTAMP:20270101T000000Z",
            "DTSTART:00011211T143200Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;INTERVAL=2;BYDAY=TU;BYMONTHDAY=-1", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
        _ = try CalendarDocument.occurrences(inText: text, from: window.0, to: window.1, floatingZone: "Europe/Amsterdam")
    }
}
