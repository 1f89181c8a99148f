/// Parses the date, time and duration forms the CLI accepts.
public enum TimeInput {
    /// A local date-time with an optional explicit UTC offset in seconds.
    public struct Stamp: Equatable, Sendable {
        public var local: LocalDateTime
        public var offset: Int?
    }

    /// Parses `YYYY-MM-DD HH:MM` with an optional `+01:00` / `-05:00` / `Z` offset.
    public static func stamp(_ text: String, place: String) throws(InputError) -> Stamp {
        let invalid = InputError(
            place: place, problem: "'\(text)' is not a date and time",
            fix: "write \"YYYY-MM-DD HH:MM\", e.g. \"2027-02-02 19:00\" (add +01:00 to pick one of two repeated times)")
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2, let date = LocalDate(iso: parts[0]) else { throw invalid }
        var clock = parts[1]
        var offset: Int?
        if clock.hasSuffix("Z") {
            offset = 0
            clock = clock.dropLast()
        } else if let signIndex = clock.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            let sign = clock[signIndex] == "-" ? -1 : 1
            guard let minutes = WeeklyWindow.parseClock(clock[clock.index(after: signIndex)...]) else { throw invalid }
            offset = sign * minutes * 60
            clock = clock[..<signIndex]
        }
        guard let minuteOfDay = WeeklyWindow.parseClock(clock) else { throw invalid }
        return Stamp(local: LocalDateTime(date: date, hour: minuteOfDay / 60, minute: minuteOfDay % 60), offset: offset)
    }

    /// Parses a duration such as `90m`, `1h30m` or `2h` into minutes.
    public static func durationMinutes(_ text: String, place: String) throws(InputError) -> Int {
        let invalid = InputError(place: place, problem: "'\(text)' is not a duration", fix: "write e.g. 90m, 2h or 1h30m")
        var rest = Substring(text.lowercased().trimmingWhitespace())
        var total = 0
        var sawPart = false
        for unit in ["h", "m"] {
            guard let index = rest.firstIndex(of: Character(unit)) else { continue }
            guard let value = Int(rest[..<index]), value >= 0 else { throw invalid }
            total += unit == "h" ? value * 60 : value
            rest = rest[rest.index(after: index)...]
            sawPart = true
        }
        guard sawPart, rest.isEmpty, total > 0 else { throw invalid }
        guard total <= 24 * 60 else {
            throw InputError(place: place, problem: "a meeting cannot last longer than 24 hours", fix: "use --repeat for several meetings")
        }
        return total
    }

    /// Parses `YYYY-MM-DD`.
    public static func date(_ text: String, place: String) throws(InputError) -> LocalDate {
        guard let date = LocalDate(iso: Substring(text.trimmingWhitespace())) else {
            throw InputError(place: place, problem: "'\(text)' is not a date", fix: "write YYYY-MM-DD, e.g. 2027-01-15")
        }
        return date
    }
}
