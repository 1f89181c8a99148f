import Foundation
import GRDB
import OverstapCore

/// The store operations over one open GRDB transaction.
struct SQLiteAccess: StoreWriter {
    let db: Database

    static let seatStates = EnrollmentState.allCases.filter(\.holdsSeat).map { "'\($0.rawValue)'" }.joined(separator: ",")

    func partners() async throws -> [Partner] {
        try PartnerRecord.order(PartnerRecord.Columns.slug).fetchAll(db).map(\.partner)
    }

    func partner(slug: String) async throws -> Partner? {
        try PartnerRecord.filter(PartnerRecord.Columns.slug == slug).fetchOne(db)?.partner
    }

    func partnerID(slug: String) async throws -> Int64? {
        try PartnerRecord.filter(PartnerRecord.Columns.slug == slug).fetchOne(db)?.id
    }

    func partner(id: Int64) async throws -> Partner? {
        try PartnerRecord.fetchOne(db, key: id)?.partner
    }

    func sessions(_ filter: SessionFilter) async throws -> [StoredSession] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let partner = filter.partner {
            conditions.append("s.id IN (SELECT sp.session_id FROM session_partner sp JOIN partner p ON p.id = sp.partner_id WHERE p.slug = ?)")
            _ = arguments.append(contentsOf: [partner])
        }
        if let region = filter.region {
            conditions.append("s.region = ?")
            _ = arguments.append(contentsOf: [region])
        }
        if let from = filter.from {
            conditions.append("s.ends_at >= ?")
            _ = arguments.append(contentsOf: [from])
        }
        if let to = filter.to {
            conditions.append("s.starts_at < ?")
            _ = arguments.append(contentsOf: [to])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try fetchSessions(whereClause: whereClause, arguments: arguments)
    }

    func session(id: Int64) async throws -> StoredSession? {
        try fetchSessions(whereClause: "WHERE s.id = ?", arguments: [id]).first
    }

