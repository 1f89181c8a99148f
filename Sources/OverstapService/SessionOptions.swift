/// The session fields as typed on the command line; nil means "not given".
public struct SessionOptions: Sendable, Equatable {
    public var title: String?
    public var partners: [String]?
    public var kind: String?
    public var sector: String?
    public var audience: [String]?
    public var start: String?
    public var end: String?
    public var duration: String?
    public var timezone: String?
    public var capacity: Int?
    public var online: String?
    public var location: String?
    public var region: String?
    public var language: String?
    public var repeatRule: String?
    public var description: String?
    /// Plan even when a partner's imported calendar says it is busy.
    public var force = false

    /// Creates options with nothing given.
    public init() {}
}
