import Foundation
import PostgresNIO
import OverstapCore

// The GRDB records double as the PostgreSQL rows: each decodes from the columns it lists here,
// in that order, so both backends share one mapping from row to domain value.

extension PartnerRecord {
    static let postgresColumns = "id, slug, name, email, kind, region, created_at"

    init(postgres row: PostgresRow) throws {
        var cells = PostgresCells(row)
        id = try cells.next()
        slug = try cells.next()
        name = try cells.next()
        email = try cells.next()
        kind = try cells.next()
        region = try cells.next()
        createdAt = try cells.next()
    }
}

extension SessionRecord {
    /// Decodes a row selected with `orderedColumns` first; the cells after them are the caller's.
    init(postgres cells: inout PostgresCells) throws {
        id = try cells.next()
        uid = try cells.next()
        title = try cells.next()
        description = try cells.next()
        kind = try cells.next()
        sector = try cells.next()
        audience = try cells.next()
        startLocal = try cells.next()
        endLocal = try cells.next()
        timezone = try cells.next()
        recurrence = try cells.next()
        capacity = try cells.next()
        onlineURL = try cells.next()
        location = try cells.next()
        region = try cells.next()
        language = try cells.next()
        status = try cells.next()
        sequence = try cells.next()
        cancelReason = try cells.next()
        startsAt = try cells.next()
        endsAt = try cells.next()
        createdAt = try cells.next()
        updatedAt = try cells.next()
    }
}

extension WorkerRecord {
    static let postgresColumns = """
        id, email_key, email, name, sector, targets, region, languages, availability, available_from, available_until, status, locale,
        first_imported_at, updated_at, undeliverable_since
        """

    init(postgres row: PostgresRow) throws {
        var cells = PostgresCells(row)
        id = try cells.next()
        emailKey = try cells.next()
        email = try cells.next()
        name = try cells.next()
        sector = try cells.next()
        targets = try cells.next()
        region = try cells.next()
        languages = try cells.next()
        availability = try cells.next()
        availableFrom = try cells.next()
        availableUntil = try cells.next()
        status = try cells.next()
        locale = try cells.next()
        firstImportedAt = try cells.next()
        updatedAt = try cells.next()
        undeliverableSince = try cells.next()
    }
}

extension EnrollmentRecord {
    /// The columns, each prefixed with `table.` when given.
    static func postgresColumns(_ table: String = "") -> String {
        let prefix = table.isEmpty ? "" : table + "."
        return [
            "id", "session_id", "worker_id", "state", "updated_at", "override_reason", "removal_reason", "roster_number",
            "invitation_sent_at", "answer_by", "nudged_at",
        ].map { prefix + $0 }.joined(separator: ", ")
    }

    /// Decodes the columns `postgresColumns` lists; the cells after them are the caller's.
    init(postgres cells: inout PostgresCells) throws {
        id = try cells.next()
        sessionID = try cells.next()
        workerID = try cells.next()
        state = try cells.next()
        updatedAt = try cells.next()
        overrideReason = try cells.next()
        removalReason = try cells.next()
        rosterNumber = try cells.next()
        invitationSentAt = try cells.next()
        answerBy = try cells.next()
        nudgedAt = try cells.next()
    }

    init(postgres row: PostgresRow) throws {
        var cells = PostgresCells(row)
        try self.init(postgres: &cells)
    }
}

extension OutboxRecord {
    static let postgresColumns = """
        id, kind, session_id, worker_id, partner_id, recipient, message_id, state, due_at, attempts, next_attempt_at, lease_owner,
        lease_until, last_error, created_at, sent_at, meeting_at, invitation_sent_at
        """

    init(postgres row: PostgresRow) throws {
        var cells = PostgresCells(row)
        id = try cells.next()
        kind = try cells.next()
        sessionID = try cells.next()
        workerID = try cells.next()
        partnerID = try cells.next()
        recipient = try cells.next()
        messageID = try cells.next()
        state = try cells.next()
        dueAt = try cells.next()
        attempts = try cells.next()
        nextAttemptAt = try cells.next()
        leaseOwner = try cells.next()
        leaseUntil = try cells.next()
        lastError = try cells.next()
        createdAt = try cells.next()
        sentAt = try cells.next()
        meetingAt = try cells.next()
        invitationSentAt = try cells.next()
    }
}

extension ReplyRecord {
    static let postgresColumns = """
        id, message_id, received_at, from_address, attendee, method, partstat, session_id, worker_id, recurrence_id, sequence, stamp,
        outcome, reason, comment, proposed_start, proposed_end, decided_at
        """

    init(postgres row: PostgresRow) throws {
        var cells = PostgresCells(row)
        id = try cells.next()
        messageID = try cells.next()
        receivedAt = try cells.next()
        fromAddress = try cells.next()
        attendee = try cells.next()
        method = try cells.next()
        partstat = try cells.next()
        sessionID = try cells.next()
        workerID = try cells.next()
        recurrenceID = try cells.next()
        sequence = try cells.next()
        stamp = try cells.next()
        outcome = try cells.next()
        reason = try cells.next()
        comment = try cells.next()
        proposedStart = try cells.next()
        proposedEnd = try cells.next()
        decidedAt = try cells.next()
    }
}
