/// A meeting of a session, named by its original local start (what the recurrence rule produced
/// before any exception), so data kept per meeting survives a moved meeting.
public struct MeetingKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var start: LocalDateTime

    /// Names the meeting that originally started at `start`.
    public init(_ start: LocalDateTime) { self.start = start }

    /// Reads the stored form `YYYY-MM-DDTHH:MM`.
    public init?(storage text: String) {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = LocalDate(iso: parts[0]) else { return nil }
        let clock = parts[1].split(separator: ":")
        guard clock.count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        start = LocalDateTime(date: date, hour: hour, minute: minute)
    }

    /// The stored form `YYYY-MM-DDTHH:MM`.
    public var storage: String {
        "\(start.date)T\(LocalDateTime.twoDigits(start.hour)):\(LocalDateTime.twoDigits(start.minute))"
    }

    /// `YYYY-MM-DD HH:MM`.
    public var description: String { start.description }

    public static func < (lhs: MeetingKey, rhs: MeetingKey) -> Bool { lhs.start < rhs.start }
}
