import Foundation
import OverstapCore
@testable import OverstapStore
import OverstapTestSupport
import PostgresNIO
import Testing

/// The PostgreSQL reader operations give what the SQLite ones give for the same rows: a SQLite
/// store is filled through its writer, every row is copied to PostgreSQL as it is, and each
/// reader operation is asked the same on both.
@Suite(.enabled(if: TestDatabase.isPostgres, "needs OVERSTAP_TEST_POSTGRES_URL"))
struct PostgresReadTests {
    let fixture: StoreFixture
    let postgres: PostgresStore

    init() async throws {
        fixture = try StoreFixture(onSQLite: true)
        postgres = try PostgresStore(endpoint: try PostgresTestEndpoint.make(in: fixture.directory), schema: .unchecked)
        _ = try await postgres.migrate()
    }

    @Test func everyReaderOperationAnswersAsOnSQLite() async throws {
        let ids = try await Seed.fill(fixture)
        _ = try await DatabaseCopy.copy(sqlitePath: try fixture.sqlite.path, to: postgres, now: StoreFixture.now)
        let localDate: @Sendable (Date) -> LocalDate = { date in
            let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Europe/Amsterdam")!, from: date)
            return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
        }
        let anHourBefore = StoreFixture.now.addingTimeInterval(-3600)
        let answers: [(String, @Sendable (any StoreReader) async throws -> String)] = [
            ("partners", { "\(try await $0.partners())" }),
            ("partner(slug:)", { "\(try await $0.partner(slug: "roc-midden")) \(try await $0.partner(slug: "nobody"))" }),
            ("partnerID", { "\(try await $0.partnerID(slug: "techniekcollege"))" }),
            ("partner(id:)", { "\(try await $0.partner(id: ids.partner))" }),
            ("sessions", { "\(try await $0.sessions(SessionFilter()))" }),
            ("sessions by partner", { "\(try await $0.sessions(SessionFilter(partner: "techniekcollege")))" }),
            ("sessions by region and time", {
                "\(try await $0.sessions(SessionFilter(region: "midden-utrecht", from: StoreFixture.span(day: 3).start, to: StoreFixture.span(day: 20).end)))"
            }),
            ("session(id:)", { "\(try await $0.session(id: ids.series))" }),
            ("session(uid:)", { "\(try await $0.session(uid: "zorg@example.org"))" }),
            ("enrollments(sessionID:)", { "\(try await $0.enrollments(sessionID: ids.single))" }),
            ("enrollments(workerID:)", { "\(try await $0.enrollments(workerID: ids.anouk))" }),
            ("workers", { "\(try await $0.workers())" }),
            ("worker(email:)", { "\(try await $0.worker(email: "ANOUK@example.nl"))" }),
            ("workerCount", { "\(try await $0.workerCount())" }),
            ("allEnrollments", { "\(try await $0.allEnrollments())" }),
            ("worker(id:)", { "\(try await $0.worker(id: ids.daan))" }),
            ("enrollment(id:)", { "\(try await $0.enrollment(id: 1))" }),
            ("enrollment(session:worker:)", { "\(try await $0.enrollment(sessionID: ids.series, workerID: ids.daan))" }),
            ("feedTokenHash", { "\(try await $0.feedTokenHash(partner: "roc-midden"))" }),
            ("outbox", { "\(try await $0.outbox(OutboxFilter()))" }),
            ("outbox filtered", { "\(try await $0.outbox(OutboxFilter(state: .pending, sessionID: ids.single, workerID: ids.anouk, kind: .invitation)))" }),
            ("outboxMessage", { "\(try await $0.outboxMessage(id: 2))" }),
            ("outboxBacklog", { "\(try await $0.outboxBacklog(now: StoreFixture.now))" }),
            ("busyPeriods", { "\(try await $0.busyPeriods(partner: "roc-midden", from: StoreFixture.span(day: 1).start, to: StoreFixture.span(day: 28).end))" }),
            ("sentSequence", { "\(try await $0.sentSequence(sessionID: ids.single, workerID: ids.anouk))" }),
            ("replies", { "\(try await $0.replies(ReplyFilter()))" }),
            ("replies filtered", { "\(try await $0.replies(ReplyFilter(sessionID: ids.single, outcome: .applied, since: anHourBefore)))" }),
            ("reply(id:)", { "\(try await $0.reply(id: 1))" }),
            ("sessionsWithFreedSeats", { "\(try await $0.sessionsWithFreedSeats())" }),
            ("replyHandled", { "\(try await $0.replyHandled(messageID: "answer-1@mail.example")) \(try await $0.replyHandled(messageID: "x"))" }),
            ("latestAnswerStamp", {
                "\(try await $0.latestAnswerStamp(sessionID: ids.single, workerID: ids.anouk, recurrenceID: nil)) "
                    + "\(try await $0.latestAnswerStamp(sessionID: ids.series, workerID: ids.daan, recurrenceID: "2027-02-10T19:00"))"
            }),
            ("attendance", { "\(try await $0.attendance(sessionID: ids.series))" }),
            ("attendanceCounts", { "\(try await $0.attendanceCounts(sessionID: ids.series).sorted { $0.key.storage < $1.key.storage })" }),
            ("invitationsWithDeadline", { "\(try await $0.invitationsWithDeadline())" }),
            ("nextOutboxAttempt", { "\(try await $0.nextOutboxAttempt(after: StoreFixture.now))" }),
            ("outcomes", { "\(try await $0.outcomes(workerID: ids.anouk))" }),
            ("rosterConsents", { "\(try await $0.rosterConsents(sessionID: ids.single, workerID: ids.anouk))" }),
            ("latestRosterConsents", { "\(try await $0.latestRosterConsents(sessionID: ids.single).sorted { $0.key < $1.key })" }),
            ("reportInput", { "\(try await $0.reportInput(localDate: localDate))" }),
            ("reportInput(workerID:)", { "\(try await $0.reportInput(workerID: ids.daan, localDate: localDate))" }),
            ("demandList", { "\(try await $0.demandList())" }),
            ("retainedAggregates", { "\(try await $0.retainedAggregates())" }),
            ("personActivity", { "\(try await $0.personActivity(workerID: nil, localDate: localDate))" }),
            ("personActivity of one", { "\(try await $0.personActivity(workerID: ids.anouk, localDate: localDate))" }),
            ("workers(ids:)", { "\(try await $0.workers(ids: [ids.anouk, ids.daan, 999]).sorted { $0.key < $1.key })" }),
            ("enrollments(pairs)", { "\(try await $0.enrollments(Seed.pairs(ids)).sorted { "\($0.key)" < "\($1.key)" })" }),
            ("sentSequences(pairs)", { "\(try await $0.sentSequences(Seed.pairs(ids)).sorted { "\($0.key)" < "\($1.key)" })" }),
        ]
        for (name, ask) in answers {
            let onSQLite = try await fixture.store.read(ask)
            let onPostgres = try await postgres.read(ask)
            #expect(onPostgres == onSQLite, "\(name)")
            #expect(!onSQLite.hasPrefix("[]") && onSQLite != "nil", "\(name): the seed should give it something to return")
        }
    }

