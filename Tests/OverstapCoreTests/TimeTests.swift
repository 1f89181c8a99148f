import Foundation
import OverstapCore
import Testing

struct LocalDateTests {
    @Test func daysSinceEpochRoundTrips() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(LocalDate(year: 2027, month: 3, day: 28).isoWeekday == 7)
        #expect(LocalDate(year: 2027, month: 2, day: 1).isoWeekday == 1)
    }

    @Test func parsingRefusesDatesThatDoNotExist() {
        #expect(LocalDate(iso: "2028-02-29") != nil)
        #expect(LocalDate(iso: "2027-02-29") == nil)
        #expect(LocalDate(iso: "2027-13-01") == nil)
        #expect(LocalDate(iso: "27-01-01") == nil)
    }

    @Test func wallClockArithmeticCrossesMidnight() {
        let late = LocalDateTime(year: 2027, month: 12, day: 31, hour: 23, minute: 30)
        #expect(late.adding(minutes: 45) == LocalDateTime(year: 2028, month: 1, day: 1, hour: 0, minute: 15))
        #expect(late.adding(minutes: -24 * 60) == LocalDateTime(year: 2027, month: 12, day: 30, hour: 23, minute: 30))
        #expect(late.minutes(until: late.adding(minutes: 90)) == 90)
    }
}

struct ZoneResolverTests {
    let amsterdam = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)

    @Test func aTimeInTheSpringGapIsRefusedWithTheNextValidTime() {
        let gap = LocalDateTime(year: 2027, month: 3, day: 28, hour: 2, minute: 30)
        #expect(amsterdam.resolve(gap) == .gap(next: LocalDateTime(year: 2027, month: 3, day: 28, hour: 3, minute: 0)))
        #expect {
            try amsterdam.instant(of: gap, place: "--start")
        } throws: { error in
            "\(error)".contains("does not exist") && "\(error)".contains("2027-03-28 03:00")
        }
    }

    @Test func theRepeatedAutumnHourNeedsAnOffset() throws {
        let twice = LocalDateTime(year: 2027, month: 10, day: 31, hour: 2, minute: 30)
        #expect {
            try amsterdam.instant(of: twice, place: "--start")
        } throws: { error in
            "\(error)".contains("happens twice") && "\(error)".contains("+02:00") && "\(error)".contains("+01:00")
        }
        let summer = try amsterdam.instant(of: twice, explicitOffset: 7200, place: "--start")
        let winter = try amsterdam.instant(of: twice, explicitOffset: 3600, place: "--start")
        #expect(winter.timeIntervalSince(summer) == 3600)
        #expect(summer == Date(timeIntervalSince1970: 1_824_942_600))  // 2027-10-31T00:30:00Z
    }

    @Test func anOffsetThatDoesNotFitTheZoneIsRefused() {
        let noon = LocalDateTime(year: 2027, month: 1, day: 10, hour: 12, minute: 0)
        #expect(throws: InputError.self) { try amsterdam.instant(of: noon, explicitOffset: 7200, place: "--start") }
    }

    @Test func ordinaryTimesResolveBothSidesOfTheSwitches() throws {
        let winter = try amsterdam.instant(of: LocalDateTime(year: 2027, month: 1, day: 12, hour: 19, minute: 0), place: "x")
        let summer = try amsterdam.instant(of: LocalDateTime(year: 2027, month: 7, day: 12, hour: 19, minute: 0), place: "x")
        #expect(amsterdam.offsetString(at: winter) == "+01:00")
        #expect(amsterdam.offsetString(at: summer) == "+02:00")
        #expect(amsterdam.local(of: summer) == LocalDateTime(year: 2027, month: 7, day: 12, hour: 19, minute: 0))
    }

    @Test func unknownZonesAreRefused() {
        #expect(throws: InputError.self) { try ZoneResolver(identifier: "Europe/Atlantis", place: "--timezone") }
        #expect(throws: InputError.self) { try ZoneResolver(identifier: "CET-ish", place: "--timezone") }
    }
}

struct TimeInputTests {
    @Test func stampsAcceptOptionalOffsets() throws {
        let plain = try TimeInput.stamp("2027-02-02 19:00", place: "--start")
        #expect(plain.local == LocalDateTime(year: 2027, month: 2, day: 2, hour: 19, minute: 0) && plain.offset == nil)
        #expect(try TimeInput.stamp("2027-10-31 02:30+01:00", place: "--start").offset == 3600)
        #expect(try TimeInput.stamp("2027-10-31T02:30-05:30", place: "--start").offset == -19800)
        #expect(throws: InputError.self) { try TimeInput.stamp("2027-02-02", place: "--start") }
        #expect(throws: InputError.self) { try TimeInput.stamp("2027-02-02 25:00", place: "--start") }
        #expect(throws: InputError.self) { try TimeInput.stamp("02-02-2027 19:00", place: "--start") }
    }

