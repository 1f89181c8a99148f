import Foundation

/// A DTSTART/DTEND-style value: a zoned local time, a UTC instant, a floating time or a whole day.
public enum CalendarTime: Hashable, Sendable {
    /// A wall-clock time in a named zone (`DTSTART;TZID=Europe/Amsterdam:20270202T190000`).
    case zoned(CalendarDateTime, tzid: String)
    /// An instant (`DTSTAMP:20270110T080000Z`).
    case utc(Date)
    /// A wall-clock time in whatever zone the reader is in.
    case floating(CalendarDateTime)
    /// A whole day (`VALUE=DATE`).
    case date(year: Int, month: Int, day: Int)

    /// True for `VALUE=DATE` values.
    public var isAllDay: Bool {
        if case .date = self { return true }
        return false
    }
}

/// Calendar date-time fields without a zone.
public struct CalendarDateTime: Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// Creates the fields.
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// `2027-02-02 19:00:00`.
    public var description: String {
        String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second)
    }
}
