import Foundation
import PostgresNIO
import OverstapCore

extension PostgresAccess {
    func partners() async throws -> [Partner] {
        try await rows("SELECT \(unescaped: PartnerRecord.postgresColumns) FROM partner ORDER BY slug").map { try PartnerRecord(postgres: $0).partner }
    }

    func partner(slug: String) async throws -> Partner? {
        try await rows("SELECT \(unescaped: PartnerRecord.postgresColumns) FROM partner WHERE slug = \(slug)").first
            .map { try PartnerRecord(postgres: $0).partner }
    }

    func partnerID(slug: String) async throws -> Int64? {
        try await value("SELECT id FROM partner WHERE slug = \(slug)")
    }

    func partner(id: Int64) async throws -> Partner? {
        try await rows("SELECT \(unescaped: PartnerRecord.postgresColumns) FROM partner WHERE id = \(id)").first
            .map { try PartnerRecord(postgres: $0).partner }
    }

    func feedTokenHash(partner slug: String) async throws -> String? {
        try await value("SELECT feed_token_hash FROM partner WHERE slug = \(slug)")
    }

    func busyPeriods(partner slug: String, from: Date, to: Date) async throws -> [DateInterval] {
        try await rows(
            """
            SELECT b.starts_at, b.ends_at FROM partner_busy b JOIN partner p ON p.id = b.partner_id
            WHERE p.slug = \(slug) AND b.starts_at < \(to) AND b.ends_at > \(from) ORDER BY b.starts_at
            """
        ).map { row in
            let (start, end) = try row.decode((Date, Date).self)
            return DateInterval(start: start, end: end)
        }
    }

    // MARK: Sessions

    func sessions(_ filter: SessionFilter) async throws -> [StoredSession] {
        var conditions = PostgresConditions()
        if let partner = filter.partner {
            conditions.add(partner) {
                "s.id IN (SELECT sp.session_id FROM session_partner sp JOIN partner p ON p.id = sp.partner_id WHERE p.slug = \($0))"
            }
        }
        if let region = filter.region { conditions.add(region) { "s.region = \($0)" } }
        if let from = filter.from { conditions.add(from) { "s.ends_at >= \($0)" } }
        if let to = filter.to { conditions.add(to) { "s.starts_at < \($0)" } }
        return try await fetchSessions(conditions)
    }

    func session(id: Int64) async throws -> StoredSession? {
        var conditions = PostgresConditions()
        conditions.add(id) { "s.id = \($0)" }
        return try await fetchSessions(conditions).first
    }

    func session(uid: String) async throws -> StoredSession? {
        var conditions = PostgresConditions()
        conditions.add(uid) { "s.uid = \($0)" }
        return try await fetchSessions(conditions).first
    }

    private func fetchSessions(_ conditions: PostgresConditions) async throws -> [StoredSession] {
        let rows = try await rows(conditions.query(
            """
            SELECT \(SessionRecord.orderedColumns), (SELECT COUNT(*) FROM enrollment e
                         WHERE e.session_id = s.id AND e.state IN (\(SQLiteAccess.seatStates))) AS seats_taken
            FROM session s \(conditions.whereClause) ORDER BY s.starts_at, s.id
            """))
        var sessions: [(record: SessionRecord, seatsTaken: Int)] = []
        for row in rows {
            var cells = PostgresCells(row)
            let record = try SessionRecord(postgres: &cells)
            sessions.append((record, try cells.next()))
        }
        let onlyOne = sessions.count == 1 ? sessions[0].record.id : nil
        let partners = try await partnerSlugsBySession(onlyOne: onlyOne)
        let exceptions = try await meetingExceptionsBySession(onlyOne: onlyOne)
        return sessions.map { record, seatsTaken in
            let id = record.id ?? 0
            var session = record.session(partners: partners[id] ?? [])
            session.exceptions = exceptions[id] ?? []
            return StoredSession(session: session, startsAt: record.startsAt, endsAt: record.endsAt, seatsTaken: seatsTaken)
        }
    }

