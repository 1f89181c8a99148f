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

/// An RFC 7986 CONFERENCE: how to join an online meeting.
public struct CalendarConference: Hashable, Sendable {
    public var uri: String
    /// `FEATURE` values such as `AUDIO`, `VIDEO`.
    public var features: [String]
    /// `LABEL`, shown by clients.
    public var label: String?

    /// Creates a conference link.
    public init(uri: String, features: [String] = ["VIDEO"], label: String? = nil) {
        self.uri = uri
        self.features = features
        self.label = label
    }
}
