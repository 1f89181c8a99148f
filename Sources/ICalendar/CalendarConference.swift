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
