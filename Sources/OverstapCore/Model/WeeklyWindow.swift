/// A recurring weekly period in which someone is available, e.g. Tuesday 18:00–21:00.
public struct WeeklyWindow: Hashable, Sendable, Codable, CustomStringConvertible {
    /// ISO weekday: Monday is 1, Sunday is 7.
    public var weekday: Int
    /// Minutes after midnight.
    public var startMinute: Int
    /// Minutes after midnight; at most 1440.
    public var endMinute: Int

    /// Creates a window.
    public init(weekday: Int, startMinute: Int, endMinute: Int) {
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    static let dutchDays = ["ma", "di", "wo", "do", "vr", "za", "zo"]
    static let englishDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Parses `di 18:00-21:00` (Dutch `ma`…`zo` or English `mon`…`sun`).
    public static func parse(_ text: Substring) -> WeeklyWindow? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        let day = parts[0].lowercased()
        guard let index = dutchDays.firstIndex(of: day) ?? englishDays.firstIndex(of: day) else { return nil }
        let times = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let start = parseClock(times[0]), let end = parseClock(times[1], allowMidnightEnd: true),
            start < end
        else { return nil }
        return WeeklyWindow(weekday: index + 1, startMinute: start, endMinute: end)
    }

    /// Why `text` is not a weekly window, in words a person can act on (`parse` returned nil).
    public static func problem(with text: Substring) -> (problem: String, fix: String) {
        let example = "write e.g. di 18:00-21:00 (ma di wo do vr za zo or mon..sun)"
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return ("'\(text)' is not a weekly window", example) }
        let day = parts[0].lowercased()
        guard dutchDays.contains(day) || englishDays.contains(day) else {
            return ("'\(parts[0])' is not a weekday", "use ma di wo do vr za zo (or mon..sun)")
        }
        let times = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2, let start = parseClock(times[0]), let end = parseClock(times[1], allowMidnightEnd: true) else {
            return ("'\(parts[1])' is not a time range", "write HH:MM-HH:MM, e.g. 18:00-21:00 (24:00 as the end of the day)")
        }
        if end == start { return ("'\(text)' ends when it starts", "give a later end time") }
        if end < start {
            return (
                "in '\(text)' the end \(times[1]) is before the start \(times[0])",
                "swap the times, or split a window past midnight in two: di 21:00-24:00|wo 00:00-02:00")
        }
        return ("'\(text)' is not a weekly window", example)
    }

    /// Parses `HH:MM` into minutes after midnight; `24:00` only as an end.
    public static func parseClock(_ text: Substring, allowMidnightEnd: Bool = false) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<60).contains(minute)
        else { return nil }
        if hour == 24 && minute == 0 && allowMidnightEnd { return 1440 }
        guard (0..<24).contains(hour) else { return nil }
        return hour * 60 + minute
    }

    /// True when a meeting on one local day lies wholly inside this window.
    public func contains(_ meeting: Meeting) -> Bool {
        meeting.weeklyWindow.map(contains) ?? false
    }

    /// True when `other` lies wholly inside this window.
    public func contains(_ other: WeeklyWindow) -> Bool {
        other.weekday == weekday && other.startMinute >= startMinute && other.endMinute <= endMinute
    }

    /// `di 18:00-21:00`.
    public var description: String {
        let end = endMinute == 1440 ? "24:00" : Self.clock(endMinute)
        return "\(Self.dutchDays[weekday - 1]) \(Self.clock(startMinute))-\(end)"
    }

    private static func clock(_ minutes: Int) -> String {
        "\(LocalDateTime.twoDigits(minutes / 60)):\(LocalDateTime.twoDigits(minutes % 60))"
    }
}

extension Meeting {
    /// The part of the week the meeting takes, or nil when it runs past midnight (no window
    /// holds it); an end at midnight is minute 1440.
    public var weeklyWindow: WeeklyWindow? {
        let endMinute: Int
        if end.date == start.date {
            endMinute = end.minuteOfDay
        } else if end.date == start.date.adding(days: 1) && end.minuteOfDay == 0 {
            endMinute = 1440
        } else {
            return nil
        }
        return WeeklyWindow(weekday: start.date.isoWeekday, startMinute: start.minuteOfDay, endMinute: endMinute)
    }
}
