import Foundation

/// A worker's place (or former place) in a session.
public struct Enrollment: Equatable, Sendable {
    public var id: Int64?
    public var sessionID: Int64
    public var workerID: Int64
    public var state: EnrollmentState
    /// When the state last changed (UTC).
    public var updatedAt: Date

    /// Creates an enrollment.
    public init(id: Int64? = nil, sessionID: Int64, workerID: Int64, state: EnrollmentState, updatedAt: Date) {
        self.id = id
        self.sessionID = sessionID
        self.workerID = workerID
        self.state = state
        self.updatedAt = updatedAt
    }
}
