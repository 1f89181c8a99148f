import Foundation
import OverstapCore
import PostgresNIO

/// Partners, sessions, workers and enrollments, written the way `SQLiteAccess` writes them.
extension PostgresAccess {
    func insert(_ partner: Partner, now: Date) async throws {
        let record = PartnerRecord(partner, createdAt: now)
        try await run(
            """
            INSERT INTO partner (slug, name, email, kind, region, created_at)
            VALUES (\(record.slug), \(record.name), \(record.email), \(record.kind), \(record.region), \(record.createdAt))
            """)
    }

    func insert(_ session: Session, startsAt: Date, endsAt: Date, now: Date) async throws -> Int64 {
        let s = SessionRecord(session, startsAt: startsAt, endsAt: endsAt, createdAt: now)
        let id = try await insertedID(
            """
            INSERT INTO session (uid, title, description, kind, sector, audience, start_local, end_local, timezone, recurrence,
                capacity, online_url, location, region, language, status, sequence, cancel_reason, starts_at, ends_at, created_at, updated_at)
            VALUES (\(s.uid), \(s.title), \(s.description), \(s.kind), \(s.sector), \(s.audience), \(s.startLocal), \(s.endLocal),
                \(s.timezone), \(s.recurrence), \(s.capacity), \(s.onlineURL), \(s.location), \(s.region), \(s.language), \(s.status),
                \(s.sequence), \(s.cancelReason), \(s.startsAt), \(s.endsAt), \(s.createdAt), \(s.updatedAt))
            RETURNING id
            """)
        try await linkPartners(session.partners, to: id)
        try await storeMeetingExceptions(session.exceptions, of: id)
        return id
    }

    func update(_ session: Session, startsAt: Date, endsAt: Date) async throws {
        guard let id = session.id else { return }
        // The creation time is the stored one; the record's is not written.
        let s = SessionRecord(session, startsAt: startsAt, endsAt: endsAt, createdAt: session.updatedAt)
        try await run(
            """
            UPDATE session SET uid = \(s.uid), title = \(s.title), description = \(s.description), kind = \(s.kind), sector = \(s.sector),
                audience = \(s.audience), start_local = \(s.startLocal), end_local = \(s.endLocal), timezone = \(s.timezone),
                recurrence = \(s.recurrence), capacity = \(s.capacity), online_url = \(s.onlineURL), location = \(s.location),
                region = \(s.region), language = \(s.language), status = \(s.status), sequence = \(s.sequence),
                cancel_reason = \(s.cancelReason), starts_at = \(s.startsAt), ends_at = \(s.endsAt), updated_at = \(s.updatedAt)
            WHERE id = \(id)
            """)
        try await run("DELETE FROM session_partner WHERE session_id = \(id)")
        try await linkPartners(session.partners, to: id)
        try await storeMeetingExceptions(session.exceptions, of: id)
    }

    /// Links partners by slug in the given order; unknown slugs are skipped, as in SQLite.
    private func linkPartners(_ slugs: [String], to sessionID: Int64) async throws {
        guard !slugs.isEmpty else { return }
        try await run(
            """
            INSERT INTO session_partner (session_id, partner_id, position)
            SELECT \(sessionID), p.id, l.position - 1 FROM unnest(\(slugs)::text[]) WITH ORDINALITY AS l(slug, position)
            JOIN partner p ON p.slug = l.slug
            """)
    }

    /// Replaces a session's meeting exceptions; local times as `YYYY-MM-DDTHH:MM`.
    private func storeMeetingExceptions(_ exceptions: [MeetingException], of sessionID: Int64) async throws {
        try await run("DELETE FROM meeting_exception WHERE session_id = \(sessionID)")
        for exception in exceptions {
            let values: (status: MeetingStatus, start: String?, end: String?, reason: String?)
            switch exception.change {
            case .cancelled(let reason): values = (.cancelled, nil, nil, reason)
            case .moved(let start, let end): values = (.moved, StoredText.key(start), StoredText.key(end), nil)
            }
            try await run(
                """
                INSERT INTO meeting_exception (session_id, original_start, status, start_local, end_local, reason)
                VALUES (\(sessionID), \(StoredText.key(exception.originalStart)), \(values.status.rawValue), \(values.start), \(values.end),
                    \(values.reason))
                """)
        }
    }

