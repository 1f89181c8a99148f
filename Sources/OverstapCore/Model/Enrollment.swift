import Foundation

/// A worker's place (or former place) in a session.
public struct Enrollment: Equatable, Sendable {
    public var id: Int64?
    public var sessionID: Int64
    public var workerID: Int64
    public var state: EnrollmentState
    /// When the state last changed (UTC).
    public var updatedAt: Date
    /// Why the organiser placed the person although the matching rules exclude them.
    public var overrideReason: String?
    /// Why the organiser took the person out, for the organiser's own records.
    public var removalReason: String?
    /// The person's row on the session's roster: given when the enrollment is first made, never reused.
    public var rosterNumber: Int?
    /// When the invitation of the current invitation round reached the mail server (nil: not yet).
    /// Invitations sent before answer deadlines existed carry their old send time.
    public var invitationSentAt: Date?
    /// The answer deadline the invitation announced (nil: none, so it never expires).
    public var answerBy: Date?
    /// When the one reminder to answer was queued.
    public var nudgedAt: Date?

    /// Creates an enrollment.
    public init(
        id: Int64? = nil, sessionID: Int64, workerID: Int64, state: EnrollmentState, updatedAt: Date, overrideReason: String? = nil,
        removalReason: String? = nil, rosterNumber: Int? = nil, invitationSentAt: Date? = nil, answerBy: Date? = nil,
        nudgedAt: Date? = nil
    ) {
        self.id = id
        self.sessionID = sessionID
        self.workerID = workerID
        self.state = state
        self.updatedAt = updatedAt
        self.overrideReason = overrideReason
        self.removalReason = removalReason
        self.rosterNumber = rosterNumber
        self.invitationSentAt = invitationSentAt
        self.answerBy = answerBy
        self.nudgedAt = nudgedAt
    }
}
