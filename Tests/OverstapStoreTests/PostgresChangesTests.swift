import Foundation
import GRDB
import OverstapTestSupport
import Testing

@testable import OverstapStore

/// Whether a poll of the change counter shows a change, with no database.
struct ChangePollTests {
    typealias Reading = ChangePoll.Reading

    /// Whether each reading, in turn, counts as a change.
    static func changes(_ readings: [(counter: Int64, running: Set<Int64>)], lostTrackAfter lost: Int? = nil) -> [Bool] {
        var poll = ChangePoll()
        return readings.enumerated().map { index, reading in
            let changed = poll.changed(after: Reading(counter: reading.counter, running: reading.running))
            if index == lost { poll.lostTrack() }
            return changed
        }
    }

    @Test func theFirstReadingCountsAsAChangeAndTheSameReadingAgainDoesNot() {
        #expect(Self.changes([(7, []), (7, []), (7, [120])]) == [true, false, false])
    }

    @Test func aCounterThatMovedWhileTransactionsRanIsReportedAgainOnceTheyHaveAllEnded() {
        // 104 or 105 bumped the counter to 2 and may not have committed when the change was
        // re-read; 105 still runs at the third poll (beside a newer 107); at the fourth both have ended.
        #expect(Self.changes([(1, []), (2, [104, 105]), (2, [105, 107]), (2, [107]), (2, [])]) == [true, true, false, true, false])
    }

    @Test func transactionsThatStartedAfterTheReadingDelayNothing() {
        #expect(Self.changes([(1, []), (2, [104]), (2, [110, 111]), (2, [112])]) == [true, true, true, false])
    }

    @Test func aNewMoveWhileWaitingWaitsForWhatRunsAtThatReading() {
        #expect(Self.changes([(1, []), (2, [104]), (3, [104, 106]), (3, [106]), (3, [])]) == [true, true, true, false, true])
    }

    @Test func aCounterThatMovedWithNothingRunningIsReportedOnce() {
        #expect(Self.changes([(1, []), (2, []), (2, [])]) == [true, true, false])
    }

    @Test func afterAFailedPollTheNextReadingCountsAsAChange() {
        #expect(Self.changes([(3, []), (3, []), (3, [])], lostTrackAfter: 1) == [true, false, true])
    }

    @Test func reconnectPausesDoubleUpToThirtySecondsAndStartOverOnceListening() {
        var backOff = ReconnectBackOff()
        let pauses = (0..<10).map { _ in backOff.next() }
        #expect(pauses.prefix(4) == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2)])
        #expect(pauses.last == .seconds(30))
        backOff.reset()
        #expect(backOff.next() == .milliseconds(250))
    }
}

/// SQLite's stored values as `db copy` converts them for PostgreSQL.
struct DatabaseCopyValueTests {
    typealias Value = DatabaseCopy.Value

    @Test func grdbDateTextBecomesMicrosecondsAndBackTheSameInstant() throws {
        let micros = try #require(Value.microseconds("2027-01-10 08:00:00.123"))
        #expect(Value.timestamp(micros) == "2027-01-10 08:00:00.123000")
        let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        #expect(abs(date.timeIntervalSince(ISO8601DateFormatter().date(from: "2027-01-10T08:00:00Z")!) - 0.123) < 0.000_001)
        #expect(Value.microseconds("1969-12-31T23:59:59Z") == -1_000_000)
        #expect(Value.microseconds("2024-02-29 12:30") == Value.microseconds("2024-02-29 12:30:00.000"))
        #expect(Value.microseconds("2027-13-01 00:00:00") == nil)
        #expect(Value.microseconds("10 januari") == nil)
    }

    @Test func sqliteFlagsAreZeroOrOneAndNothingElse() {
        #expect(Value(sqlite: 1.databaseValue, as: .flag) == .flag(true))
        #expect(Value(sqlite: 0.databaseValue, as: .flag) == .flag(false))
        #expect(Value(sqlite: 2.databaseValue, as: .flag) == nil)
        #expect(Value(sqlite: "yes".databaseValue, as: .flag) == nil)
    }
}

