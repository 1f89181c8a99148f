import Foundation
import GRDB
import OverstapCore
import OverstapTestSupport
import Testing

@testable import OverstapStore

/// Roster numbers, placement reasons and attendance per meeting, as the store keeps them.
struct AttendanceStoreTests {
    let fixture: StoreFixture
    let session: Int64

    init() async throws {
        fixture = try StoreFixture()
        try await fixture.store.write { tx in
            try await tx.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now)
            _ = try await tx.upsert(["a", "b", "c"].map { StoreFixture.worker("\($0)@example.nl") }, now: StoreFixture.now)
        }
        session = try await fixture.insert(StoreFixture.session("Zorg"))
    }

    @Test func rosterNumbersFollowTheOrderOfPlacementAndOverrideReasonsAreKept() async throws {
        let a = try await fixture.workerID("a@example.nl")
        let b = try await fixture.workerID("b@example.nl")
        let session = session
        try await fixture.store.write { tx in
            try await tx.change(sessionID: session, workerID: b, through: [.placedByOrganiser(override: "UWV asked")], now: StoreFixture.now)
            try await tx.enroll(sessionID: session, workerID: a, as: .declined, now: StoreFixture.now)
            try await tx.change(sessionID: session, workerID: a, through: [.placedByOrganiser(override: nil)], now: StoreFixture.now)
            try await tx.setRemovalReason("moved away", sessionID: session, workerID: b)
        }
        let rows = try await fixture.store.read { try await $0.enrollments(sessionID: session) }.map(\.enrollment)
        #expect(rows.map(\.rosterNumber) == [1, 2])
        #expect(rows.map(\.overrideReason) == ["UWV asked", nil])
        #expect(rows.map(\.removalReason) == ["moved away", nil])
        #expect(rows.map(\.state) == [.selected, .selected], "a placed again after declining")
    }

    @Test func attendanceIsCountedPerMeetingAndARecordReplacesTheEarlierOne() async throws {
        let ids = [try await fixture.workerID("a@example.nl"), try await fixture.workerID("b@example.nl"), try await fixture.workerID("c@example.nl")]
        let first = MeetingKey(LocalDateTime(year: 2027, month: 2, day: 2, hour: 19, minute: 0))
        let second = MeetingKey(LocalDateTime(year: 2027, month: 2, day: 9, hour: 19, minute: 0))
        let session = session
        try await fixture.store.write { tx in
            try await tx.recordAttendance(
                [AttendanceEntry(workerID: ids[0], meeting: first, presence: .attended), AttendanceEntry(workerID: ids[1], meeting: first, presence: .noShow),
                 AttendanceEntry(workerID: ids[2], meeting: first, presence: .excused), AttendanceEntry(workerID: ids[0], meeting: second, presence: .noShow)],
                sessionID: session, now: StoreFixture.now)
            try await tx.recordAttendance([AttendanceEntry(workerID: ids[1], meeting: first, presence: .attended)], sessionID: session, now: StoreFixture.now)
        }
        let counts = try await fixture.store.read { try await $0.attendanceCounts(sessionID: session) }
        #expect(counts == [first: AttendanceCounts(attended: 2, noShow: 0, excused: 1), second: AttendanceCounts(attended: 0, noShow: 1, excused: 0)])
        let entries = try await fixture.store.read { try await $0.attendance(sessionID: session) }
        #expect(entries.count == 4)
        #expect(entries.first { $0.workerID == ids[1] }?.presence == .attended)
        try await fixture.store.write { try await $0.deleteWorker(id: ids[0]) }
        #expect(try await fixture.store.read { try await $0.attendanceCounts(sessionID: session) }[second] == nil, "an erasure takes their attendance too")
    }

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration history"))
    func enrollmentsOfAnOlderDatabaseGetRosterNumbersInTheOrderTheyWereMade() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("overstap.sqlite")
        let queue = try StoreFixture.olderDatabase(at: path, migrations: 9)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO session (id, uid, title, description, kind, sector, audience, start_local, end_local, timezone,
                    capacity, region, language, status, sequence, starts_at, ends_at, created_at, updated_at)
                VALUES (1, 'u@x', 't', 'd', 'training', 'zorg', 'horeca', '2027-02-02T19:00', '2027-02-02T20:30',
                    'Europe/Amsterdam', 10, 'midden-utrecht', 'nl', 'scheduled', 0, 'a', 'b', 'c', 'd');
                INSERT INTO worker (id, email_key, email, name, sector, targets, region, languages, availability, status,
                    locale, first_imported_at, updated_at)
                VALUES (1, 'a@x', 'a@x', 'A', 'horeca', 'zorg', 'midden-utrecht', 'nl', '', 'unemployed', 'nl', 'a', 'b'),
                       (2, 'b@x', 'b@x', 'B', 'horeca', 'zorg', 'midden-utrecht', 'nl', '', 'unemployed', 'nl', 'a', 'b'),
                       (3, 'c@x', 'c@x', 'C', 'horeca', 'zorg', 'midden-utrecht', 'nl', '', 'unemployed', 'nl', 'a', 'b');
                INSERT INTO enrollment (id, session_id, worker_id, state, updated_at) VALUES
                    (5, 1, 2, 'invited', 'x'), (9, 1, 1, 'accepted', 'x');
                """)
        }
        _ = try SQLiteStore(path: path)
        let (rows, last) = try queue.read { db in
            (try Int.fetchAll(db, sql: "SELECT roster_number FROM enrollment ORDER BY id"),
             try Int.fetchOne(db, sql: "SELECT last_number FROM roster_counter WHERE session_id = 1"))
        }
        #expect(rows == [1, 2])
        #expect(last == 2)
    }
}
