/// Why an incoming calendar answer was not applied as it stands.
public enum ReplyReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    // Kept for the organiser (`needs_review`).
    case staleSequence = "stale_sequence"
    case fromNotAttendee = "from_not_attendee"
    case attendeeNotInvited = "attendee_not_invited"
    case delegated
    case dmarcFailed = "dmarc_failed"
    case forwarded
    // Ignored.
    case unknownSession = "unknown_session"
    case sessionCancelled = "session_cancelled"
    case sessionPast = "session_past"
    case olderThanRecordedAnswer = "older_than_recorded_answer"
    case duplicateMessage = "duplicate_message"
    case notAnAnswer = "not_an_answer"
    case noAnswerGiven = "no_answer_given"
    case enrollmentClosed = "enrollment_closed"

    /// The reason as `reply list` prints it.
    public var description: String {
        switch self {
        case .staleSequence: return "accepts an older version of the invitation than the person was last sent"
        case .fromNotAttendee: return "the mail's From address is not the attendee who answers"
        case .attendeeNotInvited: return "the attendee was never invited to this session (a forwarded invitation or another address of the person)"
        case .delegated: return "the person delegated the invitation to someone else"
        case .dmarcFailed: return "the receiving mail server found the From address forged (DMARC fail)"
        case .forwarded: return "the answer came inside a forwarded message"
        case .unknownSession: return "no session has this UID"
        case .sessionCancelled: return "the session is cancelled"
        case .sessionPast: return "the session is over"
        case .olderThanRecordedAnswer: return "an answer written later (DTSTAMP) is already recorded"
        case .duplicateMessage: return "this message (Message-ID) was handled before"
        case .notAnAnswer: return "the calendar message is not a REPLY, COUNTER or REFRESH"
        case .noAnswerGiven: return "the answer gives no participation status (NEEDS-ACTION or unknown)"
        case .enrollmentClosed: return "the person's enrollment no longer takes answers"
        }
    }
}
