import Foundation
import OverstapTestSupport
import Testing

/// `overstap db status` and `db migrate` on both backends, and how a database URL is refused.
struct DbCommandTests {
    let cli = CLI()

    @Test func statusOfAMissingSQLiteFileShowsEverythingPendingAndCreatesNothing() throws {
        let path = cli.directory.file("new/overstap.sqlite")
        let status = try cli.run(["db", "status", "--json", "--database-url", "sqlite:\(path)"])
        expectSuccess(status)
        let fresh = try #require(try status.json() as? [String: Any])
        #expect(fresh["backend"] as? String == "sqlite")
        #expect(fresh["database"] as? String == path)
        #expect(fresh["version"] is NSNull)
        #expect((fresh["applied"] as? [String])?.isEmpty == true)
        let pending = try #require(fresh["pending"] as? [String])
        #expect(pending.first == "001_foundation")
        #expect(!FileManager.default.fileExists(atPath: path), "status changes nothing")

        let migrate = try cli.run(["db", "migrate", "--database-url", "sqlite:\(path)"])
        expectSuccess(migrate)
        #expect(migrate.stdout == "applied to \(path): \(pending.joined(separator: ", "))\n")
        let again = try cli.run(["db", "migrate", "--database-url", "sqlite:\(path)"])
        #expect(again.stdout == "the schema of \(path) is up to date; nothing to migrate\n")
        let text = try cli.run(["db", "status", "--database-url", "sqlite:\(path)"])
        expectSuccess(text)
        #expect(text.stdout == "backend:  sqlite\ndatabase: \(path)\nversion:  \(pending.last ?? "")\npending:  none\n")
    }

    @Test func aPasswordInsideTheURLIsRefusedWithoutShowingIt() throws {
        let result = try cli.run(["db", "status", "--database-url", "postgres://overstap:hunter2-secret@db.example.org/overstap"])
        expectRefused(result, mentioning: ["database.url: holds a password", "database.password", "OVERSTAP_DATABASE_PASSWORD"])
        #expect(!result.stderr.contains("hunter2-secret"))
    }

    @Test func unknownURLsAndTLSModesNameTheKeyAndTheAcceptedForms() throws {
        expectRefused(
            try cli.run(["partner", "list", "--database-url", "mysql://overstap@db.example.org/overstap"]),
            mentioning: ["database.url: 'mysql://overstap@db.example.org/overstap' is not a database URL", "sqlite:PATH", "postgres://USER@HOST[:PORT]/DATABASE"])
        expectRefused(
            try cli.run(["db", "status", "--database-url", "postgres://overstap@db.example.org/overstap"], env: ["OVERSTAP_DATABASE_TLS": "maybe"]),
            mentioning: ["database.tls: 'maybe' is not a TLS mode; use disable, require or verify-full"])
        expectRefused(
            try cli.run(
                ["db", "status", "--database-url", "postgres://overstap@db.example.org/overstap"],
                env: ["OVERSTAP_DATABASE_TLS": "require", "OVERSTAP_DATABASE_CA_FILE": "/etc/ssl/db-ca.pem"]),
            mentioning: ["database.ca_file: is only used with database.tls verify-full"])
        expectRefused(
            try cli.run(["db", "status", "--database-url", "postgres://overstap@db.example.org:99999/overstap"]),
            mentioning: ["database.url: '99999' is not a port number"])
    }

    @Test func anUnreachableServerIsATemporaryFailureNamingHostAndPortButNotThePassword() throws {
        let result = try cli.run(
            ["partner", "list", "--database-url", "postgres://overstap@127.0.0.1:1/overstap"], env: ["OVERSTAP_DATABASE_PASSWORD": "hunter2-secret"])
        expectRefused(result, status: 75, mentioning: ["the database 127.0.0.1:1/overstap cannot be reached", "Connection refused"])
        #expect(!result.stderr.contains("hunter2-secret"))
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "needs OVERSTAP_TEST_POSTGRES_URL"))
    func threeMigrationsStartedAtOnceApplyEachMigrationOnce() throws {
        let runs = try (0..<3).map { try cli.launch(["db", "migrate"], outputFile: "migrate-\($0).txt") }
        runs.forEach { $0.waitUntilExit() }
        #expect(runs.map(\.terminationStatus) == [0, 0, 0])
        let outputs = try (0..<3).map { try String(contentsOfFile: cli.directory.file("migrate-\($0).txt"), encoding: .utf8) }
        #expect(outputs.filter { $0.hasPrefix("applied to ") }.count == 1, "\(outputs)")
        #expect(outputs.filter { $0.contains("is up to date; nothing to migrate") }.count == 2, "\(outputs)")
        let recorded = try DatabaseShell.rows("SELECT name, count(*) FROM schema_migrations GROUP BY name ORDER BY name", in: cli.database)
        #expect(recorded.first == "001_baseline|1")
        #expect(recorded.allSatisfy { $0.hasSuffix("|1") })
        let hashes = try DatabaseShell.rows("SELECT sha256 FROM schema_migrations WHERE name = '001_baseline'", in: cli.database)
        #expect(hashes == ["c4846aa436acef2b63fb6536228f43d07a8c01bddf0245eeff5f3fdf94477ff0"])
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "needs OVERSTAP_TEST_POSTGRES_URL"))
    func anEmptyDatabaseIsMigratedByTheFirstCommandThatUsesIt() throws {
        let before = try #require(try cli.run(["db", "status", "--json"]).json() as? [String: Any])
        #expect(before["backend"] as? String == "postgresql")
        #expect(before["version"] is NSNull)
        #expect(!(before["database"] as? String ?? "").contains("postgres://"), "host:port/database, no user")
        expectSuccess(try cli.run(["partner", "list"]))
        let after = try #require(try cli.run(["db", "status", "--json"]).json() as? [String: Any])
        #expect((after["pending"] as? [String])?.isEmpty == true)
        #expect(after["version"] as? String != nil)
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "needs OVERSTAP_TEST_POSTGRES_URL"))
    func aDatabaseMigratedByANewerOverstapIsRefusedByEveryCommandButStatus() throws {
        expectSuccess(try cli.run(["db", "migrate"]))
        try DatabaseShell.execute("INSERT INTO schema_migrations VALUES ('900_from_the_future', now(), 'x')", in: cli.database)
        for command in [["partner", "list"], ["db", "migrate"], ["serve"]] {
            expectRefused(try cli.run(command), mentioning: ["this database was migrated by a newer overstap", "900_from_the_future"])
        }
        let status = try cli.run(["db", "status"])
        expectSuccess(status)
        #expect(status.stdout.contains("unknown:  900_from_the_future (migrated by a newer overstap)"))
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "needs OVERSTAP_TEST_POSTGRES_URL"))
    func aDatabaseWithOtherTablesIsNotMigrated() throws {
        try DatabaseShell.execute("CREATE TABLE invoices (id integer)", in: cli.database)
        for command in [["partner", "list"], ["db", "migrate"]] {
            expectRefused(try cli.run(command), mentioning: ["holds tables overstap did not make (invoices)", "an empty database of its own"])
        }
    }
}
