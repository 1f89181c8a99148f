import Foundation

/// What the store knows about the session and person an answer names, looked up by UID and by the
/// ATTENDEE address (compared case-insensitively, never through aliases).
public struct ReplyStanding: Sendable, Hashable {
    /// Where the session a UID names stands.
    public enum Session: Sendable, Hashable {
        /// No session has this UID.
        case unknown
        case scheduled
        case cancelled
        /// Its last meeting has ended.
        case past
    }

    /// The invited worker whose address the ATTENDEE is.
    public struct Invitee: Sendable, Hashable {
        /// The worker's address as stored.
        public var address: String
        public var state: EnrollmentState
        /// The highest SEQUENCE this person has been sent on the UID; nil when not known.
        public var lastSequenceSent: Int?
        /// DTSTAMP of the calendar answer already recorded for them (for the same meeting, when
        /// the answer is for one meeting); nil when none.
        public var recordedAnswerStamp: Date?

        /// Creates an invitee.
        public init(address: String, state: EnrollmentState, lastSequenceSent: Int? = nil, recordedAnswerStamp: Date? = nil) {
            self.address = address
            self.state = state
            self.lastSequenceSent = lastSequenceSent
            self.recordedAnswerStamp = recordedAnswerStamp
        }
    }

    public var session: Session
    /// Nil when the ATTENDEE is not an invited worker of the session (never invited, or an alias).
    public var invitee: Invitee?
    /// True when a message with the same Message-ID was handled by an earlier ingest.
    public var messageAlreadyHandled: Bool

    /// Creates a standing.
    public init(session: Session, invitee: Invitee?, messageAlreadyHandled: Bool = false) {
        self.session = session
        self.invitee = invitee
        self.messageAlreadyHandled = messageAlreadyHandled
    }
}
