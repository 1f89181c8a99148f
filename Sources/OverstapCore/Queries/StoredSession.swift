import Foundation

/// A session as stored, with what the store knows beyond the domain value.
public struct StoredSession: Sendable, Equatable {
    public var session: Session
    /// First meeting's start (UTC).
    public var startsAt: Date
    /// Last meeting's end (UTC).
    public var endsAt: Date
    /// Enrollments that hold a seat.
    public var seatsTaken: Int

    /// Creates a stored session.
    public init(session: Session, startsAt: Date, endsAt: Date, seatsTaken: Int) {
        self.session = session
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.seatsTaken = seatsTaken
    }

    /// The session's database id (always present once stored).
    public var id: Int64 { session.id ?? 0 }
}