    private func partnerSlugsBySession(onlyOne sessionID: Int64?) async throws -> [Int64: [String]] {
        var conditions = PostgresConditions()
        if let sessionID { conditions.add(sessionID) { "sp.session_id = \($0)" } }
        var result: [Int64: [String]] = [:]
        for row in try await rows(conditions.query(
            """
            SELECT sp.session_id, p.slug FROM session_partner sp JOIN partner p ON p.id = sp.partner_id
            \(conditions.whereClause) ORDER BY sp.session_id, sp.position
            """))
        {
            let (session, slug) = try row.decode((Int64, String).self)
            result[session, default: []].append(slug)
        }
        return result
    }

    private func meetingExceptionsBySession(onlyOne sessionID: Int64?) async throws -> [Int64: [MeetingException]] {
        var conditions = PostgresConditions()
        if let sessionID { conditions.add(sessionID) { "session_id = \($0)" } }
        var result: [Int64: [MeetingException]] = [:]
        for row in try await rows(conditions.query(
            """
            SELECT session_id, original_start, status, start_local, end_local, reason FROM meeting_exception
            \(conditions.whereClause) ORDER BY session_id, original_start
            """))
        {
            let (session, original, status, start, end, reason) = try row.decode((Int64, String, String, String?, String?, String?).self)
            result[session, default: []].append(
                StoredValues.meetingException(originalStart: original, status: status, start: start, end: end, reason: reason))
        }
        return result
    }

    func sessionsWithFreedSeats() async throws -> [Int64] {
        try await values("SELECT session_id FROM seat_refill ORDER BY session_id")
    }

    // MARK: Workers and enrollments

    func workers() async throws -> [Worker] {
        var lists = WorkerRecord.ListColumns()
        var workers: [Worker] = []
        for try await row in try await connection.query("SELECT \(unescaped: WorkerRecord.postgresColumns) FROM worker ORDER BY id", logger: logger) {
            workers.append(try WorkerRecord(postgres: row).worker(&lists))
        }
        return workers
    }

    func worker(email: String) async throws -> Worker? {
        try await rows("SELECT \(unescaped: WorkerRecord.postgresColumns) FROM worker WHERE email_key = \(email.lowercased())").first
            .map { try WorkerRecord(postgres: $0).worker }
    }

    func worker(id: Int64) async throws -> Worker? {
        try await rows("SELECT \(unescaped: WorkerRecord.postgresColumns) FROM worker WHERE id = \(id)").first
            .map { try WorkerRecord(postgres: $0).worker }
    }

    func workerCount() async throws -> Int {
        try await value("SELECT COUNT(*) FROM worker") ?? 0
    }

    func enrollments(sessionID: Int64) async throws -> [EnrollmentWithWorker] {
        try await rows(
            """
            SELECT \(unescaped: EnrollmentRecord.postgresColumns("e")), w.email, w.name FROM enrollment e
            JOIN worker w ON w.id = e.worker_id WHERE e.session_id = \(sessionID) ORDER BY e.id
            """
        ).map { row in
            var cells = PostgresCells(row)
            let record = try EnrollmentRecord(postgres: &cells)
            return EnrollmentWithWorker(enrollment: record.enrollment, email: try cells.next(), name: try cells.next())
        }
    }

    func enrollments(workerID: Int64) async throws -> [EnrollmentWithSession] {
        let records = try await rows(
            "SELECT \(unescaped: EnrollmentRecord.postgresColumns()) FROM enrollment WHERE worker_id = \(workerID) ORDER BY id"
        ).map(EnrollmentRecord.init(postgres:))
        var conditions = PostgresConditions()
        conditions.add(workerID) { "s.id IN (SELECT session_id FROM enrollment WHERE worker_id = \($0))" }
        let sessions = Dictionary(uniqueKeysWithValues: try await fetchSessions(conditions).map { ($0.id, $0) })
        return records.compactMap { record in
            sessions[record.sessionID].map { EnrollmentWithSession(enrollment: record.enrollment, session: $0) }
        }.sorted { $0.session.startsAt < $1.session.startsAt }
    }

