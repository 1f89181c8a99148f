import Foundation

/// A session as a matching run sees it: the session, each meeting as instants, seats taken.
public struct MatchingCandidate: Sendable {
    public var session: Session
    /// Every meeting as an interval of instants, in order.
    public var meetings: [DateInterval]
    public var seatsTaken: Int

    /// Creates a candidate.
    public init(session: Session, meetings: [DateInterval], seatsTaken: Int) {
        self.session = session
        self.meetings = meetings
        self.seatsTaken = seatsTaken
    }

    /// The database id (sessions reach matching only once stored).
    public var id: Int64 { session.id ?? 0 }

    /// Seats still free.
    public var freeSeats: Int { max(0, session.capacity - seatsTaken) }

    /// True when any meeting of `self` overlaps any meeting of `other`.
    func overlaps(_ other: MatchingCandidate) -> Bool {
        meetings.contains { mine in other.meetings.contains { $0.start < mine.end && mine.start < $0.end } }
    }
}
