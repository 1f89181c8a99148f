import Foundation
import PostgresNIO
import OverstapCore

extension PostgresAccess {
    func outcomes(workerID: Int64) async throws -> [Outcome] {
        try await rows("SELECT result, sector, outcome_date FROM outcome WHERE worker_id = \(workerID) ORDER BY outcome_date, id")
            .compactMap { row in
                let (result, sector, date) = try row.decode((String, String?, String).self)
                return StoredValues.outcome(result: result, sector: sector, date: date)
            }
    }

    func rosterConsents(sessionID: Int64, workerID: Int64) async throws -> [RosterConsent] {
        try await rows(
            """
            SELECT agreed, answered_at, locale, text_version FROM roster_consent
            WHERE session_id = \(sessionID) AND worker_id = \(workerID) ORDER BY id
            """
        ).map { row in
            let (agreed, answeredAt, locale, version) = try row.decode((Bool, Date, String, String).self)
            return StoredValues.consent(agreed: agreed, answeredAt: answeredAt, locale: locale, textVersion: version)
        }
    }

    func latestRosterConsents(sessionID: Int64) async throws -> [Int64: RosterConsent] {
        var result: [Int64: RosterConsent] = [:]
        for row in try await rows(
            """
            SELECT DISTINCT ON (worker_id) worker_id, agreed, answered_at, locale, text_version FROM roster_consent
            WHERE session_id = \(sessionID) ORDER BY worker_id, id DESC
            """)
        {
            let (workerID, agreed, answeredAt, locale, version) = try row.decode((Int64, Bool, Date, String, String).self)
            result[workerID] = StoredValues.consent(agreed: agreed, answeredAt: answeredAt, locale: locale, textVersion: version)
        }
        return result
    }

    func demandList() async throws -> DemandList? {
        let rows = try await rows("SELECT sector, audience, language, region, listed_at FROM demand_group ORDER BY number")
        var groups: [DemandGroup.Key] = []
        var listedAt: Date?
        for row in rows {
            let (sector, audience, language, region, listed) = try row.decode((String, String, String, String?, Date).self)
            listedAt = listedAt ?? listed
            groups.append(DemandGroup.Key(sector: sector, audience: audience, language: language, region: region))
        }
        return listedAt.map { DemandList(listedAt: $0, groups: groups) }
    }

    func retainedAggregates() async throws -> RetainedAggregates {
        var aggregates = RetainedAggregates()
        for row in try await rows(
            """
            SELECT period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work, people FROM retained_people
            ORDER BY period_month, region, source_sector, reached, work_sector, in_session_sector, days_to_work
            """)
        {
            let (month, region, sector, reached, work, inSessionSector, days, people) =
                try row.decode((String, String, String, Int, String, Bool, Int, Int).self)
            if let group = StoredValues.retainedPeople(
                month: month, region: region, sector: sector, reached: reached, workSector: work, inSessionSector: inSessionSector,
                daysToWork: days, people: people)
            {
                aggregates.people.append(group)
            }
        }
        for row in try await rows(
            """
            SELECT session_id, region, enrollments, taken, invited, answered, attended, no_shows FROM retained_enrollments
            ORDER BY session_id, region
            """)
        {
            let (sessionID, region, enrollments, taken, invited, answered, attended, noShows) =
                try row.decode((Int64, String, Int, Int, Int, Int, Int, Int).self)
            aggregates.enrollments.append(RetainedEnrollments(
                sessionID: sessionID, region: region, enrollments: enrollments, taken: taken, invited: invited, answered: answered,
                attended: attended, noShows: noShows))
        }
        return aggregates
    }

