import Foundation
import OverstapCore
import PostgresNIO

/// The outbox, calendar answers and what mail delivery notes about people and enrollments.
extension PostgresAccess {
    // Outbox inserts, outcomes, claims and lease renewals: PostgresAccess+Outbox.swift.

    func setFeedTokenHash(partner slug: String, hash: String) async throws {
        try await run("UPDATE partner SET feed_token_hash = \(hash) WHERE slug = \(slug)")
    }

    func markUndeliverable(workerID: Int64, now: Date) async throws {
        try await run("UPDATE worker SET undeliverable_since = COALESCE(undeliverable_since, \(now)) WHERE id = \(workerID)")
    }

    func markDeliverable(workerID: Int64) async throws -> Bool {
        try await rows(
            "UPDATE worker SET undeliverable_since = NULL WHERE id = \(workerID) AND undeliverable_since IS NOT NULL RETURNING 1").count == 1
    }

    func markDeliverable(flaggedSince since: Date) async throws -> [String] {
        // RETURNING gives no order: sort by id as SQLite lists them.
        let rows = try await connection.query(
            "UPDATE worker SET undeliverable_since = NULL WHERE undeliverable_since >= \(since) RETURNING id, email", logger: logger)
        var flagged: [(id: Int64, email: String)] = []
        for try await (id, email) in rows.decode((Int64, String).self) { flagged.append((id, email)) }
        return flagged.sorted { $0.id < $1.id }.map(\.email)
    }

    func noteFreedSeat(sessionID: Int64, at: Date) async throws {
        try await run("INSERT INTO seat_refill (session_id, freed_at) VALUES (\(sessionID), \(at)) ON CONFLICT DO NOTHING")
    }

    func clearFreedSeat(sessionID: Int64) async throws -> Bool {
        // A second run at once waits for the first's row lock, then finds the note gone.
        try await !rows("DELETE FROM seat_refill WHERE session_id = \(sessionID) RETURNING 1").isEmpty
    }

    func recordSentSequence(_ sent: SentSequence, sessionID: Int64, workerID: Int64) async throws {
        try await run(
            """
            INSERT INTO sent_sequence (session_id, worker_id, sequence, was_cancel) VALUES (\(sessionID), \(workerID), \(sent.sequence), \(sent.wasCancel))
            ON CONFLICT (session_id, worker_id) DO UPDATE SET sequence = excluded.sequence, was_cancel = excluded.was_cancel
            """)
    }

    func insert(_ reply: StoredReply) async throws -> Int64 {
        let r = ReplyRecord(reply)
        return try await insertedID(
            """
            INSERT INTO reply (message_id, received_at, from_address, attendee, method, partstat, session_id, worker_id, recurrence_id,
                sequence, stamp, outcome, reason, comment, proposed_start, proposed_end, decided_at)
            VALUES (\(r.messageID), \(r.receivedAt), \(r.fromAddress), \(r.attendee), \(r.method), \(r.partstat), \(r.sessionID),
                \(r.workerID), \(r.recurrenceID), \(r.sequence), \(r.stamp), \(r.outcome), \(r.reason), \(r.comment), \(r.proposedStart),
                \(r.proposedEnd), \(r.decidedAt))
            RETURNING id
            """)
    }

    func decideReply(id: Int64, outcome: ReplyStatus, reason: String, at: Date) async throws {
        try await run("UPDATE reply SET outcome = \(outcome.rawValue), reason = \(reason), decided_at = \(at) WHERE id = \(id)")
    }

    func setRemovalReason(_ reason: String?, sessionID: Int64, workerID: Int64) async throws {
        try await run("UPDATE enrollment SET removal_reason = \(reason) WHERE session_id = \(sessionID) AND worker_id = \(workerID)")
    }

    func recordInvitationSent(sessionID: Int64, workerID: Int64, at: Date, answerBy: Date?) async throws -> Bool {
        try await rows(
            """
            UPDATE enrollment SET invitation_sent_at = \(at), answer_by = \(answerBy)
            WHERE session_id = \(sessionID) AND worker_id = \(workerID) AND state = \(EnrollmentState.invited.rawValue)
                AND invitation_sent_at IS NULL
            RETURNING 1
            """).count == 1
    }

    func markNudged(sessionID: Int64, workerID: Int64, at: Date) async throws -> Bool {
        try await rows(
            """
            UPDATE enrollment SET nudged_at = \(at)
            WHERE session_id = \(sessionID) AND worker_id = \(workerID) AND state = \(EnrollmentState.invited.rawValue) AND nudged_at IS NULL
            RETURNING 1
            """).count == 1
    }
}