/// The PostgreSQL store's change counter on a real server (`OVERSTAP_TEST_POSTGRES_URL`).
@Suite(.enabled(if: TestDatabase.postgresAdminURL != nil, "needs OVERSTAP_TEST_POSTGRES_URL"))
struct PostgresChangesTests {
    /// Waits (up to 20 s) until `condition` holds.
    static func eventually(_ condition: () async throws -> Bool) async rethrows -> Bool {
        for _ in 0..<400 {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    static func store(_ database: PostgresTestServer.Database, changes: ChangeDetection = .listen) async throws -> PostgresStore {
        let endpoint = PostgresStore.Endpoint(
            host: database.host, port: database.port, username: database.user, database: database.name, password: nil, tls: .disable,
            changes: changes)
        let store = try PostgresStore(endpoint: endpoint, schema: .unchecked)
        _ = try await store.migrate()
        return store
    }

    static let partner = "INSERT INTO partner (slug, name, email, kind, created_at) VALUES ('roc', 'ROC', 'roc@example.org', 'school', now())"

    @Test func aChangeCommittedByAnotherProcessMovesTheCounterAfterItsCommit() async throws {
        let database = try PostgresTestServer.Database()
        let store = try await Self.store(database)
        defer { store.shutdown() }
        let before = try await store.changeCounter()
        #expect(try await Self.eventually { try await store.changeCounter() > before }, "listening counts as a change")
        try await Task.sleep(for: .milliseconds(200))
        let listening = try await store.changeCounter()
        try database.psql(Self.partner)
        #expect(try await Self.eventually { try await store.changeCounter() > listening })
    }

    @Test func theSendersBookkeepingMovesNoCounterButAReleasedMessageDoes() async throws {
        let database = try PostgresTestServer.Database()
        let store = try await Self.store(database)
        defer { store.shutdown() }
        let before = try await store.changeCounter()
        #expect(try await Self.eventually { try await store.changeCounter() > before }, "listening counts as a change")
        let listening = try await store.changeCounter()
        try database.psql(
            """
            \(Self.partner);
            INSERT INTO session (uid, title, description, kind, sector, audience, start_local, end_local, timezone, capacity, region,
                language, status, sequence, starts_at, ends_at, created_at, updated_at)
            VALUES ('s@example.org', 'Zorg', '', 'webinar', 'zorg', 'all', '2027-02-02T19:00', '2027-02-02T20:00', 'Europe/Amsterdam', 10,
                'midden-utrecht', 'nl', 'scheduled', 0, now(), now(), now(), now());
            INSERT INTO outbox (kind, session_id, partner_id, recipient, message_id, state, due_at, next_attempt_at, created_at)
            VALUES ('partnerNotice', (SELECT id FROM session), (SELECT id FROM partner), 'roc@example.org', 'a@example.org', 'sending',
                now(), now(), now())
            """)
        // Waits for the setup's own notice, however slow the machine, before counting quiet.
        #expect(try await Self.eventually { try await store.changeCounter() > listening })
        let quiet = try await store.changeCounter()
        try database.psql("UPDATE outbox SET lease_owner = 'me', lease_until = now() + interval '5 minutes'")
        try database.psql("UPDATE outbox SET state = 'failed', lease_owner = NULL, lease_until = NULL")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await store.changeCounter() == quiet, "claims, outcomes and lease renewals notify nobody")
        try database.psql("UPDATE outbox SET state = 'pending'")
        #expect(try await Self.eventually { try await store.changeCounter() > quiet }, "a retried message is new work for the dispatcher")
    }

    @Test func aKilledListeningConnectionIsReplacedAndCountsAsAChange() async throws {
        let database = try PostgresTestServer.Database()
        let store = try await Self.store(database)
        defer { store.shutdown() }
        _ = try await store.changeCounter()
        let listener = "SELECT pid FROM pg_stat_activity WHERE application_name = '\(PostgresChanges.listenerName)' AND datname = current_database()"
        #expect(try await Self.eventually { !((try? database.psql(listener)) ?? "").isEmpty })
        let first = try database.psql(listener)
        let before = try await store.changeCounter()
        try database.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = \(first)")
        #expect(try await Self.eventually { try await store.changeCounter() > before }, "the reconnect counts as a change")
        // The counter moves when the old connection drops; the new one shows up a moment later.
        #expect(try await Self.eventually {
            let second = (try? database.psql(listener)) ?? ""
            return !second.isEmpty && second != first
        }, "a new listening connection replaces the killed one")
        let reconnected = try await store.changeCounter()
        try database.psql(Self.partner)
        #expect(try await Self.eventually { try await store.changeCounter() > reconnected }, "the new connection listens")
    }

    @Test func aPolledChangeStillUncommittedIsReportedAgainAtItsCommitWhateverOtherDatabasesRun() async throws {
        let database = try PostgresTestServer.Database()
        let elsewhere = try PostgresTestServer.Database()
        let store = try await Self.store(database, changes: .poll(every: .milliseconds(100)))
        defer { store.shutdown() }
        let before = try await store.changeCounter()
        #expect(try await Self.eventually { try await store.changeCounter() > before }, "the first poll counts as a change")
        let longWrite = try elsewhere.session()
        defer { longWrite.close() }
        longWrite.send("BEGIN; SELECT txid_current();")
        let writers = "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(elsewhere.name)' AND backend_xid IS NOT NULL"
        #expect(try await Self.eventually { try database.psql(writers) == "1" }, "another database holds a write open")
        let idle = try await store.changeCounter()
        let writer = try database.session()
        defer { writer.close() }
        writer.send("BEGIN; \(Self.partner);")
        #expect(try await Self.eventually { try await store.changeCounter() > idle }, "the counter moved before the commit")
        try await Task.sleep(for: .milliseconds(300))
        let uncommitted = try await store.changeCounter()
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await store.changeCounter() == uncommitted, "nothing more while the writer runs")
        writer.send("COMMIT;")
        #expect(try await Self.eventually { try await store.changeCounter() > uncommitted }, "reported again once the writer ended")
    }

    @Test func pollingNoticesChangesWithoutAnyListeningConnection() async throws {
        let database = try PostgresTestServer.Database()
        let store = try await Self.store(database, changes: .poll(every: .milliseconds(100)))
        defer { store.shutdown() }
        let before = try await store.changeCounter()
        #expect(try await Self.eventually { try await store.changeCounter() > before }, "the first poll counts as a change")
        try await Task.sleep(for: .milliseconds(300))
        let polled = try await store.changeCounter()
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await store.changeCounter() == polled, "nothing changed")
        try database.psql(Self.partner)
        #expect(try await Self.eventually { try await store.changeCounter() > polled })
        let listeners = try database.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(PostgresChanges.listenerName)' AND datname = current_database()")
        #expect(listeners == "0")
    }
}
