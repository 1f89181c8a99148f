import Foundation
import GRDB
import OverstapCore

extension SQLiteAccess {
    func retainedAggregates() async throws -> RetainedAggregates {
        var aggregates = RetainedAggregates()
        let people = try Row.fetchCursor(
            db, sql: "SELECT period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work, people FROM retained_people "
                + "ORDER BY period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work")
        while let row = try people.next() {
            if let group = StoredValues.retainedPeople(
                month: row["period_month"], region: row["region"], sector: row["source_sector"], reached: row["reached"],
                workSector: row["work_sector"], inSessionSector: row["in_session_sector"], daysToWork: row["days_to_work"], people: row["people"])
            {
                aggregates.people.append(group)
            }
        }
        let enrollments = try Row.fetchCursor(
            db, sql: "SELECT session_id, region, enrollments, taken, invited, answered, attended, no_shows FROM retained_enrollments "
                + "ORDER BY session_id, region")
        while let row = try enrollments.next() {
            aggregates.enrollments.append(RetainedEnrollments(
                sessionID: row["session_id"], region: row["region"], enrollments: row["enrollments"], taken: row["taken"], invited: row["invited"],
                answered: row["answered"], attended: row["attended"], noShows: row["no_shows"]))
        }
        return aggregates
    }

    func add(_ retained: RetainedAggregates) async throws {
        for row in retained.people {
            let month = String(row.month.description.prefix(7))
            try db.execute(
                sql: """
                    INSERT INTO retained_people
                        (period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work, people)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work)
                    DO UPDATE SET people = retained_people.people + excluded.people
                    """,
                arguments: [
                    month, row.region, row.sector, row.reached, row.workSector ?? "", row.inSessionSector ? 1 : 0, row.daysToWork ?? -1, row.people,
                ])
        }
        for row in retained.enrollments {
            try db.execute(
                sql: """
                    INSERT INTO retained_enrollments (session_id, region, enrollments, taken, invited, answered, attended, no_shows)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (session_id, region) DO UPDATE SET
                        enrollments = retained_enrollments.enrollments + excluded.enrollments,
                        taken = retained_enrollments.taken + excluded.taken,
                        invited = retained_enrollments.invited + excluded.invited,
                        answered = retained_enrollments.answered + excluded.answered,
                        attended = retained_enrollments.attended + excluded.attended,
                        no_shows = retained_enrollments.no_shows + excluded.no_shows
                    """,
                arguments: [row.sessionID, row.region, row.enrollments, row.taken, row.invited, row.answered, row.attended, row.noShows])
        }
    }

    func personActivity(workerID: Int64?, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> [PersonActivity] {
        // One grouped scan per table (attendance has no index by worker, so no subquery per person).
        // A session counts by the day it ends, and a series also by the last meeting attendance names.
        let one = workerID == nil ? "" : " WHERE worker_id = ?"
        let arguments = StatementArguments(workerID.map { [$0] } ?? [])
        var last: [Int64: LocalDate] = [:]
        var order: [Int64] = []
        let workers = try Row.fetchCursor(
            db, sql: "SELECT id, updated_at FROM worker\(workerID == nil ? "" : " WHERE id = ?") ORDER BY id", arguments: arguments)
        while let row = try workers.next() {
            let id: Int64 = row["id"]
            let imported: Date = row["updated_at"]
            last[id] = localDate(imported)
            order.append(id)
        }
        func later(_ id: Int64, _ day: LocalDate?) {
            guard let day, let known = last[id], known < day else { return }
            last[id] = day
        }
        let ends = try Row.fetchCursor(
            db, sql: "SELECT e.worker_id, MAX(s.ends_at) FROM enrollment e JOIN session s ON s.id = e.session_id"
                + (workerID == nil ? "" : " WHERE e.worker_id = ?") + " GROUP BY e.worker_id",
            arguments: arguments)
        while let row = try ends.next() {
            let end: Date? = row[1]
            later(row[0], end.map(localDate))
        }
        for table in ["attendance", "outcome"] {
            let column = table == "attendance" ? "meeting_start" : "outcome_date"
            let days = try Row.fetchCursor(
                db, sql: "SELECT worker_id, MAX(\(column)) FROM \(table)\(one) GROUP BY worker_id", arguments: arguments)
            while let row = try days.next() {
                later(row[0], StoredValues.day(row[1]))
            }
        }
        return order.compactMap { id in last[id].map { PersonActivity(workerID: id, lastDay: $0) } }
    }

    func reportInput(workerID: Int64, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput {
        try reportInput(only: workerID, localDate: localDate)
    }
}
