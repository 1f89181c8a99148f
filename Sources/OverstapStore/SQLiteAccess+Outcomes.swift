import Foundation
import GRDB
import OverstapCore

extension SQLiteAccess {
    func outcomes(workerID: Int64) async throws -> [Outcome] {
        try Row.fetchAll(
            db, sql: "SELECT result, sector, outcome_date FROM outcome WHERE worker_id = ? ORDER BY outcome_date, id", arguments: [workerID]
        ).compactMap(Self.outcome)
    }

    func insert(_ outcome: Outcome, workerID: Int64, now: Date) async throws {
        try db.execute(
            sql: "INSERT INTO outcome (worker_id, result, sector, outcome_date, recorded_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [workerID, outcome.result.rawValue, outcome.sector, outcome.date.description, now])
    }

    func reportInput(localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput {
        try reportInput(only: nil, localDate: localDate)
    }

    /// The report's input, of every person or of one (with only the sessions they were enrolled in).
    func reportInput(only workerID: Int64?, localDate: @escaping @Sendable (Date) -> LocalDate) throws -> ReportInput {
        let person = workerID == nil ? "" : " WHERE worker_id = ?"
        let arguments = StatementArguments(workerID.map { [$0] } ?? [])
        var persons: [ReportInput.Person] = []
        let workers = try Row.fetchCursor(
            db, sql: "SELECT id, sector, region, first_imported_at FROM worker\(workerID == nil ? "" : " WHERE id = ?") ORDER BY id", arguments: arguments)
        while let row = try workers.next() {
            let imported: Date = row["first_imported_at"]
            persons.append(ReportInput.Person(id: row["id"], sector: row["sector"], region: row["region"], importedOn: localDate(imported)))
        }
        var partnersOf: [Int64: [String]] = [:]
        let links = try Row.fetchCursor(
            db,
            sql: "SELECT sp.session_id, p.slug FROM session_partner sp JOIN partner p ON p.id = sp.partner_id"
                + (workerID == nil ? "" : " WHERE sp.session_id IN (SELECT session_id FROM enrollment WHERE worker_id = ?)")
                + " ORDER BY sp.session_id, sp.position",
            arguments: arguments)
        while let row = try links.next() { partnersOf[row["session_id"], default: []].append(row["slug"]) }
        var sessions: [ReportInput.Session] = []
        let sessionRows = try Row.fetchCursor(
            db,
            sql: "SELECT id, sector, region, capacity, start_local, status FROM session"
                + (workerID == nil ? "" : " WHERE id IN (SELECT session_id FROM enrollment WHERE worker_id = ?)") + " ORDER BY id",
            arguments: arguments)
        while let row = try sessionRows.next() {
            let id: Int64 = row["id"]
            if let session = StoredValues.reportSession(
                id: id, sector: row["sector"], region: row["region"], capacity: row["capacity"], startLocal: row["start_local"],
                status: row["status"], partners: partnersOf[id] ?? [])
            {
                sessions.append(session)
            }
        }
        var enrollments: [ReportInput.Enrollment] = []
        let enrollmentRows = try Row.fetchCursor(
            db, sql: "SELECT session_id, worker_id, state, invited_at IS NOT NULL AS invited, answered_at IS NOT NULL AS answered, "
                + "accepted_at IS NOT NULL AS accepted FROM enrollment\(person) ORDER BY id", arguments: arguments)
        while let row = try enrollmentRows.next() {
            let stateText: String = row["state"]
            guard let state = EnrollmentState(rawValue: stateText) else { continue }
            enrollments.append(ReportInput.Enrollment(
                sessionID: row["session_id"], workerID: row["worker_id"], state: state, wasInvited: row["invited"], wasAnswered: row["answered"],
                wasAccepted: row["accepted"]))
        }
        var outcomes: [ReportInput.PersonOutcome] = []
        let outcomeRows = try Row.fetchCursor(
            db, sql: "SELECT worker_id, result, sector, outcome_date FROM outcome\(person) ORDER BY id", arguments: arguments)
        while let row = try outcomeRows.next() {
            if let outcome = Self.outcome(row) { outcomes.append(ReportInput.PersonOutcome(workerID: row["worker_id"], outcome: outcome)) }
        }
        return ReportInput(persons: persons, sessions: sessions, enrollments: enrollments, outcomes: outcomes, partnerNames: [:], sectorOrder: [])
    }

    /// Notes the first time an enrollment was invited, answered or accepted, so the report still
    /// counts those steps after a later state (cancelled, no-show) replaced them.
    func recordMilestones(_ change: EnrollmentChange, now: Date) throws {
        let columns = change.milestoneColumns
        guard !columns.isEmpty else { return }
        let assignments = columns.map { "\($0) = COALESCE(\($0), ?)" }.joined(separator: ", ")
        try db.execute(
            sql: "UPDATE enrollment SET \(assignments) WHERE session_id = ? AND worker_id = ?",
            arguments: StatementArguments(columns.map { _ in now as (any DatabaseValueConvertible)? } + [change.sessionID, change.workerID]))
    }

    private static func outcome(_ row: Row) -> Outcome? {
        StoredValues.outcome(result: row["result"], sector: row["sector"], date: row["outcome_date"])
    }
}
