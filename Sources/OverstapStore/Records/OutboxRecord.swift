import Foundation
import GRDB
import OverstapCore

/// A row of `outbox`.
struct OutboxRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outbox"

    var id: Int64?
    var kind: String
    var sessionID: Int64
    var workerID: Int64?
    var partnerID: Int64?
    var recipient: String
    var messageID: String
    var state: String
    var dueAt: Date
    var attempts: Int
    var nextAttemptAt: Date
    var leaseOwner: String?
    var leaseUntil: Date?
    var lastError: String?
    var createdAt: Date
    var sentAt: Date?
    var meetingAt: Date?
    var invitationSentAt: Date?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let state = Column(CodingKeys.state)
        static let sessionID = Column(CodingKeys.sessionID)
        static let workerID = Column(CodingKeys.workerID)
        static let nextAttemptAt = Column(CodingKeys.nextAttemptAt)
        static let kind = Column(CodingKeys.kind)
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, recipient, state, attempts
        case sessionID = "session_id", workerID = "worker_id", partnerID = "partner_id", messageID = "message_id", dueAt = "due_at"
        case nextAttemptAt = "next_attempt_at", leaseOwner = "lease_owner", leaseUntil = "lease_until", lastError = "last_error"
        case createdAt = "created_at", sentAt = "sent_at", meetingAt = "meeting_at", invitationSentAt = "invitation_sent_at"
    }

    init(_ message: OutboxMessage) {
        id = message.id
        kind = message.kind.rawValue
        sessionID = message.sessionID
        workerID = message.workerID
        partnerID = message.partnerID
        recipient = message.recipient
        messageID = message.messageID
        state = message.state.rawValue
        dueAt = message.dueAt
        attempts = message.attempts
        nextAttemptAt = message.nextAttemptAt
        leaseOwner = message.leaseOwner
        leaseUntil = message.leaseUntil
        lastError = message.lastError
        createdAt = message.createdAt
        sentAt = message.sentAt
        meetingAt = message.meetingAt
        invitationSentAt = message.invitationSentAt
    }

    /// Reads the columns directly: every claim reads a batch of rows, and Codable decoding cost
    /// about twice as much.
    init(row: Row) throws {
        id = row[CodingKeys.id.rawValue]
        kind = row[CodingKeys.kind.rawValue]
        sessionID = row[CodingKeys.sessionID.rawValue]
        workerID = row[CodingKeys.workerID.rawValue]
        partnerID = row[CodingKeys.partnerID.rawValue]
        recipient = row[CodingKeys.recipient.rawValue]
        messageID = row[CodingKeys.messageID.rawValue]
        state = row[CodingKeys.state.rawValue]
        dueAt = row[CodingKeys.dueAt.rawValue]
        attempts = row[CodingKeys.attempts.rawValue]
        nextAttemptAt = row[CodingKeys.nextAttemptAt.rawValue]
        leaseOwner = row[CodingKeys.leaseOwner.rawValue]
        leaseUntil = row[CodingKeys.leaseUntil.rawValue]
        lastError = row[CodingKeys.lastError.rawValue]
        createdAt = row[CodingKeys.createdAt.rawValue]
        sentAt = row[CodingKeys.sentAt.rawValue]
        meetingAt = row[CodingKeys.meetingAt.rawValue]
        invitationSentAt = row[CodingKeys.invitationSentAt.rawValue]
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    var message: OutboxMessage {
        var message = OutboxMessage(
            kind: OutboxKind(rawValue: kind) ?? .invitation, sessionID: sessionID, workerID: workerID ?? 0, recipient: recipient,
            messageID: messageID, held: false, dueAt: dueAt, createdAt: createdAt)
        message.workerID = workerID
        message.partnerID = partnerID
        message.id = id
        message = OutboxMessage(stored: message, state: OutboxState(rawValue: state) ?? .failed)
        message.attempts = attempts
        message.nextAttemptAt = nextAttemptAt
        message.leaseOwner = leaseOwner
        message.leaseUntil = leaseUntil
        message.lastError = lastError
        message.sentAt = sentAt
        message.meetingAt = meetingAt
        message.invitationSentAt = invitationSentAt
        return message
    }
}
