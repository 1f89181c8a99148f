/// A VCALENDAR: the unit Overstap writes (an invitation, a cancellation, a feed) and reads.
public struct CalendarDocument: Hashable, Sendable {
    /// The iTIP method, or nil for a plain calendar file.
    public var method: CalendarMethod?
    public var productID: String
    /// X-WR-CALNAME: the name subscribed calendars show.
    public var name: String?
    /// X-WR-TIMEZONE: the zone a feed is meant for.
    public var timezoneName: String?
    /// REFRESH-INTERVAL and X-PUBLISHED-TTL as an ISO 8601 duration, for feeds.
    public var refreshInterval: String?
    public var events: [CalendarEvent]

    /// Creates a document.
    public init(
        method: CalendarMethod?, productID: String = "-//Overstap//Overstap//NL", name: String? = nil,
        timezoneName: String? = nil, refreshInterval: String? = nil, events: [CalendarEvent]
    ) {
        self.method = method
        self.productID = productID
        self.name = name
        self.timezoneName = timezoneName
        self.refreshInterval = refreshInterval
        self.events = events
    }
}

/// The iTIP methods Overstap uses.
public enum CalendarMethod: String, Sendable, CaseIterable {
    case request = "REQUEST"
    case cancel = "CANCEL"
    case publish = "PUBLISH"
    case reply = "REPLY"
}
