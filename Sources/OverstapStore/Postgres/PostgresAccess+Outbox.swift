import Foundation
import OverstapCore
import PostgresNIO

/// The outbox operations whose correctness rests on several daemons sharing one database: the
/// claim (`FOR UPDATE SKIP LOCKED`, leases on the server's clock), lease renewals and outcomes
/// written only by the lease's owner, and inserts that `002_idempotent_schedules` may refuse.
extension PostgresAccess {
    func insert(_ message: OutboxMessage) async throws -> Int64? {
        // ON CONFLICT covers the uniqueness rules only (a CHECK still fails), and unlike a caught
        // unique violation it leaves the transaction usable: the twin is simply "already done".
        try await value(
            """
            INSERT INTO outbox (kind, session_id, worker_id, partner_id, recipient, message_id, state, due_at, attempts,
                next_attempt_at, lease_owner, lease_until, last_error, created_at, sent_at, meeting_at, invitation_sent_at)
            VALUES (\(message.kind.rawValue), \(message.sessionID), \(message.workerID), \(message.partnerID), \(message.recipient),
                \(message.messageID), \(message.state.rawValue), \(message.dueAt), \(message.attempts), \(message.nextAttemptAt),
                \(message.leaseOwner), \(message.leaseUntil), \(message.lastError), \(message.createdAt), \(message.sentAt),
                \(message.meetingAt), \(message.invitationSentAt))
            ON CONFLICT DO NOTHING RETURNING id
            """, as: Int64.self)
    }

    func record(_ transition: OutboxTransition) async throws -> Bool {
        let message = transition.message
        guard let id = message.id else { return false }
        return try await !rows(
            """
            UPDATE outbox SET state = \(message.state.rawValue), attempts = \(message.attempts), next_attempt_at = \(message.nextAttemptAt),
                lease_owner = \(message.leaseOwner), lease_until = \(message.leaseUntil), last_error = \(message.lastError),
                sent_at = \(message.sentAt)
            WHERE id = \(id) AND state = \(transition.from.rawValue) AND lease_owner IS NOT DISTINCT FROM \(transition.fromLeaseOwner)
            RETURNING 1
            """
        ).isEmpty
    }

    func renewOutboxLeases(owner: String, ids: [Int64], lease: TimeInterval, now: Date) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return Set(
            try await values(
                """
                UPDATE outbox SET lease_until = clock_timestamp() + make_interval(secs => \(lease))
                WHERE state = \(OutboxLifecycle.claimedState.rawValue) AND lease_owner = \(owner) AND id = ANY(\(ids))
                RETURNING id
                """, as: Int64.self))
    }

    /// The claim, in the caller's transaction (`PostgresStore.claimOutbox` opens a short READ
    /// COMMITTED one): one statement locks the chosen rows, skipping those another daemon is
    /// claiming at that moment, and writes what `OutboxLifecycle` decides for a claim.
    func claimOutbox(
        owner: String, lease: TimeInterval, now: Date, limit: Int, workerID: Int64?, ownerIsGone: (String) -> Bool
    ) async throws -> [OutboxMessage] {
        // A live lease is taken over only when its holder is known to be gone: the process check
        // works for holders on this host; one on another host keeps its lease until it lapses.
        let holders = try await values(
            """
            SELECT DISTINCT lease_owner FROM outbox
            WHERE state = \(OutboxState.sending.rawValue) AND lease_until >= clock_timestamp() AND lease_owner IS NOT NULL
            """, as: String.self)
        let gone = holders.filter(ownerIsGone)
        let claimable = OutboxLifecycle.claimableStates.map(\.rawValue).sorted()
        let rows = try await rows(
            """
            WITH picked AS (
                SELECT \(unescaped: OutboxRecord.postgresColumns) FROM outbox
                WHERE state = ANY(\(claimable))
                    AND ((state = \(OutboxState.pending.rawValue) AND next_attempt_at <= \(now))
                        OR (state = \(OutboxState.sending.rawValue) AND lease_owner IS DISTINCT FROM \(owner)
                            AND (lease_until < clock_timestamp() OR lease_owner = ANY(\(gone)))))
                    AND (\(workerID)::bigint IS NULL OR worker_id = \(workerID))
                ORDER BY state = \(OutboxState.sending.rawValue) DESC, next_attempt_at, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            )
            UPDATE outbox SET state = \(OutboxLifecycle.claimedState.rawValue), lease_owner = \(owner),
                lease_until = clock_timestamp() + make_interval(secs => \(lease))
            FROM picked WHERE outbox.id = picked.id
            RETURNING picked.*, outbox.lease_until AS claimed_until
            """)
        // RETURNING keeps no order: taken-over messages first, then the oldest due, as chosen.
        let picked = try rows.map { row in
            (message: try OutboxRecord(postgres: row).message, until: try row.makeRandomAccess()["claimed_until"].decode(Date.self))
        }
        .sorted { ($0.message.state == .sending ? 0 : 1, $0.message.nextAttemptAt, $0.message.id ?? 0)
            < ($1.message.state == .sending ? 0 : 1, $1.message.nextAttemptAt, $1.message.id ?? 0) }
        return try picked.map { try OutboxLifecycle.apply(.claimed(owner: owner, until: $0.until), to: $0.message).message }
    }
}

extension PostgresStore {
    public func claimOutbox(
        owner: String, lease: TimeInterval, now: Date, limit: Int, workerID: Int64?, ownerIsGone: @escaping @Sendable (String) -> Bool
    ) async throws -> [OutboxMessage] {
        try await ensureSchema()
        // READ COMMITTED, the level SKIP LOCKED is made for: a SERIALIZABLE claim would fail
        // whenever another daemon claimed rows its scan had read, and be run again for nothing.
        return try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { access in
            try await access.claimOutbox(owner: owner, lease: lease, now: now, limit: limit, workerID: workerID, ownerIsGone: ownerIsGone)
        }
    }
}
