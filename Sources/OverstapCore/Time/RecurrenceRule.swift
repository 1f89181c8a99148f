/// The bounded subset of RFC 5545 RRULE that sessions may use, expanded without libical so the
/// domain can check every meeting (DST gaps, availability) before anything reaches a calendar.
public struct RecurrenceRule: Equatable, Sendable {
    /// How often the rule repeats.
    public enum Frequency: String, Sendable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY"
    }

    /// The most meetings one series may have.
    public static let maximumMeetings = 52

    public var frequency: Frequency
    public var interval: Int
    public var count: Int?
    /// The last local date a meeting may fall on.
    public var until: LocalDate?
    /// ISO weekdays for weekly rules (empty: the start's weekday).
    public var weekdays: [Int]

    static let dayCodes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    static let supported = "supported: FREQ=DAILY|WEEKLY|MONTHLY with COUNT or UNTIL, and optionally INTERVAL and BYDAY (weekly), e.g. FREQ=WEEKLY;COUNT=6"

    /// Parses an RRULE value such as `FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6`.
    public static func parse(_ text: String, place: String) throws(InputError) -> RecurrenceRule {
        var fields: [String: String] = [:]
        let body = text.hasPrefix("RRULE:") ? String(text.dropFirst(6)) : text
        for part in body.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else {
                throw InputError(place: place, problem: "'\(part)' is not NAME=VALUE", fix: supported)
            }
            let name = pair[0].uppercased()
            guard fields[name] == nil else {
                throw InputError(place: place, problem: "\(name) appears twice", fix: supported)
            }
            fields[name] = String(pair[1]).uppercased()
        }
        guard let freqText = fields.removeValue(forKey: "FREQ"), let frequency = Frequency(rawValue: freqText) else {
            throw InputError(place: place, problem: "missing or unsupported FREQ", fix: supported)
        }
        var rule = RecurrenceRule(frequency: frequency, interval: 1, count: nil, until: nil, weekdays: [])
        if let text = fields.removeValue(forKey: "INTERVAL") {
            guard let value = Int(text), (1...52).contains(value) else {
                throw InputError(place: place, problem: "INTERVAL must be a whole number from 1 to 52")
            }
            rule.interval = value
        }
        if let text = fields.removeValue(forKey: "COUNT") {
            guard let value = Int(text), value >= 1 else {
                throw InputError(place: place, problem: "COUNT must be a positive whole number")
            }
            rule.count = value
        }
        if let text = fields.removeValue(forKey: "UNTIL") {
            guard let date = LocalDate(iso: Self.isoDate(fromBasic: text)) else {
                throw InputError(place: place, problem: "UNTIL '\(text)' is not a date", fix: "write UNTIL=20270331")
            }
            rule.until = date
        }
        if let text = fields.removeValue(forKey: "BYDAY") {
            guard frequency == .weekly else {
                throw InputError(place: place, problem: "BYDAY is only supported with FREQ=WEEKLY", fix: supported)
            }
            for code in text.split(separator: ",") {
                guard let index = dayCodes.firstIndex(of: String(code)) else {
                    throw InputError(place: place, problem: "BYDAY '\(code)' is not one of \(dayCodes.joined(separator: ","))")
                }
                rule.weekdays.append(index + 1)
            }
            rule.weekdays = Array(Set(rule.weekdays)).sorted()
        }
        if let unknown = fields.keys.sorted().first {
            throw InputError(place: place, problem: "\(unknown) is not supported", fix: supported)
        }
        guard (rule.count == nil) != (rule.until == nil) else {
            throw InputError(
                place: place, problem: "a series must end: give exactly one of COUNT or UNTIL",
                fix: "e.g. FREQ=WEEKLY;COUNT=6")
        }
        return rule
    }

    /// The local start of every meeting, beginning with `start` itself.
    public func localStarts(from start: LocalDateTime) throws(InputError) -> [LocalDateTime] {
        if !weekdays.isEmpty && !weekdays.contains(start.date.isoWeekday) {
            throw InputError(
                place: "--repeat", problem: "the first meeting (\(start.date)) is not on one of the BYDAY days",
                fix: "start on one of those days or change BYDAY")
        }
        var dates: [LocalDate] = []
        var period = 0
        while dates.count <= Self.maximumMeetings {
            let candidates = datesInPeriod(period, from: start.date)
            if candidates.isEmpty && frequency == .monthly && period > 24 { break }
            for date in candidates where date >= start.date {
                if let until, date > until { return try finish(dates, start: start) }
                dates.append(date)
                if let count, dates.count == count { return try finish(dates, start: start) }
            }
            period += 1
        }
        return try finish(dates, start: start)
    }

    private func finish(_ dates: [LocalDate], start: LocalDateTime) throws(InputError) -> [LocalDateTime] {
        guard dates.count <= Self.maximumMeetings else {
            throw InputError(
                place: "--repeat", problem: "the series has more than \(Self.maximumMeetings) meetings",
                fix: "lower COUNT or move UNTIL earlier")
        }
        return dates.map { LocalDateTime(date: $0, hour: start.hour, minute: start.minute) }
    }

    private func datesInPeriod(_ period: Int, from first: LocalDate) -> [LocalDate] {
        switch frequency {
        case .daily:
            return [first.adding(days: period * interval)]
        case .weekly:
            let monday = first.adding(days: 1 - first.isoWeekday + period * interval * 7)
            let days = weekdays.isEmpty ? [first.isoWeekday] : weekdays
            return days.map { monday.adding(days: $0 - 1) }
        case .monthly:
            // RFC 5545 skips months without that day (the 31st) rather than clamping.
            return first.adding(months: period * interval).map { [$0] } ?? []
        }
    }

    private static func isoDate(fromBasic text: String) -> Substring {
        let digits = text.prefix(8)
        guard digits.count == 8 else { return Substring(text) }
        let chars = Array(digits)
        return Substring("\(String(chars[0..<4]))-\(String(chars[4..<6]))-\(String(chars[6..<8]))")
    }
}
