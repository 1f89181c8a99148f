import Foundation

/// What an outbox message is for; the text and calendar object are rendered when it is sent.
public enum OutboxKind: String, CaseIterable, Codable, Sendable {
    case invitation, update, cancellation, reminder
    /// An acceptance made in a calendar came when no seat was free: the mail says so and carries a
    /// CANCEL, since the person's calendar has put the entry back.
    case seatTaken = "seat_taken"
    /// One meeting of a series was called off: a CANCEL with its RECURRENCE-ID; the entry stays.
    case meetingCancellation = "meeting_cancellation"
    /// A meeting less than 48 hours away was cancelled or moved: plain mail to a partner (their
    /// feed may refresh too late). The only kind addressed to a partner instead of a worker.
    case partnerNotice = "partner_notice"
    /// One friendly reminder to answer before the answer deadline (no calendar part).
    case nudge
    /// No answer came before the deadline: the seat went to someone else. It carries a CANCEL.
    case expiry

    /// Calendar messages replace each other; reminders, nudges and partner notices stand alone.
    public var isCalendarMessage: Bool { ![.reminder, .nudge, .partnerNotice].contains(self) }
    /// Whether the message takes the entry out of the person's calendar (it carries a CANCEL).
    public var removesEntry: Bool { self == .cancellation || self == .seatTaken || self == .expiry }
}

/// Where an outbox message stands.
public enum OutboxState: String, CaseIterable, Codable, Sendable {
    /// Queued with `--hold`: waits for `outbox release`.
    case held
    /// Waits for its next attempt.
    case pending
    /// Claimed by a sender (see the lease); a dead sender's rows are taken over.
    case sending
    case sent
    /// Given up: permanent rejection or too old.
    case failed
    /// Replaced by a newer calendar message before it left.
    case superseded

    /// True while the message may still be sent.
    public var isWaiting: Bool { self == .held || self == .pending }
}

/// One message in the durable outbox.
public struct OutboxMessage: Sendable, Equatable {
    public var id: Int64?
    public var kind: OutboxKind
    public var sessionID: Int64
    /// The worker it goes to; nil for a partner notice.
    public var workerID: Int64?
    /// The partner it goes to (a partner notice); nil for everything addressed to a worker.
    public var partnerID: Int64?
    public var recipient: String
    /// The `Message-ID` (without brackets), fixed when queued so retries keep it.
    public var messageID: String
    /// Changed only by `OutboxLifecycle`.
    public internal(set) var state: OutboxState
    /// When the message may first be sent.
    public var dueAt: Date
    public var attempts: Int
    public var nextAttemptAt: Date
    /// Who is sending it (`host/pid/run`) and until when the claim holds.
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// The last failure, including the server's reply and enhanced status code.
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?
    /// For a reminder: the start of the meeting it is about; for a meeting cancellation or a
    /// partner notice: the meeting's original start (its RECURRENCE-ID).
    public var meetingAt: Date?
    /// For a nudge or an expiry notice: when the invitation of the round it belongs to was
    /// delivered. The database keeps one of each per round, so two runs at once queue one.
    public var invitationSentAt: Date?

    /// Creates a message waiting to be sent at `dueAt`.
    public init(
        kind: OutboxKind, sessionID: Int64, workerID: Int64, recipient: String, messageID: String, held: Bool, dueAt: Date, createdAt: Date
    ) {
        self.kind = kind
        self.sessionID = sessionID
        self.workerID = workerID
        self.recipient = recipient
        self.messageID = messageID
        state = held ? .held : .pending
        self.dueAt = dueAt
        attempts = 0
        nextAttemptAt = dueAt
        self.createdAt = createdAt
    }

    /// Creates a partner notice about the meeting that originally started at `meetingAt`.
    public init(
        partnerNoticeFor sessionID: Int64, partnerID: Int64, recipient: String, meetingAt: Date, messageID: String, dueAt: Date
    ) {
        self.init(
            kind: .partnerNotice, sessionID: sessionID, workerID: 0, recipient: recipient, messageID: messageID, held: false, dueAt: dueAt,
            createdAt: dueAt)
        workerID = nil
        self.partnerID = partnerID
        self.meetingAt = meetingAt
    }

    /// A message as the store read it back, in the state the lifecycle last gave it.
    public init(stored message: OutboxMessage, state: OutboxState) {
        self = message
        self.state = state
    }
}