    func allEnrollments() async throws -> [Enrollment] {
        try await rows("SELECT \(unescaped: EnrollmentRecord.postgresColumns()) FROM enrollment ORDER BY id")
            .map { try EnrollmentRecord(postgres: $0).enrollment }
    }

    func enrollment(id: Int64) async throws -> Enrollment? {
        try await rows("SELECT \(unescaped: EnrollmentRecord.postgresColumns()) FROM enrollment WHERE id = \(id)").first
            .map { try EnrollmentRecord(postgres: $0).enrollment }
    }

    func enrollment(sessionID: Int64, workerID: Int64) async throws -> Enrollment? {
        try await rows(
            "SELECT \(unescaped: EnrollmentRecord.postgresColumns()) FROM enrollment WHERE session_id = \(sessionID) AND worker_id = \(workerID)"
        ).first.map { try EnrollmentRecord(postgres: $0).enrollment }
    }

    func invitationsWithDeadline() async throws -> [Enrollment] {
        try await rows(
            """
            SELECT \(unescaped: EnrollmentRecord.postgresColumns()) FROM enrollment
            WHERE state = \(EnrollmentState.invited.rawValue) AND answer_by IS NOT NULL ORDER BY answer_by, id
            """
        ).map { try EnrollmentRecord(postgres: $0).enrollment }
    }

    func sentSequence(sessionID: Int64, workerID: Int64) async throws -> SentSequence? {
        try await rows("SELECT sequence, was_cancel FROM sent_sequence WHERE session_id = \(sessionID) AND worker_id = \(workerID)").first
            .map { row in
                let (sequence, wasCancel) = try row.decode((Int, Bool).self)
                return SentSequence(sequence: sequence, wasCancel: wasCancel)
            }
    }

    func workers(ids: [Int64]) async throws -> [Int64: Worker] {
        guard !ids.isEmpty else { return [:] }
        let records = try await rows("SELECT \(unescaped: WorkerRecord.postgresColumns) FROM worker WHERE id = ANY(\(ids))")
            .map(WorkerRecord.init(postgres:))
        return Dictionary(records.compactMap { record in record.id.map { ($0, record.worker) } }, uniquingKeysWith: { first, _ in first })
    }

    func enrollments(_ pairs: [EnrollmentPair]) async throws -> [EnrollmentPair: Enrollment] {
        guard !pairs.isEmpty else { return [:] }
        let records = try await rows(
            """
            SELECT \(unescaped: EnrollmentRecord.postgresColumns()) FROM enrollment
            WHERE (session_id, worker_id) IN (SELECT * FROM unnest(\(pairs.map(\.sessionID))::bigint[], \(pairs.map(\.workerID))::bigint[]))
            """
        ).map(EnrollmentRecord.init(postgres:))
        return Dictionary(
            records.map { (EnrollmentPair(sessionID: $0.sessionID, workerID: $0.workerID), $0.enrollment) }, uniquingKeysWith: { first, _ in first })
    }

    func sentSequences(_ pairs: [EnrollmentPair]) async throws -> [EnrollmentPair: SentSequence] {
        guard !pairs.isEmpty else { return [:] }
        var found: [EnrollmentPair: SentSequence] = [:]
        for row in try await rows(
            """
            SELECT session_id, worker_id, sequence, was_cancel FROM sent_sequence
            WHERE (session_id, worker_id) IN (SELECT * FROM unnest(\(pairs.map(\.sessionID))::bigint[], \(pairs.map(\.workerID))::bigint[]))
            """)
        {
            let (sessionID, workerID, sequence, wasCancel) = try row.decode((Int64, Int64, Int, Bool).self)
            found[EnrollmentPair(sessionID: sessionID, workerID: workerID)] = SentSequence(sequence: sequence, wasCancel: wasCancel)
        }
        return found
    }

    // MARK: Outbox

