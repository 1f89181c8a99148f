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

    func series(start: String, rules: [String]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN"]
        for (index, rule) in rules.enumerated() {
            lines += ["BEGIN:VEVENT", "UID:s\(index)@t", "DTSTAMP:20270101T000000Z", "DTSTART:\(start)", "DURATION:PT1H", "RRULE:\(rule)", "END:VEVENT"]
        }
        return (lines + ["END:VCALENDAR"]).joined(separator: "\r\n") + "\r\n"
    }

    @Test func aSparseRuleFromYearOneIsSteppedFromTheRange() throws {
        let text = series(start: "00011211T143200Z", rules: ["FREQ=DAILY;INTERVAL=2;BYDAY=TU;BYMONTH=3"])
        let occurrences = try CalendarDocument.occurrences(inText: text, from: window.0, to: window.1, floatingZone: "Europe/Amsterdam")
        #expect(occurrences.count == 2, "every other Tuesday in March")
    }

    /// The rules the fuzz run found (one libical call expanded every month up to the year 20000,
    /// 2 to 4 s each) and their kin: refused at their line before libical steps them.
    @Test(arguments: [
        "FREQ=MONTHLY;COUNT=40;BYDAY=1MO;BYMONTHDAY=31", "FREQ=MONTHLY;BYDAY=-1SU;BYMONTHDAY=1,15", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;INTERVAL=4;BYMONTH=3", "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=2", "FREQ=YEARLY;COUNT=5;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=YEARLY;BYDAY=2MO;BYMONTHDAY=1,2,3,4,5,6,7",
    ])
    func aRuleThatNeverOccursIsRefusedAtItsLine(rule: String) throws {
        let error = try #require(refusal(calendar(zoneRule: "FREQ=YEARLY", event: ["RRULE:\(rule)"])))
        #expect(error.line == 18 && error.property == "RRULE")
        #expect(error.problem.hasSuffix(
            "never occurs: in \(rule.hasPrefix("FREQ=YEARLY") ? 400 : 4800) repetitions from its start (a full 400-year cycle of the calendar) "
                + "it selects no day; correct the rule or leave the event out"))
    }

    /// libical compares a daily rule's day of the month as written, so -1 never matches: from
    /// year 2 with COUNT it stepped every day up to the range, 3.4 s.
    @Test func aDailyRuleThatNeverMatchesIsRefusedAtItsLine() throws {
        let error = try #require(refusal(series(start: "00021211T143200Z", rules: ["FREQ=DAILY;COUNT=1000;BYMONTHDAY=-1"])))
        #expect(error.line == 9 && error.property == "RRULE")
        #expect(error.problem == "FREQ=DAILY;COUNT=1000;BYMONTHDAY=-1 occurs less than once in 4800 repetitions; "
            + "no calendar program writes such a rule, so the file is refused")
    }

    @Test func aZoneRuleThatNeverOccursIsRefusedAtItsLine() throws {
        let error = try #require(refusal(calendar(zoneRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")))
        #expect(error.line == 8 && error.problem.contains("never occurs"))
    }

    /// Every day libical examines counts, not only the ones it returns: two daily rules that pick
    /// 29 February from 1604 return 20 days each but step through about 30,700 each.
    @Test func theDaysARuleStepsThroughCountAgainstTheFileBudget() throws {
        let rule = "FREQ=DAILY;COUNT=20;BYMONTH=2;BYMONTHDAY=29"
        let error = try #require(refusal(series(start: "16040229T090000Z", rules: [rule, rule])))
        #expect(error.problem.contains("repeating rules need more than 50000 steps"))
        #expect(refusal(series(start: "16040229T090000Z", rules: [rule])) == nil)
    }

    @Test(arguments: ["BYWEEKNO=20;BYDAY=MO", "BYYEARDAY=100"])
    func weekAndYearDayNumbersAreRefused(part: String) throws {
        let error = try #require(refusal(series(start: "20270101T090000Z", rules: ["FREQ=YEARLY;\(part)"])))
        #expect(error.line == 9 && error.problem.contains("is not read: calendar programs (Outlook, Google, Apple) do not write it"))
    }
}
