import Foundation
import GRDB
import OverstapCore

/// A row of `reply`.
struct ReplyRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "reply"

    var id: Int64?
    var messageID: String?
    var receivedAt: Date
    var fromAddress: String
    var attendee: String?
    var method: String
    var partstat: String?
    var sessionID: Int64?
    var workerID: Int64?
    var recurrenceID: String?
    var sequence: Int?
    var stamp: Date?
    var outcome: String
    var reason: String
    var comment: String?
    var proposedStart: Date?
    var proposedEnd: Date?
    var decidedAt: Date?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let messageID = Column(CodingKeys.messageID)
        static let receivedAt = Column(CodingKeys.receivedAt)
        static let sessionID = Column(CodingKeys.sessionID)
        static let workerID = Column(CodingKeys.workerID)
        static let outcome = Column(CodingKeys.outcome)
        static let stamp = Column(CodingKeys.stamp)
    }

    enum CodingKeys: String, CodingKey {
        case id, attendee, method, partstat, sequence, stamp, outcome, reason, comment
        case messageID = "message_id"
        case receivedAt = "received_at"
        case fromAddress = "from_address"
        case sessionID = "session_id"
        case workerID = "worker_id"
        case recurrenceID = "recurrence_id"
        case proposedStart = "proposed_start"
        case proposedEnd = "proposed_end"
        case decidedAt = "decided_at"
    }

    init(_ reply: StoredReply) {
        id = reply.id
        messageID = reply.messageID
        receivedAt = reply.receivedAt
        fromAddress = reply.from
        attendee = reply.attendee
        method = reply.method
        partstat = reply.partstat
        sessionID = reply.sessionID
        workerID = reply.workerID
        recurrenceID = reply.recurrenceID
        sequence = reply.sequence
        stamp = reply.stamp
        outcome = reply.outcome.rawValue
        reason = reply.reason
        comment = reply.comment
        proposedStart = reply.proposedStart
        proposedEnd = reply.proposedEnd
        decidedAt = reply.decidedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var reply: StoredReply {
        StoredReply(
            id: id, messageID: messageID, receivedAt: receivedAt, from: fromAddress, attendee: attendee, method: method, partstat: partstat,
            sessionID: sessionID, workerID: workerID, recurrenceID: recurrenceID, sequence: sequence, stamp: stamp,
            outcome: ReplyStatus(rawValue: outcome) ?? .needsReview, reason: reason, comment: comment, proposedStart: proposedStart,
            proposedEnd: proposedEnd, decidedAt: decidedAt)
    }
}
