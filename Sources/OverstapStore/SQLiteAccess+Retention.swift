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
            let month: String = row["period_month"]
            guard let first = LocalDate(iso: Substring(month + "-01")) else { continue }
            let work: String = row["work_sector"]
            let days: Int = row["days_to_work"]
            aggregates.people.append(RetainedPeople(
                month: first, region: row["region"], sector: row["source_sector"], reached: row["reached"], workSector: work.isEmpty ? nil : work,
                inSessionSector: row["in_session_sector"], daysToWork: days < 0 ? nil : days, people: row["people"]))
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
        // A session counts by the day it ends, and a series by the last meeting attendance names.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT w.id, w.updated_at,
                    (SELECT MAX(s.ends_at) FROM enrollment e JOIN session s ON s.id = e.session_id WHERE e.worker_id = w.id) AS session_end,
                    (SELECT MAX(a.meeting_start) FROM attendance a WHERE a.worker_id = w.id) AS meeting,
                    (SELECT MAX(o.outcome_date) FROM outcome o WHERE o.worker_id = w.id) AS outcome
                FROM worker w\(workerID == nil ? "" : " WHERE w.id = ?") ORDER BY w.id
                """,
            arguments: StatementArguments(workerID.map { [$0] } ?? []))
        var activities: [PersonActivity] = []
        while let row = try rows.next() {
            let imported: Date = row["updated_at"]
            var last = localDate(imported)
            if let end: Date = row["session_end"] { last = max(last, localDate(end)) }
            for column in ["meeting", "outcome"] {
                if let text: String = row[column], let day = LocalDate(iso: text.prefix(10)) { last = max(last, day) }
            }
            activities.append(PersonActivity(workerID: row["id"], lastDay: last))
        }
        return activities
    }

    func reportInput(workerID: Int64, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput {
        try reportInput(only: workerID, localDate: localDate)
    }
}