    func outbox(_ filter: OutboxFilter) async throws -> [OutboxMessage] {
        var conditions = PostgresConditions()
        if let state = filter.state { conditions.add(state.rawValue) { "state = \($0)" } }
        if let session = filter.sessionID { conditions.add(session) { "session_id = \($0)" } }
        if let worker = filter.workerID { conditions.add(worker) { "worker_id = \($0)" } }
        if let kind = filter.kind { conditions.add(kind.rawValue) { "kind = \($0)" } }
        return try await rows(conditions.query("SELECT \(OutboxRecord.postgresColumns) FROM outbox \(conditions.whereClause) ORDER BY id"))
            .map { try OutboxRecord(postgres: $0).message }
    }

    func outboxMessage(id: Int64) async throws -> OutboxMessage? {
        try await rows("SELECT \(unescaped: OutboxRecord.postgresColumns) FROM outbox WHERE id = \(id)").first
            .map { try OutboxRecord(postgres: $0).message }
    }

    func outboxBacklog(now: Date) async throws -> OutboxBacklog {
        let row = try await rows(
            "SELECT COUNT(*), MIN(next_attempt_at) FROM outbox WHERE state = \(OutboxState.pending.rawValue) AND next_attempt_at <= \(now)"
        ).first
        guard let (due, oldest) = try row?.decode((Int, Date?).self) else { return OutboxBacklog(due: 0, oldestDue: nil) }
        return OutboxBacklog(due: due, oldestDue: oldest)
    }

    func nextOutboxAttempt(after now: Date) async throws -> Date? {
        try await value("SELECT MIN(next_attempt_at) FROM outbox WHERE state = \(OutboxState.pending.rawValue) AND next_attempt_at > \(now)")
    }

    // MARK: Replies

    func replies(_ filter: ReplyFilter) async throws -> [StoredReply] {
        var conditions = PostgresConditions()
        if let sessionID = filter.sessionID { conditions.add(sessionID) { "session_id = \($0)" } }
        if let outcome = filter.outcome { conditions.add(outcome.rawValue) { "outcome = \($0)" } }
        if let since = filter.since { conditions.add(since) { "received_at >= \($0)" } }
        return try await rows(conditions.query("SELECT \(ReplyRecord.postgresColumns) FROM reply \(conditions.whereClause) ORDER BY received_at, id"))
            .map { try ReplyRecord(postgres: $0).reply }
    }

    func reply(id: Int64) async throws -> StoredReply? {
        try await rows("SELECT \(unescaped: ReplyRecord.postgresColumns) FROM reply WHERE id = \(id)").first
            .map { try ReplyRecord(postgres: $0).reply }
    }

    func replyHandled(messageID: String) async throws -> Bool {
        try await value("SELECT EXISTS (SELECT 1 FROM reply WHERE message_id = \(messageID))") ?? false
    }

    func latestAnswerStamp(sessionID: Int64, workerID: Int64, recurrenceID: String?) async throws -> Date? {
        try await value(
            """
            SELECT MAX(stamp) FROM reply WHERE session_id = \(sessionID) AND worker_id = \(workerID)
            AND recurrence_id IS NOT DISTINCT FROM \(recurrenceID)::text AND outcome IN ('applied', 'refused_full')
            """)
    }

    // MARK: Attendance

    func attendance(sessionID: Int64) async throws -> [AttendanceEntry] {
        try await rows(
            "SELECT worker_id, meeting_start, presence FROM attendance WHERE session_id = \(sessionID) ORDER BY meeting_start, worker_id"
        ).compactMap { row in
            let (workerID, meeting, presence) = try row.decode((Int64, String, String).self)
            return StoredValues.attendance(workerID: workerID, meeting: meeting, presence: presence)
        }
    }

    func attendanceCounts(sessionID: Int64) async throws -> [MeetingKey: AttendanceCounts] {
        var counts: [MeetingKey: AttendanceCounts] = [:]
        for row in try await rows(
            "SELECT meeting_start, presence, COUNT(*) FROM attendance WHERE session_id = \(sessionID) GROUP BY meeting_start, presence")
        {
            let (meetingText, presenceText, count) = try row.decode((String, String, Int).self)
            guard let meeting = MeetingKey(storage: meetingText), let presence = Presence(rawValue: presenceText) else { continue }
            counts[meeting, default: AttendanceCounts()].add(presence, count: count)
        }
        return counts
    }
}
