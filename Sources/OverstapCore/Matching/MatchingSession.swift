/// A session as the assignment solver sees it.
///
/// The solver identifies sessions by their position in `MatchingProblem.sessions`.
public struct MatchingSession: Sendable, Hashable {
    /// Seats still open: capacity minus existing enrollments; may be 0.
    public var freeSeats: Int
    /// Start order, 0 = earliest; among equally good assignments earlier sessions win.
    /// Must lie in `0...Int32.max`.
    public var startRank: Int

    /// Creates a session with its open seats and start order.
    public init(freeSeats: Int, startRank: Int) {
        self.freeSeats = freeSeats
        self.startRank = startRank
    }
}
