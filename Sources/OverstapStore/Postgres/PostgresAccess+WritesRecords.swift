import Foundation
import OverstapCore
import PostgresNIO

/// Attendance, busy periods, outcomes, consents, the demand list and retained aggregates: lists
/// travel as one array per column (`unnest`), one statement however long they are.
extension PostgresAccess {
    func recordAttendance(_ entries: [AttendanceEntry], sessionID: Int64, now: Date) async throws {
        // One statement may not touch a row twice: the last entry for a person and meeting wins,
        // as it does when SQLite writes them one by one.
        var latest: [String: AttendanceEntry] = [:]
        var order: [String] = []
        for entry in entries {
            let key = "\(entry.workerID) \(entry.meeting.storage)"
            if latest.updateValue(entry, forKey: key) == nil { order.append(key) }
        }
        let kept = order.compactMap { latest[$0] }
        guard !kept.isEmpty else { return }
        try await run(
            """
            INSERT INTO attendance (session_id, worker_id, meeting_start, presence, recorded_at)
            SELECT \(sessionID), a.worker_id, a.meeting_start, a.presence, \(now)
            FROM unnest(\(kept.map(\.workerID))::bigint[], \(kept.map(\.meeting.storage))::text[], \(kept.map(\.presence.rawValue))::text[])
                AS a(worker_id, meeting_start, presence)
            ON CONFLICT (session_id, worker_id, meeting_start) DO UPDATE SET presence = excluded.presence, recorded_at = excluded.recorded_at
            """)
    }

    func replaceBusyPeriods(partner slug: String, with periods: [DateInterval]) async throws {
        try await run("DELETE FROM partner_busy WHERE partner_id = (SELECT id FROM partner WHERE slug = \(slug))")
        guard !periods.isEmpty else { return }
        try await run(
            """
            INSERT INTO partner_busy (partner_id, starts_at, ends_at)
            SELECT p.id, b.starts_at, b.ends_at FROM partner p,
                unnest(\(periods.map(\.start))::timestamptz[], \(periods.map(\.end))::timestamptz[]) WITH ORDINALITY AS b(starts_at, ends_at, n)
            WHERE p.slug = \(slug) ORDER BY b.n
            """)
    }

    func insert(_ outcome: Outcome, workerID: Int64, now: Date) async throws {
        try await run(
            """
            INSERT INTO outcome (worker_id, result, sector, outcome_date, recorded_at)
            VALUES (\(workerID), \(outcome.result.rawValue), \(outcome.sector), \(outcome.date.description), \(now))
            """)
    }

    func insert(_ consent: RosterConsent, sessionID: Int64, workerID: Int64) async throws {
        try await run(
            """
            INSERT INTO roster_consent (session_id, worker_id, agreed, answered_at, locale, text_version)
            VALUES (\(sessionID), \(workerID), \(consent.agreed), \(consent.answeredAt), \(consent.locale), \(consent.textVersion))
            """)
    }

    func replaceDemandList(_ list: DemandList) async throws {
        try await run("DELETE FROM demand_group")
        guard !list.groups.isEmpty else { return }
        let groups = list.groups
        // A group for every region has no region: `''` is never a region of the catalogue.
        try await run(
            """
            INSERT INTO demand_group (number, sector, audience, language, region, listed_at)
            SELECT g.number, g.sector, g.audience, g.language, NULLIF(g.region, ''), \(list.listedAt)
            FROM unnest(\(groups.map(\.sector))::text[], \(groups.map(\.audience))::text[], \(groups.map(\.language))::text[],
                \(groups.map { $0.region ?? "" })::text[]) WITH ORDINALITY AS g(sector, audience, language, region, number)
            """)
    }

    func add(_ retained: RetainedAggregates) async throws {
        // Rows with one key are summed first: one statement may not update a row twice.
        var people: [RetainedPeople] = []
        var peopleIndex: [RetainedPeopleKey: Int] = [:]
        for row in retained.people {
            let key = RetainedPeopleKey(row)
            if let index = peopleIndex[key] {
                people[index].people += row.people
            } else {
                peopleIndex[key] = people.count
                people.append(row)
            }
        }
        if !people.isEmpty {
            try await run(
                """
                INSERT INTO retained_people (period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work, people)
                SELECT * FROM unnest(\(people.map { String($0.month.description.prefix(7)) })::text[], \(people.map(\.region))::text[],
                    \(people.map(\.sector))::text[], \(people.map(\.reached))::bigint[], \(people.map { $0.workSector ?? "" })::text[],
                    \(people.map(\.inSessionSector))::boolean[], \(people.map { $0.daysToWork ?? -1 })::bigint[], \(people.map(\.people))::bigint[])
                ON CONFLICT (period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work)
                DO UPDATE SET people = retained_people.people + excluded.people
                """)
        }
        var enrollments: [RetainedEnrollments] = []
        var enrollmentIndex: [String: Int] = [:]
        for row in retained.enrollments {
            let key = "\(row.sessionID) \(row.region)"
            if let index = enrollmentIndex[key] {
                enrollments[index].enrollments += row.enrollments
                enrollments[index].taken += row.taken
                enrollments[index].invited += row.invited
                enrollments[index].answered += row.answered
                enrollments[index].attended += row.attended
                enrollments[index].noShows += row.noShows
            } else {
                enrollmentIndex[key] = enrollments.count
                enrollments.append(row)
            }
        }
        guard !enrollments.isEmpty else { return }
        try await run(
            """
            INSERT INTO retained_enrollments (session_id, region, enrollments, taken, invited, answered, attended, no_shows)
            SELECT * FROM unnest(\(enrollments.map(\.sessionID))::bigint[], \(enrollments.map(\.region))::text[],
                \(enrollments.map(\.enrollments))::bigint[], \(enrollments.map(\.taken))::bigint[], \(enrollments.map(\.invited))::bigint[],
                \(enrollments.map(\.answered))::bigint[], \(enrollments.map(\.attended))::bigint[], \(enrollments.map(\.noShows))::bigint[])
            ON CONFLICT (session_id, region) DO UPDATE SET
                enrollments = retained_enrollments.enrollments + excluded.enrollments,
                taken = retained_enrollments.taken + excluded.taken,
                invited = retained_enrollments.invited + excluded.invited,
                answered = retained_enrollments.answered + excluded.answered,
                attended = retained_enrollments.attended + excluded.attended,
                no_shows = retained_enrollments.no_shows + excluded.no_shows
            """)
    }
}

/// The key of a `retained_people` row: everything but the count.
private struct RetainedPeopleKey: Hashable {
    var month: String, region: String, sector: String, reached: Int, workSector: String, inSessionSector: Bool, daysToWork: Int

    init(_ row: RetainedPeople) {
        month = String(row.month.description.prefix(7))
        region = row.region
        sector = row.sector
        reached = row.reached
        workSector = row.workSector ?? ""
        inSessionSector = row.inSessionSector
        daysToWork = row.daysToWork ?? -1
    }
}