    @Test func durationsReadHoursAndMinutes() throws {
        #expect(try TimeInput.durationMinutes("90m", place: "--duration") == 90)
        #expect(try TimeInput.durationMinutes("1h30m", place: "--duration") == 90)
        #expect(try TimeInput.durationMinutes("2h", place: "--duration") == 120)
        for bad in ["", "0m", "90", "m", "1x", "25h"] {
            #expect(throws: InputError.self) { try TimeInput.durationMinutes(bad, place: "--duration") }
        }
    }
}

struct RecurrenceRuleTests {
    let tuesday = LocalDateTime(year: 2027, month: 3, day: 9, hour: 19, minute: 0)

    @Test func aWeeklyCountGivesThatManyMeetingsAtTheSameLocalTime() throws {
        let starts = try RecurrenceRule.parse("FREQ=WEEKLY;COUNT=6", place: "--repeat").localStarts(from: tuesday)
        #expect(starts.count == 6)
        #expect(starts.allSatisfy { $0.hour == 19 && $0.minute == 0 && $0.date.isoWeekday == 2 })
        #expect(starts.last?.date == LocalDate(year: 2027, month: 4, day: 13))
    }

    @Test func untilIncludesItsDateAndBydayAddsDays() throws {
        let rule = try RecurrenceRule.parse("FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270318", place: "--repeat")
        let dates = try rule.localStarts(from: tuesday).map(\.date.day)
        #expect(dates == [9, 11, 16, 18])
    }

    @Test func monthlySkipsMonthsWithoutTheDay() throws {
        let start = LocalDateTime(year: 2027, month: 1, day: 31, hour: 10, minute: 0)
        let months = try RecurrenceRule.parse("FREQ=MONTHLY;COUNT=4", place: "--repeat").localStarts(from: start).map(\.date.month)
        #expect(months == [1, 3, 5, 7])
    }

    @Test func seriesMustEndAndStaySmall() {
        for rule in ["FREQ=WEEKLY", "FREQ=WEEKLY;COUNT=3;UNTIL=20270401", "FREQ=YEARLY;COUNT=2", "FREQ=WEEKLY;COUNT=2;BYSETPOS=1", "COUNT=3"] {
            #expect(throws: InputError.self) { try RecurrenceRule.parse(rule, place: "--repeat") }
        }
        #expect(throws: InputError.self) {
            try RecurrenceRule.parse("FREQ=DAILY;COUNT=53", place: "--repeat").localStarts(from: tuesday)
        }
        #expect(throws: InputError.self) {
            try RecurrenceRule.parse("FREQ=DAILY;UNTIL=20280101", place: "--repeat").localStarts(from: tuesday)
        }
    }

    @Test func theFirstMeetingMustMatchByday() {
        #expect(throws: InputError.self) {
            try RecurrenceRule.parse("FREQ=WEEKLY;BYDAY=WE;COUNT=3", place: "--repeat").localStarts(from: tuesday)
        }
    }
}

struct WeeklyWindowTests {
    @Test func dutchAndEnglishDayNamesParse() {
        #expect(WeeklyWindow.parse("di 18:00-21:00") == WeeklyWindow(weekday: 2, startMinute: 1080, endMinute: 1260))
        #expect(WeeklyWindow.parse("SAT 09:00-12:30") == WeeklyWindow(weekday: 6, startMinute: 540, endMinute: 750))
        #expect(WeeklyWindow.parse("zo 20:00-24:00")?.endMinute == 1440)
        for bad in ["di 21:00-18:00", "tues 18:00-21:00", "di 18-21", "di", "di 24:00-24:30"] {
            #expect(WeeklyWindow.parse(Substring(bad)) == nil)
        }
    }

    @Test func aMeetingMustLieWhollyInsideTheWindow() {
        let window = WeeklyWindow.parse("di 18:00-21:00")!
        func meeting(_ hour: Int, _ minutes: Int) -> Meeting {
            let start = LocalDateTime(year: 2027, month: 3, day: 9, hour: hour, minute: 0)
            return Meeting(start: start, end: start.adding(minutes: minutes))
        }
        #expect(window.contains(meeting(19, 90)))
        #expect(window.contains(meeting(18, 180)))
        #expect(!window.contains(meeting(20, 90)))
        #expect(!window.contains(meeting(17, 90)))
    }

    @Test func aMeetingEndingAtMidnightFitsALateWindowButOnePastMidnightFitsNone() {
        let late = WeeklyWindow.parse("di 22:00-24:00")!
        let start = LocalDateTime(year: 2027, month: 3, day: 9, hour: 22, minute: 0)
        let untilMidnight = Meeting(start: start, end: start.adding(minutes: 120))
        let pastMidnight = Meeting(start: start, end: start.adding(minutes: 150))
        #expect(untilMidnight.weeklyWindow == WeeklyWindow(weekday: 2, startMinute: 1320, endMinute: 1440))
        #expect(late.contains(untilMidnight))
        #expect(pastMidnight.weeklyWindow == nil)
        #expect(!late.contains(pastMidnight))
        #expect(!WeeklyWindow.parse("wo 00:00-24:00")!.contains(pastMidnight))
    }
}
