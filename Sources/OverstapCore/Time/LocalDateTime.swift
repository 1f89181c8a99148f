import Foundation

/// A wall-clock date and time without a zone, as an organiser types it ("2027-02-02 19:00").
public struct LocalDateTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var date: LocalDate
    public var hour: Int
    public var minute: Int

    /// Creates a local date-time; the caller guarantees the fields are in range.
    public init(date: LocalDate, hour: Int, minute: Int) {
        self.date = date
        self.hour = hour
        self.minute = minute
    }

    /// Creates a local date-time from its numeric fields.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.init(date: LocalDate(year: year, month: month, day: day), hour: hour, minute: minute)
    }

    /// Minutes since midnight.
    public var minuteOfDay: Int { hour * 60 + minute }

    /// `YYYY-MM-DD HH:MM`, the form the CLI accepts and prints.
    public var description: String {
        "\(date) \(Self.twoDigits(hour)):\(Self.twoDigits(minute))"
    }

    /// `YYYYMMDDTHHMMSS`, the iCalendar basic form.
    public var basicFormat: String {
        "\(date.basicFormat)T\(Self.twoDigits(hour))\(Self.twoDigits(minute))00"
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date, lhs.minuteOfDay) < (rhs.date, rhs.minuteOfDay)
    }

    /// This date-time moved by a number of minutes on the wall clock (no zone involved).
    public func adding(minutes: Int) -> LocalDateTime {
        let total = minuteOfDay + minutes
        let dayShift = Int((Double(total) / 1440).rounded(.down))
        let rest = total - dayShift * 1440
        return LocalDateTime(date: date.adding(days: dayShift), hour: rest / 60, minute: rest % 60)
    }

    /// Wall-clock minutes from `self` to `other`.
    public func minutes(until other: LocalDateTime) -> Int {
        date.days(until: other.date) * 1440 + other.minuteOfDay - minuteOfDay
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

/// A calendar date without a zone.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date; the caller guarantees the fields form a real date.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, refusing dates that do not exist (2027-02-30).
    public init?(iso text: Substring) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let y = String(year)
        return "\(String(repeating: "0", count: max(0, 4 - y.count)))\(y)-\(LocalDateTime.twoDigits(month))-\(LocalDateTime.twoDigits(day))"
    }

    /// `YYYYMMDD`.
    public var basicFormat: String { description.replacingOccurrences(of: "-", with: "") }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic without Foundation.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date for a count of days since 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// ISO weekday: Monday is 1, Sunday is 7.
    public var isoWeekday: Int {
        let weekday = (daysSinceEpoch + 3) % 7  // 1970-01-01 was a Thursday (index 3 from Monday)
        return (weekday < 0 ? weekday + 7 : weekday) + 1
    }

    /// This date moved by whole days.
    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// Days from `self` to `other`.
    public func days(until other: LocalDate) -> Int { other.daysSinceEpoch - daysSinceEpoch }

    /// This date moved by whole months, or nil when that day does not exist in the target month.
    public func adding(months: Int) -> LocalDate? {
        let index = year * 12 + (month - 1) + months
        let newYear = index / 12
        let newMonth = index % 12 + 1
        guard day <= LocalDate.daysIn(month: newMonth, year: newYear) else { return nil }
        return LocalDate(year: newYear, month: newMonth, day: day)
    }

    /// Number of days in a month of the Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
