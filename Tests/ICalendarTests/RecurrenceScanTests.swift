import CLibical
import Foundation
@testable import ICalendar
import Testing
import TestRandom

/// `RecurrenceScan` must choose exactly the days libical returns, or the work it predicts for a
/// step is wrong; and the rules calendar programs write must still be read in full.
struct RecurrenceScanTests {
    func calendar(start: String, rule: String) -> String {
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//t//EN", "BEGIN:VEVENT", "UID:r@t", "DTSTAMP:20270101T000000Z",
            "DTSTART:\(start)", "DURATION:PT1H", "RRULE:\(rule)", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
    }

    /// What Outlook, Google and Apple write: weekly series, the first Monday, the last working
    /// day, Friday the 13th, 29 February, a birthday from 1950 and the Dutch zone's switch.
    @Test(arguments: [
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=30", "20270202T090000"), ("FREQ=MONTHLY;BYDAY=1MO;COUNT=24", "20270201T090000"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=24", "20270129T090000"), ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=6", "20270813T090000"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3", "20280229T090000"), ("FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12;COUNT=100", "19500612T000000"),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=30", "20270328T020000"), ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=200", "20270201T083000"),
        ("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=14", "20270131T090000"), ("FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE;COUNT=8", "20270113T090000"),
    ])
    func rulesCalendarProgramsWriteAreReadInFull(rule: String, start: String) throws {
        let count = Int(rule.split(separator: "=").last!)!
        let occurrences = try CalendarDocument.occurrences(
            inText: calendar(start: start, rule: rule), from: Date(timeIntervalSince1970: -700_000_000),
            to: Date(timeIntervalSince1970: 3_000_000_000), floatingZone: "UTC")
        #expect(occurrences.count == count)
    }

    static let monthDays = ["1", "5", "13", "15", "28", "29", "30", "31", "-1", "-2", "-7"]
    static let weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    func randomRule(_ random: inout SeededRandom) -> String {
        let frequency = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"][random.next(4)]
        var parts = ["FREQ=\(frequency)"]
        if random.next(3) == 0 { parts.append("INTERVAL=\(1 + random.next(3))") }
        if random.next(3) == 0 { parts.append("BYMONTH=\((0...random.next(3)).map { _ in String(1 + random.next(12)) }.joined(separator: ","))") }
        if frequency != "WEEKLY", random.next(5) < 2 {
            parts.append("BYMONTHDAY=\((0...random.next(2)).map { _ in Self.monthDays[random.next(Self.monthDays.count)] }.joined(separator: ","))")
        }
        if random.next(5) < 2 {
            let numbered = frequency == "MONTHLY" || frequency == "YEARLY"
            let days = (0...random.next(3)).map { _ in
                let day = Self.weekdays[random.next(7)]
                guard numbered, random.next(2) == 0 else { return day }
                let positions = parts.contains { $0.hasPrefix("BYMONTH=") } || frequency == "MONTHLY" ? [1, 2, 3, 4, 5, -1, -2] : [1, 20, 52, -1, -10]
                return "\(positions[random.next(positions.count)])\(day)"
            }
            parts.append("BYDAY=\(days.joined(separator: ","))")
        }
        if random.next(7) == 0 { parts.append("BYSETPOS=\([1, 2, -1, -2][random.next(4)])") }
        if random.next(10) == 0 { parts.append("WKST=SU") }
        if random.next(10) == 0 { parts.append("BYHOUR=9,15") }
        return parts.joined(separator: ";")
    }

    /// Seeded random rules over six years: the days libical returns are the days the scan
    /// chooses, and a rule the scan refuses is one that chooses none for a full cycle.
    @Test func theScanChoosesTheDaysLibicalReturns() throws {
        var random = SeededRandom(seed: 18)
        let end = RecurrenceScan.dayNumber(2032, 1, 1)
        var compared = 0
        for _ in 0..<1_500 {
            let rule = randomRule(&random)
            let (year, month, day) = (2026 + random.next(4), 1 + random.next(12), 1 + random.next(28))
            let start = String(format: "%04d%02d%02dT090000", year, month, day)
            let text = calendar(start: start, rule: rule)
            let occurrences: [CalendarOccurrence]
            do {
                occurrences = try CalendarDocument.occurrences(
                    inText: text, from: Date(timeIntervalSince1970: 1_700_000_000), to: Date(timeIntervalSince1970: 1_956_528_000),
                    floatingZone: "UTC")
            } catch {
                #expect(error.problem.contains("never occurs") || error.problem.contains("less than once"), "seed 18: \(rule) from \(start): \(error)")
                continue
            }
            let scan = Libical.withLock { _ in
                RecurrenceScan(icalrecurrencetype_from_string(rule), start: icaltime_from_string(start))
            }
            var chosen = Set<Int>()
            var period = 0
            while scan.firstDay(of: period) < end {
                chosen.formUnion(scan.days(in: period).filter { $0 >= scan.startDay && $0 < end })
                period += 1
            }
            let returned = Set(occurrences.map { Int(($0.start.timeIntervalSince1970 / 86_400).rounded(.down)) })
            #expect(returned == chosen, "seed 18: \(rule) from \(start)")
            compared += 1
        }
        #expect(compared > 1_000)
    }
}
