import Foundation
import OverstapTestSupport
import Testing

/// Daemons on one PostgreSQL database (`OVERSTAP_TEST_POSTGRES_URL`) noticing what other
/// processes commit: through LISTEN/NOTIFY, after losing the listening connection, and by polling.
@Suite(.enabled(if: TestDatabase.postgresAdminURL != nil, "needs OVERSTAP_TEST_POSTGRES_URL"))
struct PostgresChangeDetectionTests {
    let cli = CLI()
    let database: PostgresTestServer.Database
    let listener = "SELECT pid FROM pg_stat_activity WHERE application_name = 'overstap change listener' AND datname = current_database()"

    init() throws {
        database = try PostgresTestServer.Database()
    }

    /// The environment of a process on the test database; a daemon also gets its own port.
    func env(port: Int? = nil, _ extra: [String: String] = [:]) -> [String: String] {
        var env = ["OVERSTAP_DATABASE_URL": database.url]
        if let port {
            env["OVERSTAP_HTTP_PORT"] = String(port)
            env["OVERSTAP_HTTP_PUBLIC_URL"] = "http://127.0.0.1:\(port)"
        }
        return env.merging(extra) { _, new in new }
    }

    /// Starts `overstap serve --demo` and waits until it listens; returns it and its region feed's URL.
    func serve(_ extra: [String: String] = [:]) throws -> (Process, String) {
        let port = try ServeCommandTests.freePort()
        let log = "serve-\(port).log"
        let daemon = try cli.launch(["serve", "--demo"], env: env(port: port, extra), outputFile: log)
        let ready = ServeCommandTests.waitUntil(seconds: 30) {
            (try? String(contentsOfFile: cli.directory.file(log), encoding: .utf8))?.contains("listening on") == true
        }
        #expect(ready, "the daemon did not start")
        return (daemon, "http://127.0.0.1:\(port)/feeds/regions/midden-utrecht.ics")
    }

    func mails() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: cli.directory.file("data/mail"))) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    @Test func aCLIWriteWakesTheRunningDaemonSoItsMailLeavesAtOnce() throws {
        expectSuccess(try cli.run(["demo"], env: env()))
        let (daemon, _) = try serve()
        defer { daemon.terminate() }
        expectSuccess(try cli.run(["match", "--commit"], env: env()))
        expectSuccess(try cli.run(["invite", "--session", "1"], env: env()))
        // Well before the dispatcher's 30 s round: the CLI's commit notified the daemon.
        #expect(ServeCommandTests.waitUntil(seconds: 10) { mails() > 0 }, "the dispatcher sends what the CLI queued")
    }

    @Test func twoDaemonsOnOneDatabaseServeTheSameETagBeforeAndAfterAChange() throws {
        expectSuccess(try cli.run(["demo"], env: env()))
        let (first, firstFeed) = try serve()
        defer { first.terminate() }
        let (second, secondFeed) = try serve()
        defer { second.terminate() }
        let before = (try ServeCommandTests.get(firstFeed), try ServeCommandTests.get(secondFeed))
        #expect(before.0.status == 200 && before.0.etag != nil && before.0.etag == before.1.etag)

        expectSuccess(try cli.run(["session", "update", "1", "--title", "Van keuken naar zorg (nieuwe titel)"], env: env()))
        let changed = try ServeCommandTests.waitUntil(seconds: 5) {
            let now = (try ServeCommandTests.get(firstFeed), try ServeCommandTests.get(secondFeed))
            return now.0.body.contains("nieuwe titel") && now.1.body.contains("nieuwe titel")
        }
        #expect(changed, "both daemons notice the change")
        let after = (try ServeCommandTests.get(firstFeed), try ServeCommandTests.get(secondFeed))
        #expect(after.0.etag != before.0.etag && after.0.etag == after.1.etag)
        let revalidated = try ServeCommandTests.get(secondFeed, headers: ["If-None-Match: \(after.0.etag ?? "")"])
        #expect(revalidated.status == 304, "a copy from one daemon stays valid at the other")
    }

    @Test func aKilledListeningConnectionIsReplacedAndTheDaemonStillSeesChanges() throws {
        expectSuccess(try cli.run(["demo"], env: env()))
        let (daemon, feed) = try serve()
        defer { daemon.terminate() }
        #expect(ServeCommandTests.waitUntil(seconds: 10) { !((try? database.psql(listener)) ?? "").isEmpty })
        let first = try database.psql(listener)
        try database.psql("SELECT pg_terminate_backend(\(first))")
        let replaced = ServeCommandTests.waitUntil(seconds: 10) {
            let now = (try? database.psql(listener)) ?? ""
            return !now.isEmpty && now != first
        }
        #expect(replaced, "the daemon listens again on a new connection")
        _ = try ServeCommandTests.get(feed)
        expectSuccess(try cli.run(["session", "update", "1", "--title", "Na het herverbinden"], env: env()))
        let seen = try ServeCommandTests.waitUntil(seconds: 5) { try ServeCommandTests.get(feed).body.contains("Na het herverbinden") }
        #expect(seen)
        #expect(daemon.isRunning)
    }

    @Test func behindAPoolerTheDaemonPollsTheChangeCounterInstead() throws {
        expectSuccess(try cli.run(["demo"], env: env()))
        let (daemon, feed) = try serve(["OVERSTAP_DATABASE_CHANGE_POLL": "200ms"])
        defer { daemon.terminate() }
        _ = try ServeCommandTests.get(feed)
        expectSuccess(try cli.run(["session", "update", "1", "--title", "Gepeild"], env: env()))
        #expect(try ServeCommandTests.waitUntil(seconds: 5) { try ServeCommandTests.get(feed).body.contains("Gepeild") })
        #expect(try database.psql(listener).isEmpty, "no LISTEN connection when polling")
        expectSuccess(try cli.run(["match", "--commit"], env: env()))
        expectSuccess(try cli.run(["invite", "--session", "1"], env: env()))
        #expect(ServeCommandTests.waitUntil(seconds: 10) { mails() > 0 }, "the poll wakes the dispatcher too")
    }
}

/// `database.change_poll` as `config check` reads it: a duration, refused with its key otherwise.
struct ChangePollSettingTests {
    let cli = CLI()
    let postgres = ["OVERSTAP_DATABASE_URL": "postgres://overstap@127.0.0.1:5432/overstap"]

    @Test(arguments: ["2s", "500ms", "PT2S", "1m"])
    func aDurationIsTaken(_ value: String) throws {
        let checked = try cli.run(["config", "check"], env: postgres.merging(["OVERSTAP_DATABASE_CHANGE_POLL": value]) { _, new in new })
        #expect(checked.status == 0, "\(checked)")
    }

    @Test(arguments: ["soon", "0s", "5ms", "2h"])
    func anythingElseIsRefusedNamingTheKeyAndTheFix(_ value: String) throws {
        let refused = try cli.run(["config", "check"], env: postgres.merging(["OVERSTAP_DATABASE_CHANGE_POLL": value]) { _, new in new })
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("database.change_poll: '\(value)' is not a duration from 10ms to 1h") && refused.stderr.contains("PgBouncer"))
    }
}