    /// One statement per `workerBatch` workers, whatever the import's size: the rows travel as
    /// one array per column, and `xmax = 0` tells a fresh row from an updated one.
    func upsert(_ workers: [Worker], now: Date) async throws -> ImportCounts {
        var counts = ImportCounts(inserted: 0, updated: 0)
        var start = workers.startIndex
        while start < workers.endIndex {
            let end = min(start + Self.workerBatch, workers.endIndex)
            let batch = WorkerColumns(workers[start..<end].map { WorkerRecord($0, firstImportedAt: now, updatedAt: now) })
            let fresh = try await values(
                """
                INSERT INTO worker (email_key, email, name, sector, targets, region, languages, availability, available_from,
                    available_until, status, locale, first_imported_at, updated_at, undeliverable_since)
                SELECT i.email_key, i.email, i.name, i.sector, i.targets, i.region, i.languages, i.availability,
                    NULLIF(i.available_from, ''), NULLIF(i.available_until, ''), i.status, i.locale, \(now), \(now),
                    CASE WHEN i.flagged THEN i.undeliverable_since END
                FROM unnest(\(batch.emailKey)::text[], \(batch.email)::text[], \(batch.name)::text[], \(batch.sector)::text[],
                    \(batch.targets)::text[], \(batch.region)::text[], \(batch.languages)::text[], \(batch.availability)::text[],
                    \(batch.availableFrom)::text[], \(batch.availableUntil)::text[], \(batch.status)::text[], \(batch.locale)::text[],
                    \(batch.flagged)::boolean[], \(batch.undeliverableSince)::timestamptz[])
                    AS i(email_key, email, name, sector, targets, region, languages, availability, available_from, available_until,
                        status, locale, flagged, undeliverable_since)
                ON CONFLICT (email_key) DO UPDATE SET email = excluded.email, name = excluded.name, sector = excluded.sector,
                    targets = excluded.targets, region = excluded.region, languages = excluded.languages,
                    availability = excluded.availability, available_from = excluded.available_from,
                    available_until = excluded.available_until, status = excluded.status, locale = excluded.locale,
                    updated_at = excluded.updated_at
                RETURNING xmax = 0
                """,
                as: Bool.self)
            counts.inserted += fresh.count(where: { $0 })
            counts.updated += fresh.count(where: { !$0 })
            start = end
        }
        return counts
    }

    /// Workers per upsert statement: large enough that 100,000 take a handful of round trips,
    /// small enough that one statement's arrays stay a few megabytes.
    static let workerBatch = 10_000

    func apply(_ change: EnrollmentChange, now: Date) async throws {
        guard change.from != change.to else { return }
        let to = change.to.rawValue
        // A new invitation round starts with no delivery, deadline or nudge of an earlier one.
        let newRound = change.to == .invited ? ", invitation_sent_at = NULL, answer_by = NULL, nudged_at = NULL" : ""
        let changed: Int
        if let from = change.from?.rawValue, case .placedByOrganiser(let reason) = change.event {
            // Placed again after it ended: the new placement's reason replaces the old ones.
            changed = try await rows(
                """
                UPDATE enrollment SET state = \(to), updated_at = \(now), override_reason = \(reason), removal_reason = NULL\(unescaped: newRound)
                WHERE session_id = \(change.sessionID) AND worker_id = \(change.workerID) AND state = \(from)
                RETURNING 1
                """).count
        } else if let from = change.from?.rawValue {
            changed = try await rows(
                """
                UPDATE enrollment SET state = \(to), updated_at = \(now)\(unescaped: newRound)
                WHERE session_id = \(change.sessionID) AND worker_id = \(change.workerID) AND state = \(from)
                RETURNING 1
                """).count
        } else {
            // Roster numbers are never handed out twice, even after an erasure: the counter keeps the last.
            changed = try await rows(
                """
                WITH number AS (
                    INSERT INTO roster_counter (session_id, last_number) VALUES (\(change.sessionID), 1)
                    ON CONFLICT (session_id) DO UPDATE SET last_number = roster_counter.last_number + 1
                    RETURNING last_number)
                INSERT INTO enrollment (session_id, worker_id, state, updated_at, override_reason, roster_number)
                SELECT \(change.sessionID), \(change.workerID), \(to), \(now), \(change.overrideReason), last_number FROM number
                ON CONFLICT DO NOTHING
                RETURNING 1
                """).count
        }
        guard changed == 1 else {
            let stored = try await value(
                "SELECT state FROM enrollment WHERE session_id = \(change.sessionID) AND worker_id = \(change.workerID)", as: String.self)
            throw StaleEnrollmentChange(change: change, stored: stored.flatMap(EnrollmentState.init(rawValue:)))
        }
        try await recordMilestones(change, now: now)
    }

