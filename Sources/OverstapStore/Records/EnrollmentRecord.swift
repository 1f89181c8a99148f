import Foundation
import GRDB
import OverstapCore

/// A row of `enrollment`.
struct EnrollmentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "enrollment"

    var id: Int64?
    var sessionID: Int64
    var workerID: Int64
    var state: String
    var updatedAt: Date
    var overrideReason: String?
    var removalReason: String?
    var rosterNumber: Int?
    var invitationSentAt: Date?
    var answerBy: Date?
    var nudgedAt: Date?

    enum Columns {
        static let sessionID = Column(CodingKeys.sessionID)
        static let workerID = Column(CodingKeys.workerID)
    }

    enum CodingKeys: String, CodingKey {
        case id, state
        case sessionID = "session_id", workerID = "worker_id", updatedAt = "updated_at", overrideReason = "override_reason"
        case removalReason = "removal_reason", rosterNumber = "roster_number"
        case invitationSentAt = "invitation_sent_at", answerBy = "answer_by", nudgedAt = "nudged_at"
    }

    /// Reads the columns directly: rendering a mail reads an enrollment, and Codable decoding
    /// cost about twice as much.
    init(row: Row) throws {
        id = row[CodingKeys.id.rawValue]
        sessionID = row[CodingKeys.sessionID.rawValue]
        workerID = row[CodingKeys.workerID.rawValue]
        state = row[CodingKeys.state.rawValue]
        updatedAt = row[CodingKeys.updatedAt.rawValue]
        overrideReason = row[CodingKeys.overrideReason.rawValue]
        removalReason = row[CodingKeys.removalReason.rawValue]
        rosterNumber = row[CodingKeys.rosterNumber.rawValue]
        invitationSentAt = row[CodingKeys.invitationSentAt.rawValue]
        answerBy = row[CodingKeys.answerBy.rawValue]
        nudgedAt = row[CodingKeys.nudgedAt.rawValue]
    }

    var enrollment: Enrollment {
        Enrollment(
            id: id, sessionID: sessionID, workerID: workerID, state: EnrollmentState(rawValue: state) ?? .cancelled,
            updatedAt: updatedAt, overrideReason: overrideReason, removalReason: removalReason, rosterNumber: rosterNumber,
            invitationSentAt: invitationSentAt, answerBy: answerBy, nudgedAt: nudgedAt)
    }
}

extension EnrollmentChange {
    /// The enrollment columns that note, once, that this change's step was reached: the report
    /// still counts an invitation or an answer after a later state replaced it.
    var milestoneColumns: [String] {
        switch event {
        case .invited: ["invited_at"]
        case .answered(.accept): ["answered_at", "accepted_at"]
        case .answered: ["answered_at"]
        default: []
        }
    }
}