    func reportInput(localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput {
        try await reportInput(only: nil, localDate: localDate)
    }

    func reportInput(workerID: Int64, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput {
        try await reportInput(only: workerID, localDate: localDate)
    }

    /// The report's input, of every person or of one (with only the sessions they were enrolled in).
    private func reportInput(only workerID: Int64?, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput {
        func query(_ sql: String, _ condition: String, order: String) -> PostgresQuery {
            Self.query(sql, of: workerID, condition, tail: "ORDER BY \(order)")
        }
        var persons: [ReportInput.Person] = []
        for row in try await rows(query("SELECT id, sector, region, first_imported_at FROM worker", "id = $1", order: "id")) {
            let (id, sector, region, imported) = try row.decode((Int64, String, String, Date).self)
            persons.append(ReportInput.Person(id: id, sector: sector, region: region, importedOn: localDate(imported)))
        }
        var partnersOf: [Int64: [String]] = [:]
        for row in try await rows(query(
            "SELECT sp.session_id, p.slug FROM session_partner sp JOIN partner p ON p.id = sp.partner_id",
            "sp.session_id IN (SELECT session_id FROM enrollment WHERE worker_id = $1)", order: "sp.session_id, sp.position"))
        {
            let (sessionID, slug) = try row.decode((Int64, String).self)
            partnersOf[sessionID, default: []].append(slug)
        }
        var sessions: [ReportInput.Session] = []
        for row in try await rows(query(
            "SELECT id, sector, region, capacity, start_local, status FROM session",
            "id IN (SELECT session_id FROM enrollment WHERE worker_id = $1)", order: "id"))
        {
            let (id, sector, region, capacity, start, status) = try row.decode((Int64, String, String, Int, String, String).self)
            if let session = StoredValues.reportSession(
                id: id, sector: sector, region: region, capacity: capacity, startLocal: start, status: status, partners: partnersOf[id] ?? [])
            {
                sessions.append(session)
            }
        }
        var enrollments: [ReportInput.Enrollment] = []
        for row in try await rows(query(
            """
            SELECT session_id, worker_id, state, invited_at IS NOT NULL, answered_at IS NOT NULL, accepted_at IS NOT NULL FROM enrollment
            """, "worker_id = $1", order: "id"))
        {
            let (sessionID, workerID, stateText, invited, answered, accepted) = try row.decode((Int64, Int64, String, Bool, Bool, Bool).self)
            guard let state = EnrollmentState(rawValue: stateText) else { continue }
            enrollments.append(ReportInput.Enrollment(
                sessionID: sessionID, workerID: workerID, state: state, wasInvited: invited, wasAnswered: answered, wasAccepted: accepted))
        }
        var outcomes: [ReportInput.PersonOutcome] = []
        for row in try await rows(query("SELECT worker_id, result, sector, outcome_date FROM outcome", "worker_id = $1", order: "id")) {
            let (workerID, result, sector, date) = try row.decode((Int64, String, String?, String).self)
            if let outcome = StoredValues.outcome(result: result, sector: sector, date: date) {
                outcomes.append(ReportInput.PersonOutcome(workerID: workerID, outcome: outcome))
            }
        }
        return ReportInput(persons: persons, sessions: sessions, enrollments: enrollments, outcomes: outcomes, partnerNames: [:], sectorOrder: [])
    }

    func personActivity(workerID: Int64?, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> [PersonActivity] {
        // One grouped scan per table, as on SQLite. A session counts by the day it ends, and a
        // series also by the last meeting attendance names.
        func query(_ sql: String, _ condition: String, tail: String) -> PostgresQuery {
            Self.query(sql, of: workerID, condition, tail: tail)
        }
        var last: [Int64: LocalDate] = [:]
        var order: [Int64] = []
        for row in try await rows(query("SELECT id, updated_at FROM worker", "id = $1", tail: "ORDER BY id")) {
            let (id, updated) = try row.decode((Int64, Date).self)
            last[id] = localDate(updated)
            order.append(id)
        }
        func later(_ id: Int64, _ day: LocalDate?) {
            guard let day, let known = last[id], known < day else { return }
            last[id] = day
        }
        for row in try await rows(query(
            "SELECT e.worker_id, MAX(s.ends_at) FROM enrollment e JOIN session s ON s.id = e.session_id", "e.worker_id = $1",
            tail: "GROUP BY e.worker_id"))
        {
            let (id, end) = try row.decode((Int64, Date?).self)
            later(id, end.map(localDate))
        }
        for (table, column) in [("attendance", "meeting_start"), ("outcome", "outcome_date")] {
            for row in try await rows(query("SELECT worker_id, MAX(\(column)) FROM \(table)", "worker_id = $1", tail: "GROUP BY worker_id")) {
                let (id, text) = try row.decode((Int64, String?).self)
                later(id, StoredValues.day(text))
            }
        }
        return order.compactMap { id in last[id].map { PersonActivity(workerID: id, lastDay: $0) } }
    }

    /// `sql`, then `WHERE condition` (with the worker as `$1`) when there is a worker, then `tail`.
    private static func query(_ sql: String, of workerID: Int64?, _ condition: String, tail: String) -> PostgresQuery {
        var conditions = PostgresConditions()
        if let workerID { conditions.add(workerID) { _ in condition } }
        return conditions.query("\(sql) \(conditions.whereClause) \(tail)")
    }
}

extension PostgresAccess: StoreReader {}