    private func fetchSessions(whereClause: String, arguments: StatementArguments) throws -> [StoredSession] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(SessionRecord.orderedColumns), (SELECT COUNT(*) FROM enrollment e
                             WHERE e.session_id = s.id AND e.state IN (\(Self.seatStates))) AS seats_taken
                FROM session s \(whereClause) ORDER BY s.starts_at, s.id
                """,
            arguments: arguments)
        let partners = try partnerSlugsBySession(onlyOne: rows.count == 1 ? rows[0][0] : nil)
        let exceptions = try meetingExceptionsBySession(onlyOne: rows.count == 1 ? rows[0][0] : nil)
        let seatsColumn = SessionRecord.CodingKeys.allCases.count
        return rows.map { row in
            let record = SessionRecord(orderedRow: row)
            let id = record.id ?? 0
            var session = record.session(partners: partners[id] ?? [])
            session.exceptions = exceptions[id] ?? []
            return StoredSession(session: session, startsAt: record.startsAt, endsAt: record.endsAt, seatsTaken: row[seatsColumn])
        }
    }

    private func meetingExceptionsBySession(onlyOne sessionID: Int64?) throws -> [Int64: [MeetingException]] {
        let sql = """
            SELECT session_id, original_start, status, start_local, end_local, reason FROM meeting_exception
            \(sessionID == nil ? "" : "WHERE session_id = ?") ORDER BY session_id, original_start
            """
        var result: [Int64: [MeetingException]] = [:]
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: sessionID.map { [$0] } ?? [])
        while let row = try cursor.next() {
            result[row[0], default: []].append(
                StoredValues.meetingException(originalStart: row[1], status: row[2], start: row[3], end: row[4], reason: row[5]))
        }
        return result
    }

    /// Replaces a session's meeting exceptions; local times as `YYYY-MM-DDTHH:MM`.
    private func storeMeetingExceptions(_ exceptions: [MeetingException], of sessionID: Int64) throws {
        try db.execute(sql: "DELETE FROM meeting_exception WHERE session_id = ?", arguments: [sessionID])
        for exception in exceptions {
            let values: (status: MeetingStatus, start: String?, end: String?, reason: String?)
            switch exception.change {
            case .cancelled(let reason): values = (.cancelled, nil, nil, reason)
            case .moved(let start, let end): values = (.moved, StoredText.key(start), StoredText.key(end), nil)
            }
            try db.execute(
                sql: """
                    INSERT INTO meeting_exception (session_id, original_start, status, start_local, end_local, reason)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sessionID, StoredText.key(exception.originalStart), values.status.rawValue, values.start, values.end, values.reason,
                ])
        }
    }

    private func partnerSlugsBySession(onlyOne sessionID: Int64?) throws -> [Int64: [String]] {
        let sql = """
            SELECT sp.session_id, p.slug FROM session_partner sp JOIN partner p ON p.id = sp.partner_id
            \(sessionID == nil ? "" : "WHERE sp.session_id = ?") ORDER BY sp.session_id, sp.position
            """
        var result: [Int64: [String]] = [:]
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: sessionID.map { [$0] } ?? [])
        while let row = try cursor.next() {
            result[row[0], default: []].append(row[1])
        }
        return result
    }

    func enrollments(sessionID: Int64) async throws -> [EnrollmentWithWorker] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT e.*, w.email AS worker_email, w.name AS worker_name FROM enrollment e
                JOIN worker w ON w.id = e.worker_id WHERE e.session_id = ? ORDER BY e.id
                """,
            arguments: [sessionID]
        ).map { row in
            EnrollmentWithWorker(
                enrollment: try EnrollmentRecord(row: row).enrollment, email: row["worker_email"], name: row["worker_name"])
        }
    }

    func enrollments(workerID: Int64) async throws -> [EnrollmentWithSession] {
        let records = try EnrollmentRecord.filter(EnrollmentRecord.Columns.workerID == workerID).fetchAll(db)
        var rows: [EnrollmentWithSession] = []
        for record in records {
            guard let session = try await session(id: record.sessionID) else { continue }
            rows.append(EnrollmentWithSession(enrollment: record.enrollment, session: session))
        }
        return rows.sorted { $0.session.startsAt < $1.session.startsAt }
    }

    func workers() async throws -> [Worker] {
        var lists = WorkerRecord.ListColumns()
        var workers: [Worker] = []
        try WorkerRecord.order(WorkerRecord.Columns.id).fetchCursor(db).forEach { workers.append($0.worker(&lists)) }
        return workers
    }

    func worker(email: String) async throws -> Worker? {
        try WorkerRecord.filter(WorkerRecord.Columns.emailKey == email.lowercased()).fetchOne(db)?.worker
    }

    func enrollment(id: Int64) async throws -> Enrollment? {
        try EnrollmentRecord.fetchOne(db, key: id)?.enrollment
    }

    // Cached statements for the lookups `outbox send` makes for every message it renders.
    func enrollment(sessionID: Int64, workerID: Int64) async throws -> Enrollment? {
        try EnrollmentRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM enrollment WHERE session_id = ? AND worker_id = ?"), arguments: [sessionID, workerID]
        )?.enrollment
    }

    func worker(id: Int64) async throws -> Worker? {
        try WorkerRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM worker WHERE id = ?"), arguments: [id])?.worker
    }

    func workerCount() async throws -> Int { try WorkerRecord.fetchCount(db) }

    func allEnrollments() async throws -> [Enrollment] {
        try EnrollmentRecord.order(Column("id")).fetchAll(db).map(\.enrollment)
    }

    func busyPeriods(partner slug: String, from: Date, to: Date) async throws -> [DateInterval] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT b.starts_at, b.ends_at FROM partner_busy b JOIN partner p ON p.id = b.partner_id
                WHERE p.slug = ? AND b.starts_at < ? AND b.ends_at > ? ORDER BY b.starts_at
                """,
            arguments: [slug, to, from]
        ).map { row in DateInterval(start: row[0], end: row[1]) }
    }

    func replaceBusyPeriods(partner slug: String, with periods: [DateInterval]) async throws {
        guard let partnerID = try Int64.fetchOne(db, sql: "SELECT id FROM partner WHERE slug = ?", arguments: [slug]) else { return }
        try db.execute(sql: "DELETE FROM partner_busy WHERE partner_id = ?", arguments: [partnerID])
        let statement = try db.makeStatement(sql: "INSERT INTO partner_busy (partner_id, starts_at, ends_at) VALUES (?, ?, ?)")
        for period in periods {
            try statement.execute(arguments: [partnerID, period.start, period.end])
        }
    }

    func insert(_ partner: Partner, now: Date) async throws {
        try PartnerRecord(partner, createdAt: now).insert(db)
    }

    func insert(_ session: Session, startsAt: Date, endsAt: Date, now: Date) async throws -> Int64 {
        let record = try SessionRecord(session, startsAt: startsAt, endsAt: endsAt, createdAt: now).inserted(db)
        let id = record.id ?? db.lastInsertedRowID
        try linkPartners(session.partners, to: id)
        try storeMeetingExceptions(session.exceptions, of: id)
        return id
    }

    func update(_ session: Session, startsAt: Date, endsAt: Date) async throws {
        guard let id = session.id else { return }
        let createdAt = try Date.fetchOne(db, sql: "SELECT created_at FROM session WHERE id = ?", arguments: [id]) ?? session.updatedAt
        try SessionRecord(session, startsAt: startsAt, endsAt: endsAt, createdAt: createdAt).update(db)
        try db.execute(sql: "DELETE FROM session_partner WHERE session_id = ?", arguments: [id])
        try linkPartners(session.partners, to: id)
        try storeMeetingExceptions(session.exceptions, of: id)
    }

    private func linkPartners(_ slugs: [String], to sessionID: Int64) throws {
        for (position, slug) in slugs.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO session_partner (session_id, partner_id, position)
                    SELECT ?, id, ? FROM partner WHERE slug = ?
                    """,
                arguments: [sessionID, position, slug])
        }
    }

    func upsert(_ workers: [Worker], now: Date) async throws -> ImportCounts {
        var counts = ImportCounts(inserted: 0, updated: 0)
        let existing = try Row.fetchAll(db, sql: "SELECT email_key, id, first_imported_at, undeliverable_since FROM worker")
        var known: [String: (id: Int64, firstImportedAt: Date, undeliverableSince: Date?)] = [:]
        for row in existing { known[row[0]] = (row[1], row[2], row[3]) }
        for worker in workers {
            if let match = known[worker.email.lowercased()] {
                var changed = worker
                changed.id = match.id
                changed.undeliverableSince = match.undeliverableSince
                try WorkerRecord(changed, firstImportedAt: match.firstImportedAt, updatedAt: now).update(db)
                counts.updated += 1
            } else {
                try WorkerRecord(worker, firstImportedAt: now, updatedAt: now).insert(db)
                counts.inserted += 1
            }
        }
        return counts
    }

    func apply(_ change: EnrollmentChange, now: Date) async throws {
        guard change.from != change.to else { return }
        // A new invitation round starts with no delivery, deadline or nudge of an earlier one.
        let newRound = change.to == .invited ? ", invitation_sent_at = NULL, answer_by = NULL, nudged_at = NULL" : ""
        if let from = change.from, case .placedByOrganiser(let reason) = change.event {
            // Placed again after it ended: the new placement's reason replaces the old ones.
            try db.execute(
                sql: """
                    UPDATE enrollment SET state = ?, updated_at = ?, override_reason = ?, removal_reason = NULL\(newRound)
                    WHERE session_id = ? AND worker_id = ? AND state = ?
                    """,
                arguments: [change.to.rawValue, now, reason, change.sessionID, change.workerID, from.rawValue])
        } else if let from = change.from {
            try db.execute(
                sql: "UPDATE enrollment SET state = ?, updated_at = ?\(newRound) WHERE session_id = ? AND worker_id = ? AND state = ?",
                arguments: [change.to.rawValue, now, change.sessionID, change.workerID, from.rawValue])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO roster_counter (session_id, last_number) VALUES (?, 1)
                    ON CONFLICT (session_id) DO UPDATE SET last_number = last_number + 1
                    """,
                arguments: [change.sessionID])
            let number = try Int.fetchOne(db, sql: "SELECT last_number FROM roster_counter WHERE session_id = ?", arguments: [change.sessionID])
            try db.execute(
                sql: """
                    INSERT INTO enrollment (session_id, worker_id, state, updated_at, override_reason, roster_number)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """,
                arguments: [change.sessionID, change.workerID, change.to.rawValue, now, change.overrideReason, number])
        }
        guard db.changesCount == 1 else {
            throw StaleEnrollmentChange(change: change, stored: try await enrollment(sessionID: change.sessionID, workerID: change.workerID)?.state)
        }
        try recordMilestones(change, now: now)
    }

    func deleteWorker(id: Int64) async throws {
        // Answers from their address that matched no enrollment are theirs too.
        try db.execute(
            sql: "DELETE FROM reply WHERE worker_id = ? OR from_address = (SELECT email FROM worker WHERE id = ?) COLLATE NOCASE "
                + "OR attendee = (SELECT email FROM worker WHERE id = ?) COLLATE NOCASE",
            arguments: [id, id, id])
        try db.execute(sql: "DELETE FROM roster_consent WHERE worker_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM outbox WHERE worker_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM enrollment WHERE worker_id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM worker WHERE id = ?", arguments: [id])
    }

    func outbox(_ filter: OutboxFilter) async throws -> [OutboxMessage] {
        var request = OutboxRecord.order(OutboxRecord.Columns.id)
        if let state = filter.state { request = request.filter(OutboxRecord.Columns.state == state.rawValue) }
        if let session = filter.sessionID { request = request.filter(OutboxRecord.Columns.sessionID == session) }
        if let worker = filter.workerID { request = request.filter(OutboxRecord.Columns.workerID == worker) }
        if let kind = filter.kind { request = request.filter(OutboxRecord.Columns.kind == kind.rawValue) }
        return try request.fetchAll(db).map(\.message)
    }

    func outboxBacklog(now: Date) async throws -> OutboxBacklog {
        let row = try Row.fetchOne(
            db, sql: "SELECT COUNT(*), MIN(next_attempt_at) FROM outbox WHERE state = ? AND next_attempt_at <= ?",
            arguments: [OutboxState.pending.rawValue, now])
        return OutboxBacklog(due: row?[0] ?? 0, oldestDue: row?[1])
    }

    func outboxMessage(id: Int64) async throws -> OutboxMessage? {
        try OutboxRecord.fetchOne(db, key: id)?.message
    }

    func insert(_ message: OutboxMessage) async throws -> Int64? {
        // ON CONFLICT covers the uniqueness rules of 017_idempotent_schedules only; a CHECK still fails.
        let record = OutboxRecord(message)
        try db.execute(
            sql: """
                INSERT INTO outbox (kind, session_id, worker_id, partner_id, recipient, message_id, state, due_at, attempts,
                    next_attempt_at, lease_owner, lease_until, last_error, created_at, sent_at, meeting_at, invitation_sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
            arguments: [
                record.kind, record.sessionID, record.workerID, record.partnerID, record.recipient, record.messageID, record.state,
                record.dueAt, record.attempts, record.nextAttemptAt, record.leaseOwner, record.leaseUntil, record.lastError,
                record.createdAt, record.sentAt, record.meetingAt, record.invitationSentAt,
            ])
        return db.changesCount == 1 ? db.lastInsertedRowID : nil
    }

    func record(_ transition: OutboxTransition) async throws -> Bool {
        let message = transition.message
        guard let id = message.id else { return false }
        try db.cachedStatement(
            sql: """
                UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, lease_owner = ?, lease_until = ?, last_error = ?,
                sent_at = ? WHERE id = ? AND state = ? AND lease_owner IS ?
                """
        ).execute(
            arguments: [
                message.state.rawValue, message.attempts, message.nextAttemptAt, message.leaseOwner, message.leaseUntil,
                message.lastError, message.sentAt, id, transition.from.rawValue, transition.fromLeaseOwner,
            ])
        return db.changesCount == 1
    }

    func claimOutbox(
        owner: String, lease: TimeInterval, now: Date, limit: Int, workerID: Int64?, ownerIsGone: (String) -> Bool
    ) async throws -> [OutboxMessage] {
        let leaseUntil = now.addingTimeInterval(lease)
        var due = OutboxRecord
            .filter(OutboxRecord.Columns.state == OutboxState.pending.rawValue && OutboxRecord.Columns.nextAttemptAt <= now)
        var claimedElsewhere = OutboxRecord.filter(OutboxRecord.Columns.state == OutboxState.sending.rawValue)
            .filter(sql: "lease_owner IS NOT ?", arguments: [owner])
        if let workerID {
            due = due.filter(OutboxRecord.Columns.workerID == workerID)
            claimedElsewhere = claimedElsewhere.filter(OutboxRecord.Columns.workerID == workerID)
        }
        // Another sender's claim is taken over only when its lease ran out or its process died;
        // the owner's own never (a run claims while its earlier batches are still on the wire).
        let orphaned = try claimedElsewhere.fetchAll(db).filter { record in
            (record.leaseUntil ?? .distantPast) < now || record.leaseOwner.map(ownerIsGone) ?? true
        }
        let fresh = try due.order(OutboxRecord.Columns.nextAttemptAt, OutboxRecord.Columns.id).limit(limit).fetchAll(db)
        var claimed: [OutboxMessage] = []
        for record in (orphaned + fresh).prefix(limit) {
            let transition = try OutboxLifecycle.apply(.claimed(owner: owner, until: leaseUntil), to: record.message)
            if try await self.record(transition) { claimed.append(transition.message) }
        }
        return claimed
    }

    func renewOutboxLeases(owner: String, ids: [Int64], lease: TimeInterval, now: Date) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let arguments: [(any DatabaseValueConvertible)?] = [now.addingTimeInterval(lease), OutboxState.sending.rawValue, owner] + ids
        return Set(
            try Int64.fetchAll(
                db, sql: "UPDATE outbox SET lease_until = ? WHERE state = ? AND lease_owner = ? AND id IN (\(marks)) RETURNING id",
                arguments: StatementArguments(arguments)))
    }

    func markUndeliverable(workerID: Int64, now: Date) async throws {
        try db.execute(
            sql: "UPDATE worker SET undeliverable_since = COALESCE(undeliverable_since, ?) WHERE id = ?", arguments: [now, workerID])
    }

    func markDeliverable(workerID: Int64) async throws -> Bool {
        try db.execute(sql: "UPDATE worker SET undeliverable_since = NULL WHERE id = ? AND undeliverable_since IS NOT NULL", arguments: [workerID])
        return db.changesCount == 1
    }

    func markDeliverable(flaggedSince since: Date) async throws -> [String] {
        let emails = try String.fetchAll(
            db, sql: "SELECT email FROM worker WHERE undeliverable_since >= ? ORDER BY id", arguments: [since])
        try db.execute(sql: "UPDATE worker SET undeliverable_since = NULL WHERE undeliverable_since >= ?", arguments: [since])
        return emails
    }

    func feedTokenHash(partner slug: String) async throws -> String? {
        try String.fetchOne(db, sql: "SELECT feed_token_hash FROM partner WHERE slug = ?", arguments: [slug])
    }

    func setFeedTokenHash(partner slug: String, hash: String) async throws {
        try db.execute(sql: "UPDATE partner SET feed_token_hash = ? WHERE slug = ?", arguments: [hash, slug])
    }

    func session(uid: String) async throws -> StoredSession? {
        try fetchSessions(whereClause: "WHERE s.uid = ?", arguments: [uid]).first
    }

    // This, recordSentSequence and recordInvitationSent use cached statements: `outbox send` runs them for every message.
    func sentSequence(sessionID: Int64, workerID: Int64) async throws -> SentSequence? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT sequence, was_cancel FROM sent_sequence WHERE session_id = ? AND worker_id = ?"),
            arguments: [sessionID, workerID]
        ).map { SentSequence(sequence: $0[0], wasCancel: $0[1]) }
    }

    func workers(ids: [Int64]) async throws -> [Int64: Worker] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let records = try WorkerRecord.fetchAll(db, sql: "SELECT * FROM worker WHERE id IN (\(marks))", arguments: StatementArguments(ids))
        return Dictionary(records.compactMap { record in record.id.map { ($0, record.worker) } }, uniquingKeysWith: { first, _ in first })
    }

    func enrollments(_ pairs: [EnrollmentPair]) async throws -> [EnrollmentPair: Enrollment] {
        guard !pairs.isEmpty else { return [:] }
        let records = try EnrollmentRecord.fetchAll(
            db, sql: "SELECT * FROM enrollment WHERE (session_id, worker_id) IN (VALUES \(Self.pairMarks(pairs.count)))",
            arguments: Self.pairArguments(pairs))
        return Dictionary(
            records.map { (EnrollmentPair(sessionID: $0.sessionID, workerID: $0.workerID), $0.enrollment) }, uniquingKeysWith: { first, _ in first })
    }

    func sentSequences(_ pairs: [EnrollmentPair]) async throws -> [EnrollmentPair: SentSequence] {
        guard !pairs.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT session_id, worker_id, sequence, was_cancel FROM sent_sequence
                WHERE (session_id, worker_id) IN (VALUES \(Self.pairMarks(pairs.count)))
                """,
            arguments: Self.pairArguments(pairs))
        return Dictionary(
            rows.map { (EnrollmentPair(sessionID: $0[0], workerID: $0[1]), SentSequence(sequence: $0[2], wasCancel: $0[3])) },
            uniquingKeysWith: { first, _ in first })
    }

    private static func pairMarks(_ count: Int) -> String {
        Array(repeating: "(?, ?)", count: count).joined(separator: ", ")
    }

    private static func pairArguments(_ pairs: [EnrollmentPair]) -> StatementArguments {
        StatementArguments(pairs.flatMap { [$0.sessionID, $0.workerID] })
    }

    func recordSentSequence(_ sent: SentSequence, sessionID: Int64, workerID: Int64) async throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO sent_sequence (session_id, worker_id, sequence, was_cancel) VALUES (?, ?, ?, ?)
                ON CONFLICT (session_id, worker_id) DO UPDATE SET sequence = excluded.sequence, was_cancel = excluded.was_cancel
                """
        ).execute(arguments: [sessionID, workerID, sent.sequence, sent.wasCancel])
    }

    func replies(_ filter: ReplyFilter) async throws -> [StoredReply] {
        var request = ReplyRecord.order(ReplyRecord.Columns.receivedAt, ReplyRecord.Columns.id)
        if let sessionID = filter.sessionID { request = request.filter(ReplyRecord.Columns.sessionID == sessionID) }
        if let outcome = filter.outcome { request = request.filter(ReplyRecord.Columns.outcome == outcome.rawValue) }
        if let since = filter.since { request = request.filter(ReplyRecord.Columns.receivedAt >= since) }
        return try request.fetchAll(db).map(\.reply)
    }

    func reply(id: Int64) async throws -> StoredReply? {
        try ReplyRecord.fetchOne(db, key: id)?.reply
    }

    func replyHandled(messageID: String) async throws -> Bool {
        try ReplyRecord.filter(ReplyRecord.Columns.messageID == messageID).fetchCount(db) > 0
    }

    func latestAnswerStamp(sessionID: Int64, workerID: Int64, recurrenceID: String?) async throws -> Date? {
        try Date.fetchOne(
            db,
            sql: """
                SELECT MAX(stamp) FROM reply WHERE session_id = ? AND worker_id = ? AND recurrence_id IS ?
                AND outcome IN ('applied', 'refused_full')
                """,
            arguments: [sessionID, workerID, recurrenceID])
    }

    func insert(_ reply: StoredReply) async throws -> Int64 {
        var record = ReplyRecord(reply)
        try record.insert(db)
        return record.id ?? db.lastInsertedRowID
    }

    func decideReply(id: Int64, outcome: ReplyStatus, reason: String, at: Date) async throws {
        try db.execute(sql: "UPDATE reply SET outcome = ?, reason = ?, decided_at = ? WHERE id = ?", arguments: [outcome.rawValue, reason, at, id])
    }

    func setRemovalReason(_ reason: String?, sessionID: Int64, workerID: Int64) async throws {
        try db.execute(
            sql: "UPDATE enrollment SET removal_reason = ? WHERE session_id = ? AND worker_id = ?", arguments: [reason, sessionID, workerID])
    }

    func attendance(sessionID: Int64) async throws -> [AttendanceEntry] {
        try Row.fetchAll(
            db, sql: "SELECT worker_id, meeting_start, presence FROM attendance WHERE session_id = ? ORDER BY meeting_start, worker_id",
            arguments: [sessionID]
        ).compactMap { row in StoredValues.attendance(workerID: row[0], meeting: row[1], presence: row[2]) }
    }

    func attendanceCounts(sessionID: Int64) async throws -> [MeetingKey: AttendanceCounts] {
        var counts: [MeetingKey: AttendanceCounts] = [:]
        let rows = try Row.fetchAll(
            db, sql: "SELECT meeting_start, presence, COUNT(*) FROM attendance WHERE session_id = ? GROUP BY meeting_start, presence",
            arguments: [sessionID])
        for row in rows {
            guard let meeting = MeetingKey(storage: row[0]), let presence = Presence(rawValue: row[1]) else { continue }
            counts[meeting, default: AttendanceCounts()].add(presence, count: row[2])
        }
        return counts
    }

    func recordAttendance(_ entries: [AttendanceEntry], sessionID: Int64, now: Date) async throws {
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO attendance (session_id, worker_id, meeting_start, presence, recorded_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (session_id, worker_id, meeting_start) DO UPDATE SET presence = excluded.presence, recorded_at = excluded.recorded_at
                """)
        for entry in entries {
            try statement.execute(arguments: [sessionID, entry.workerID, entry.meeting.storage, entry.presence.rawValue, now])
        }
    }

    func sessionsWithFreedSeats() async throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT session_id FROM seat_refill ORDER BY session_id")
    }

    func noteFreedSeat(sessionID: Int64, at: Date) async throws {
        try db.execute(sql: "INSERT OR IGNORE INTO seat_refill (session_id, freed_at) VALUES (?, ?)", arguments: [sessionID, at])
    }

    func invitationsWithDeadline() async throws -> [Enrollment] {
        try EnrollmentRecord.fetchAll(
            db, sql: "SELECT * FROM enrollment WHERE state = ? AND answer_by IS NOT NULL ORDER BY answer_by, id",
            arguments: [EnrollmentState.invited.rawValue]
        ).map(\.enrollment)
    }

    func nextOutboxAttempt(after now: Date) async throws -> Date? {
        try Date.fetchOne(
            db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE state = ? AND next_attempt_at > ?",
            arguments: [OutboxState.pending.rawValue, now])
    }

    func recordInvitationSent(sessionID: Int64, workerID: Int64, at: Date, answerBy: Date?) async throws -> Bool {
        try db.cachedStatement(
            sql: """
                UPDATE enrollment SET invitation_sent_at = ?, answer_by = ?
                WHERE session_id = ? AND worker_id = ? AND state = ? AND invitation_sent_at IS NULL
                """
        ).execute(arguments: [at, answerBy, sessionID, workerID, EnrollmentState.invited.rawValue])
        return db.changesCount == 1
    }

    func markNudged(sessionID: Int64, workerID: Int64, at: Date) async throws -> Bool {
        try db.execute(
            sql: "UPDATE enrollment SET nudged_at = ? WHERE session_id = ? AND worker_id = ? AND state = ? AND nudged_at IS NULL",
            arguments: [at, sessionID, workerID, EnrollmentState.invited.rawValue])
        return db.changesCount == 1
    }

    func clearFreedSeat(sessionID: Int64) async throws -> Bool {
        try db.execute(sql: "DELETE FROM seat_refill WHERE session_id = ?", arguments: [sessionID])
        return db.changesCount == 1
    }

    func demandList() async throws -> DemandList? {
        let rows = try Row.fetchAll(
            db, sql: "SELECT sector, audience, language, region, listed_at FROM demand_group ORDER BY number")
        guard let first = rows.first else { return nil }
        return DemandList(
            listedAt: first["listed_at"],
            groups: rows.map { DemandGroup.Key(sector: $0["sector"], audience: $0["audience"], language: $0["language"], region: $0["region"]) })
    }

    func replaceDemandList(_ list: DemandList) async throws {
        try db.execute(sql: "DELETE FROM demand_group")
        let statement = try db.makeStatement(
            sql: "INSERT INTO demand_group (number, sector, audience, language, region, listed_at) VALUES (?, ?, ?, ?, ?, ?)")
        for (index, key) in list.groups.enumerated() {
            try statement.execute(arguments: [index + 1, key.sector, key.audience, key.language, key.region, list.listedAt])
        }
    }
}
