import Foundation
import GRDB
import OverstapCore
import OverstapTestSupport
import Testing

@testable import OverstapStore

/// The database itself refuses a second reminder, nudge or expiry notice (migration
/// `017_idempotent_schedules`), so two daemons running what is due at once queue one; the store
/// answers such an insert with nil, which the caller takes as "already done".
struct IdempotentScheduleTests {
    let fixture: StoreFixture
    let session: Int64
    let worker: Int64

    static let meeting = StoreFixture.instant("2027-02-02T18:00:00Z")
    static let roundOne = StoreFixture.instant("2027-01-05T10:00:00Z")
    static let roundTwo = StoreFixture.instant("2027-01-09T10:00:00Z")

    init() async throws {
        fixture = try StoreFixture()
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        session = try await fixture.insert(StoreFixture.session("Zorg"))
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker("anouk@example.nl")], now: StoreFixture.now) }
        worker = try await fixture.workerID("anouk@example.nl")
    }

    func message(_ kind: OutboxKind, due: Date = StoreFixture.now, meeting: Date? = nil, round: Date? = nil) -> OutboxMessage {
        var message = OutboxMessage(
            kind: kind, sessionID: session, workerID: worker, recipient: "anouk@example.nl", messageID: UUID().uuidString, held: false,
            dueAt: due, createdAt: StoreFixture.now)
        message.meetingAt = meeting
        message.invitationSentAt = round
        return message
    }

    func insert(_ message: OutboxMessage) async throws -> Int64? {
        try await fixture.store.write { try await $0.insert(message) }
    }

    @Test func aSecondWaitingReminderForTheSameMeetingAndTimeIsRefused() async throws {
        let dayBefore = Self.meeting.addingTimeInterval(-86_400)
        let first = try #require(try await insert(message(.reminder, due: dayBefore, meeting: Self.meeting)))
        #expect(try await insert(message(.reminder, due: dayBefore, meeting: Self.meeting)) == nil)
        #expect(try await insert(message(.reminder, due: Self.meeting.addingTimeInterval(-3_600), meeting: Self.meeting)) != nil,
            "another reminder time of the same meeting is another reminder")

        try await fixture.store.write { tx in
            let stored = try #require(try await tx.outboxMessage(id: first))
            try await tx.record(try OutboxLifecycle.apply(.superseded, to: stored))
        }
        #expect(try await insert(message(.reminder, due: dayBefore, meeting: Self.meeting)) != nil, "a superseded reminder may come back")
    }

    @Test func oneNudgeAndOneExpiryNoticePerInvitationRound() async throws {
        #expect(try await insert(message(.nudge, round: Self.roundOne)) != nil)
        #expect(try await insert(message(.nudge, round: Self.roundOne)) == nil)
        #expect(try await insert(message(.expiry, round: Self.roundOne)) != nil)
        #expect(try await insert(message(.expiry, round: Self.roundOne)) == nil)
        #expect(try await insert(message(.nudge, round: Self.roundTwo)) != nil, "a new invitation round has its own nudge")
        #expect(try await fixture.store.read { try await $0.outbox(OutboxFilter(kind: .nudge)) }.count == 2)
    }

    @Test func aFreedSeatNoteIsTakenOnce() async throws {
        try await fixture.store.write { try await $0.noteFreedSeat(sessionID: session, at: StoreFixture.now) }
        #expect(try await fixture.store.write { try await $0.clearFreedSeat(sessionID: session) })
        #expect(try await fixture.store.write { try await $0.clearFreedSeat(sessionID: session) } == false)
    }

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration 017"))
    func aDatabaseWithDuplicateWaitingRemindersStillMigratesKeepingTheFirst() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("overstap.sqlite")
        let before = try #require(Migrations.all.firstIndex { $0.name == "017_idempotent_schedules" })
        let queue = try StoreFixture.olderDatabase(at: path, migrations: before)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO session (id, uid, title, description, kind, sector, audience, start_local, end_local, timezone,
                    capacity, region, language, status, sequence, starts_at, ends_at, created_at, updated_at)
                VALUES (1, 'u@x', 't', 'd', 'training', 'zorg', 'horeca', '2027-02-02T19:00', '2027-02-02T20:30',
                    'Europe/Amsterdam', 10, 'midden-utrecht', 'nl', 'scheduled', 0, 'a', 'b', 'c', 'd');
                INSERT INTO worker (id, email_key, email, name, sector, targets, region, languages, availability, status,
                    locale, first_imported_at, updated_at)
                VALUES (1, 'a@x', 'a@x', 'A', 'horeca', 'zorg', 'midden-utrecht', 'nl', '', 'unemployed', 'nl', 'a', 'b');
                INSERT INTO outbox (id, kind, session_id, worker_id, recipient, message_id, state, due_at, next_attempt_at,
                    created_at, meeting_at)
                VALUES
                    (1, 'reminder', 1, 1, 'a@x', 'r1@x', 'pending', '2027-02-01 18:00:00.000', '2027-02-01 18:00:00.000', 'c', '2027-02-02 18:00:00.000'),
                    (2, 'reminder', 1, 1, 'a@x', 'r2@x', 'pending', '2027-02-01 18:00:00.000', '2027-02-01 18:00:00.000', 'c', '2027-02-02 18:00:00.000'),
                    (3, 'reminder', 1, 1, 'a@x', 'r3@x', 'sent', '2027-02-01 18:00:00.000', '2027-02-01 18:00:00.000', 'c', '2027-02-02 18:00:00.000'),
                    (4, 'nudge', 1, 1, 'a@x', 'n1@x', 'sent', 'a', 'b', 'c', NULL),
                    (5, 'nudge', 1, 1, 'a@x', 'n2@x', 'sent', 'a', 'b', 'c', NULL);
                """)
        }
        _ = try SQLiteStore(path: path)
        let states = try queue.read { db in try String.fetchAll(db, sql: "SELECT state FROM outbox ORDER BY id") }
        #expect(states == ["pending", "superseded", "sent", "sent", "sent"], "the later duplicate is superseded; sent mail stays as it was")
    }
}