    @Test func purgingErasedDataVacuumsTheTablesThatHoldPeople() async throws {
        try await postgres.purgeErasedData()
        let vacuumed: [String] = try await postgres.serializable { access in
            try await access.values("SELECT relname::text FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL ORDER BY relname")
        }
        #expect(vacuumed == PostgresStore.personalTables.sorted())
    }

    @Test func aWriteThatConflictsWithAnotherIsRunAgainAndBothLand() async throws {
        try await postgres.serializable { try await $0.execute("CREATE TABLE counter (n integer NOT NULL);\nINSERT INTO counter VALUES (0)") }
        // Both transactions read the counter before either writes it: SERIALIZABLE fails one of
        // them (40001), which runs again from the start and counts on top of the other.
        let bothRead = Barrier(parties: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await postgres.serializable { access in
                        let run = await bothRead.start()
                        let n: Int = try await access.value("SELECT n FROM counter") ?? -1
                        if run <= 2 { await bothRead.arrive() }
                        try await access.run("UPDATE counter SET n = \(n + 1)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let final: Int? = try await postgres.serializable { try await $0.value("SELECT n FROM counter") }
        #expect(final == 2)
        #expect(await bothRead.runs == 3, "one of the two ran twice")
    }
}

/// Waits until `parties` tasks have arrived; counts the runs that started.
actor Barrier {
    private let parties: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var runs = 0

    init(parties: Int) { self.parties = parties }

    /// Counts a run that starts; returns its number, from 1.
    func start() -> Int {
        runs += 1
        return runs
    }

    func arrive() async {
        if waiting.count + 1 == parties {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// The PostgreSQL endpoint of a test's own database (`TestDatabase`).
enum PostgresTestEndpoint {
    static func make(in directory: TemporaryDirectory) throws -> PostgresStore.Endpoint {
        let database = try TestDatabase(in: directory)
        // postgres://USER@HOST:PORT/DATABASE, as TestDatabase writes it.
        let rest = database.url.components(separatedBy: "://")[1]
        let (user, server) = (rest.components(separatedBy: "@")[0], rest.components(separatedBy: "@")[1])
        let (hostPort, name) = (server.components(separatedBy: "/")[0], server.components(separatedBy: "/")[1])
        let host = hostPort.components(separatedBy: ":")[0]
        let port = Int(hostPort.components(separatedBy: ":").dropFirst().first ?? "5432") ?? 5432
        return PostgresStore.Endpoint(host: host, port: port, username: user, database: name, password: nil, tls: .disable)
    }
}

/// Rows in every table a reader operation reads, written through the SQLite store's writer.
enum Seed {
    struct IDs: Sendable {
        var partner: Int64
        var single: Int64
        var series: Int64
        var anouk: Int64
        var daan: Int64
    }

    /// Every session with every seeded person, and a pair of nobody.
    static func pairs(_ ids: IDs) -> [EnrollmentPair] {
        [ids.single, ids.series].flatMap { session in [ids.anouk, ids.daan].map { EnrollmentPair(sessionID: session, workerID: $0) } }
            + [EnrollmentPair(sessionID: ids.single, workerID: 999)]
    }

    static func fill(_ fixture: StoreFixture) async throws -> IDs {
        let now = StoreFixture.now
        let store = fixture.store
        try await store.write { tx in
            for slug in ["roc-midden", "techniekcollege"] { try await tx.insert(StoreFixture.partner(slug), now: now) }
            try await tx.setFeedTokenHash(partner: "roc-midden", hash: String(repeating: "ab", count: 32))
            try await tx.replaceBusyPeriods(
                partner: "roc-midden",
                with: [DateInterval(start: StoreFixture.span(day: 5).start, duration: 3600), DateInterval(start: StoreFixture.span(day: 9).start, duration: 7200)])
            _ = try await tx.upsert(
                [StoreFixture.worker("anouk@example.nl"), StoreFixture.worker("daan@example.nl", name: "Daan Bakker"),
                 StoreFixture.worker("sara@example.nl", name: "Sara El Amrani")],
                now: now)
        }
        let single = try await fixture.insert(StoreFixture.session("Zorg", partners: ["techniekcollege", "roc-midden"]))
        var weekly = StoreFixture.session("Techniek", day: 3)
        weekly.recurrence = "FREQ=WEEKLY;COUNT=4"
        weekly.exceptions = [
            MeetingException(originalStart: LocalDateTime(year: 2027, month: 2, day: 10, hour: 19, minute: 0), change: .cancelled(reason: "ziek")),
            MeetingException(
                originalStart: LocalDateTime(year: 2027, month: 2, day: 17, hour: 19, minute: 0),
                change: .moved(start: LocalDateTime(year: 2027, month: 2, day: 18, hour: 19, minute: 0), end: LocalDateTime(year: 2027, month: 2, day: 18, hour: 20, minute: 30))),
        ]
        let series = try await store.write { tx in
            try await tx.insert(weekly, startsAt: StoreFixture.span(day: 3).start, endsAt: StoreFixture.span(day: 24).end, now: now)
        }
        let anouk = try await fixture.workerID("anouk@example.nl")
        let daan = try await fixture.workerID("daan@example.nl")
        let sara = try await fixture.workerID("sara@example.nl")
        let partner = try #require(try await store.read { try await $0.partnerID(slug: "roc-midden") })
        let meeting = LocalDateTime(year: 2027, month: 2, day: 3, hour: 19, minute: 0)
        try await store.write { tx in
            try await tx.enroll(sessionID: single, workerID: anouk, as: .accepted, now: now)
            try await tx.enroll(sessionID: single, workerID: daan, as: .declined, now: now)
            try await tx.enroll(sessionID: series, workerID: daan, as: .accepted, now: now)
            try await tx.enroll(sessionID: series, workerID: sara, as: .invited, now: now)
            try await tx.enroll(sessionID: series, workerID: anouk, as: .noShow, now: now)
            _ = try await tx.recordInvitationSent(sessionID: series, workerID: sara, at: now, answerBy: now.addingTimeInterval(86_400))
            _ = try await tx.markNudged(sessionID: series, workerID: sara, at: now)
            try await tx.setRemovalReason("liever later", sessionID: single, workerID: daan)
            try await tx.markUndeliverable(workerID: sara, now: now)
            for (index, (session, worker)) in [(single, anouk), (single, daan), (series, daan)].enumerated() {
                var message = OutboxMessage(
                    kind: index == 1 ? .cancellation : .invitation, sessionID: session, workerID: worker, recipient: "p\(index)@example.nl",
                    messageID: "m\(index)@example.org", held: index == 2, dueAt: now.addingTimeInterval(Double(index - 1) * 600), createdAt: now)
                message.meetingAt = index == 0 ? now.addingTimeInterval(86_400) : nil
                _ = try await tx.insert(message)
            }
            _ = try await tx.insert(OutboxMessage(
                partnerNoticeFor: series, partnerID: partner, recipient: "planning@roc-midden.example.org", meetingAt: now, messageID: "n1@example.org",
                dueAt: now.addingTimeInterval(1200)))
            try await tx.recordSentSequence(SentSequence(sequence: 3, wasCancel: true), sessionID: single, workerID: anouk)
            _ = try await tx.insert(StoredReply(
                messageID: "answer-1@mail.example", receivedAt: now, from: "anouk@example.nl", attendee: "ANOUK@example.nl", method: "REPLY",
                partstat: "ACCEPTED", sessionID: single, workerID: anouk, recurrenceID: nil, sequence: 2, stamp: now.addingTimeInterval(-60),
                outcome: .applied, reason: "taken", comment: "tot dan"))
            _ = try await tx.insert(StoredReply(
                messageID: nil, receivedAt: now.addingTimeInterval(-7200), from: "daan@example.nl", attendee: nil, method: "COUNTER", partstat: nil,
                sessionID: series, workerID: daan, recurrenceID: "2027-02-10T19:00", sequence: nil, stamp: now.addingTimeInterval(-7300),
                outcome: .refusedFull, reason: "full", proposedStart: now, proposedEnd: now.addingTimeInterval(3600), decidedAt: now))
            try await tx.recordAttendance(
                [AttendanceEntry(workerID: daan, meeting: MeetingKey(meeting), presence: .attended),
                 AttendanceEntry(workerID: anouk, meeting: MeetingKey(meeting), presence: .noShow)],
                sessionID: series, now: now)
            try await tx.noteFreedSeat(sessionID: single, at: now)
            try await tx.noteFreedSeat(sessionID: series, at: now)
            try await tx.insert(Outcome(result: .foundWork, sector: "zorg", date: LocalDate(year: 2027, month: 3, day: 1)), workerID: anouk, now: now)
            try await tx.insert(Outcome(result: .stillLooking, sector: nil, date: LocalDate(year: 2027, month: 1, day: 20)), workerID: anouk, now: now)
            try await tx.insert(RosterConsent(agreed: true, answeredAt: now, locale: "nl", textVersion: "v1"), sessionID: single, workerID: anouk)
            try await tx.insert(
                RosterConsent(agreed: false, answeredAt: now.addingTimeInterval(60), locale: "en", textVersion: "v2"), sessionID: single, workerID: anouk)
            try await tx.replaceDemandList(DemandList(
                listedAt: now,
                groups: [DemandGroup.Key(sector: "zorg", audience: "horeca", language: "nl", region: nil),
                         DemandGroup.Key(sector: "techniek", audience: "reizen", language: "en", region: "twente")]))
            try await tx.add(RetainedAggregates(
                people: [RetainedPeople(
                    month: LocalDate(year: 2026, month: 11, day: 1), region: "twente", sector: "horeca", reached: 6, workSector: "zorg",
                    inSessionSector: true, daysToWork: 40, people: 3)],
                enrollments: [RetainedEnrollments(
                    sessionID: series, region: "twente", enrollments: 2, taken: 1, invited: 2, answered: 1, attended: 1, noShows: 0)]))
        }
        return IDs(partner: partner, single: single, series: series, anouk: anouk, daan: daan)
    }
}
