/// A VALARM that shows a reminder a fixed time before the start.
public struct CalendarAlarm: Hashable, Sendable {
    /// ISO 8601 duration relative to the start, e.g. `-PT1H`.
    public var trigger: String
    /// The text the client shows.
    public var description: String

    /// Creates an alarm.
    public init(trigger: String, description: String) {
        self.trigger = trigger
        self.description = description
    }
}