    /// Notes the first time an enrollment was invited, answered or accepted (see `SQLiteAccess`).
    private func recordMilestones(_ change: EnrollmentChange, now: Date) async throws {
        let columns = change.milestoneColumns
        guard !columns.isEmpty else { return }
        let assignments = columns.map { "\($0) = COALESCE(\($0), $1)" }.joined(separator: ", ")
        var binds = PostgresBindings(capacity: 3)
        binds.append(now)
        binds.append(change.sessionID)
        binds.append(change.workerID)
        try await run(PostgresQuery(unsafeSQL: "UPDATE enrollment SET \(assignments) WHERE session_id = $2 AND worker_id = $3", binds: binds))
    }

    func deleteWorker(id: Int64) async throws {
        // Answers from their address that matched no enrollment are theirs too. Every other row
        // that names them (enrollments, outbox, sequences, replies, attendance, outcomes,
        // consents) goes with the worker row: each of those references is ON DELETE CASCADE.
        try await run(
            """
            DELETE FROM reply WHERE lower(from_address) = (SELECT lower(email) FROM worker WHERE id = \(id))
                OR lower(attendee) = (SELECT lower(email) FROM worker WHERE id = \(id))
            """)
        try await run("DELETE FROM worker WHERE id = \(id)")
    }

    /// Runs an `INSERT … RETURNING id`; the new row's id.
    func insertedID(_ query: PostgresQuery) async throws -> Int64 {
        guard let id = try await value(query, as: Int64.self) else {
            throw PostgresWriteError(statement: "INSERT … RETURNING id", problem: "returned no id")
        }
        return id
    }
}

/// Worker records as one array per column, for `unnest`.
private struct WorkerColumns {
    var emailKey: [String] = [], email: [String] = [], name: [String] = [], sector: [String] = [], targets: [String] = []
    var region: [String] = [], languages: [String] = [], availability: [String] = [], availableFrom: [String] = []
    var availableUntil: [String] = [], status: [String] = [], locale: [String] = [], flagged: [Bool] = []
    var undeliverableSince: [Date] = []

    /// Arrays cannot carry NULL through postgres-nio: an absent date is `''` (never a valid date),
    /// an absent flag time is `flagged = false`.
    init(_ records: [WorkerRecord]) {
        for record in records {
            emailKey.append(record.emailKey)
            email.append(record.email)
            name.append(record.name)
            sector.append(record.sector)
            targets.append(record.targets)
            region.append(record.region)
            languages.append(record.languages)
            availability.append(record.availability)
            availableFrom.append(record.availableFrom ?? "")
            availableUntil.append(record.availableUntil ?? "")
            status.append(record.status)
            locale.append(record.locale)
            flagged.append(record.undeliverableSince != nil)
            undeliverableSince.append(record.undeliverableSince ?? Date(timeIntervalSince1970: 0))
        }
    }
}

/// A write that PostgreSQL answered in a way the store does not expect (a bug, not the user's input).
struct PostgresWriteError: Error, CustomStringConvertible {
    var statement: String
    var problem: String
    var description: String { "PostgreSQL store: \(statement) \(problem)" }
}

extension PostgresAccess: StoreWriter {}
