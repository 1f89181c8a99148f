import Foundation

/// What became of a calendar answer that arrived by mail.
public enum ReplyStatus: String, Sendable, CaseIterable, Codable {
    /// The answer was taken, as through the answer page.
    case applied
    /// Nothing to do (unknown session, older than an answer already taken, …); the reason says why.
    case ignored
    /// Kept for the organiser, who applies or dismisses it.
    case needsReview = "needs_review"
    /// An acceptance for a session without a free seat: the person was told and the entry removed.
    case refusedFull = "refused_full"
    /// Seen by the organiser and set aside.
    case dismissed
}

/// One calendar answer (iTIP REPLY, COUNTER or REFRESH) as Overstap keeps it: parsed fields only,
/// never the raw message.
public struct StoredReply: Sendable, Equatable {
    public var id: Int64?
    public var messageID: String?
    public var receivedAt: Date
    /// The address in the mail's From header.
    public var from: String
    /// The ATTENDEE the answer is for.
    public var attendee: String?
    /// REPLY, COUNTER or REFRESH.
    public var method: String
    /// ACCEPTED, DECLINED, TENTATIVE, DELEGATED …
    public var partstat: String?
    public var sessionID: Int64?
    public var workerID: Int64?
    /// The original start of the one meeting of a series the answer is about, in the session's zone
    /// (`2027-03-09T19:00`).
    public var recurrenceID: String?
    public var sequence: Int?
    /// The answer's DTSTAMP: when the person's calendar made it.
    public var stamp: Date?
    public var outcome: ReplyStatus
    public var reason: String
    /// The person's COMMENT.
    public var comment: String?
    /// A COUNTER's proposed start and end.
    public var proposedStart: Date?
    public var proposedEnd: Date?
    /// When the organiser applied or dismissed it.
    public var decidedAt: Date?

    /// Creates a reply record.
    public init(
        id: Int64? = nil, messageID: String?, receivedAt: Date, from: String, attendee: String?, method: String, partstat: String?,
        sessionID: Int64?, workerID: Int64?, recurrenceID: String?, sequence: Int?, stamp: Date?, outcome: ReplyStatus, reason: String,
        comment: String? = nil, proposedStart: Date? = nil, proposedEnd: Date? = nil, decidedAt: Date? = nil
    ) {
        self.id = id
        self.messageID = messageID
        self.receivedAt = receivedAt
        self.from = from
        self.attendee = attendee
        self.method = method
        self.partstat = partstat
        self.sessionID = sessionID
        self.workerID = workerID
        self.recurrenceID = recurrenceID
        self.sequence = sequence
        self.stamp = stamp
        self.outcome = outcome
        self.reason = reason
        self.comment = comment
        self.proposedStart = proposedStart
        self.proposedEnd = proposedEnd
        self.decidedAt = decidedAt
    }
}

/// Which replies to list.
public struct ReplyFilter: Sendable, Equatable {
    public var sessionID: Int64?
    public var outcome: ReplyStatus?
    public var since: Date?

    /// Creates a filter; nil fields do not filter.
    public init(sessionID: Int64? = nil, outcome: ReplyStatus? = nil, since: Date? = nil) {
        self.sessionID = sessionID
        self.outcome = outcome
        self.since = since
    }
}
