import Foundation

/// Which sessions to list.
public struct SessionFilter: Sendable, Equatable {
    public var partner: String?
    public var region: String?
    /// Sessions whose last meeting ends at or after this instant.
    public var from: Date?
    /// Sessions whose first meeting starts before this instant.
    public var to: Date?

    /// Creates a filter; nil fields do not filter.
    public init(partner: String? = nil, region: String? = nil, from: Date? = nil, to: Date? = nil) {
        self.partner = partner
        self.region = region
        self.from = from
        self.to = to
    }
}
