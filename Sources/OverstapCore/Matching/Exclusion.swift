/// A rule that keeps a worker out of a session, with the detail a person can act on (which
/// meeting, which window, which date limit, which overlapping session).
public struct Exclusion: Hashable, Sendable, CustomStringConvertible {
    public var reason: ExclusionReason
    public var detail: String

    /// Creates an exclusion.
    public init(_ reason: ExclusionReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// `availability: the meeting of …`.
    public var description: String { "\(reason.rawValue): \(detail)" }
}
