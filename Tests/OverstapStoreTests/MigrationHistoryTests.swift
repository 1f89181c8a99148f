import Crypto
import Foundation
import GRDB
import OverstapTestSupport
import Testing

@testable import OverstapStore

/// Shipped migrations never change: a database migrated by an older version must end up with the
/// same schema as a new one.
struct MigrationHistoryTests {
    /// The SHA-256 of each shipped migration's SQL, per backend. Add a line when a migration ships;
    /// never change one.
    static let shipped: [String: [(name: String, sha256: String)]] = [
        "sqlite": [
            ("001_foundation", "f50e4532bc87751daa44004e73f859cad937e2a07eb18c02015ea066b88d472e"),
            ("002_partner_busy", "5a4c07fab64f5c929768cb530c5b2144c535812e3d9d6e84a3b600434a43bcde"),
            ("003_outbox", "e9e68035ecc7377c305359faa397ed09509ebd9597a88deae136a752676c7878"),
            ("004_feed_tokens", "17688465eb2ba31aa59bf7f58b3f4050d9702706063aa1f23cd2ade5c9f79310"),
            ("005_reminders", "3c08cb0a31dbaa66ed6375b9bec0308f7adc6d75f3de8ee35834c16dd0f1ef31"),
            ("006_enrollment_session_state", "f2698c424fad7d8a59bfcaf13e3bdf072eb2638f5c74ef246a1051be93d6e758"),
            ("007_outbox_kinds_in_code", "fdf1de257b2b5853eb6ba5d4fb4d66c95aa1560492344ceb7746945c06f00ca0"),
            ("008_calendar_replies", "da1255af347429ac3127c3156e6adc63d791a290c0e3027d4bdbfd7e9c97e320"),
            ("009_seat_refill", "a18ed0cd6a18026fd2dcf57b0a7363124b45ba4d56c733cb88759cb91c8b2e8d"),
            ("010_manual_placement", "8f97caddf214624c181156fe25e7683a5759711fa65e1693118b2163bda1255a"),
            ("011_meeting_exceptions", "e0460e3e43017ca4fd83ffb6e880a346c2853f0ddec4e93384af5424f696f1c6"),
            ("012_answer_deadline", "e69c5369f0f53759b3b17780c9f27517b16ccfb5c702cf5fee24872e2e1d6da1"),
            ("013_outcomes", "da274e8a571a3cee80abfb40aefbdfd75c6527d66d76a7532a368f88c0fdb2ab"),
            ("014_demand", "aae79902d5c3db3a6845982aef908527b7ef11fd3941dff63248119950840122"),
            ("015_roster_consent", "fffefa3a1dfb68b3480315f8c76a89cd5d83bb8843bc8ff91699f82b6c56dfb6"),
            ("016_retention_aggregates", "7eebb64d1887aedb12b9db847fcb76c663db21b91f4fb65936ac17663400d94a"),
            ("017_idempotent_schedules", "1a2a61040dc55cd36ab979e19c6e2c9be351584f20fd16a665df597e6fc89d65"),
        ]
    ]

    private static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration history"))
    func shippedSQLiteMigrationsKeepTheirText() {
        let current = Dictionary(uniqueKeysWithValues: Migrations.all.map { ($0.name, Self.sha256($0.sql)) })
        for migration in Self.shipped["sqlite"]! {
            #expect(current[migration.name] == migration.sha256, "shipped migration \(migration.name) was edited: add a new one instead")
        }
    }

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration history"))
    func everySQLiteMigrationIsRecordedInOrder() {
        #expect(Migrations.all.map(\.name) == Self.shipped["sqlite"]!.map(\.name))
    }

    /// The text `003_outbox` had between its edit and its restoration, with the index added late.
    private static let editedOutboxMigration =
        Migrations.all[2].sql + "\nCREATE INDEX enrollment_session_state ON enrollment (session_id, state);"

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration history"), arguments: [false, true])
    func aDatabaseMigratedByAnOlderVersionGetsTheSessionStateIndex(migratedWhileEdited: Bool) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("data/overstap.sqlite")
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        var older = DatabaseMigrator()
        for (index, migration) in Migrations.all.prefix(5).enumerated() {
            let sql = index == 2 && migratedWhileEdited ? Self.editedOutboxMigration : migration.sql
            older.registerMigration(migration.name) { db in try db.execute(sql: sql) }
        }
        try older.migrate(DatabaseQueue(path: path))

        let store = try SQLiteStore(path: path)
        let indexes = try DatabaseQueue(path: store.path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enrollment'")
        }
        #expect(indexes.contains("enrollment_session_state"))
    }

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration history"))
    func outboxRowsSurviveTheRebuildAndNewKindsNeedNoMigration() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("overstap.sqlite")
        let queue = try StoreFixture.olderDatabase(at: path, migrations: 6)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO session (id, uid, title, description, kind, sector, audience, start_local, end_local, timezone,
                    capacity, region, language, status, sequence, starts_at, ends_at, created_at, updated_at)
                VALUES (1, 'u@x', 't', 'd', 'training', 'zorg', 'horeca', '2027-02-02T19:00', '2027-02-02T20:30',
                    'Europe/Amsterdam', 10, 'midden-utrecht', 'nl', 'scheduled', 0, 'a', 'b', 'c', 'd');
                INSERT INTO worker (id, email_key, email, name, sector, targets, region, languages, availability, status,
                    locale, first_imported_at, updated_at)
                VALUES (1, 'a@x', 'a@x', 'A', 'horeca', 'zorg', 'midden-utrecht', 'nl', '', 'unemployed', 'nl', 'a', 'b');
                INSERT INTO outbox (id, kind, session_id, worker_id, recipient, message_id, state, due_at, attempts,
                    next_attempt_at, created_at, meeting_at)
                VALUES (7, 'reminder', 1, 1, 'a@x', 'm1@x', 'sent', '2027-01-01T00:00:00Z', 2, '2027-01-01T00:00:00Z',
                    '2026-12-31T00:00:00Z', '2027-02-02T18:00:00Z');
                """)
        }
        _ = try SQLiteStore(path: path)
        try queue.write { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT kind, attempts, meeting_at FROM outbox WHERE id = 7"))
            #expect(row[0] as String == "reminder")
            #expect(row[1] as Int == 2)
            #expect(row[2] as String == "2027-02-02T18:00:00Z")
            try db.execute(sql: """
                INSERT INTO outbox (kind, session_id, worker_id, recipient, message_id, state, due_at, next_attempt_at, created_at)
                VALUES ('a_kind_added_later', 1, 1, 'a@x', 'm2@x', 'pending', 'a', 'b', 'c')
                """)
        }
    }
}
