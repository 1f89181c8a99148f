import Foundation
import OverstapTestSupport
import Testing

/// `overstap db copy` moving a SQLite deployment onto a real PostgreSQL (`OVERSTAP_TEST_POSTGRES_URL`).
@Suite(.enabled(if: TestDatabase.postgresAdminURL != nil, "needs OVERSTAP_TEST_POSTGRES_URL"))
struct DbCopyCommandTests {
    let cli = CLI()
    let source = "sqlite:data/overstap.sqlite"
    /// The deployment to move is SQLite on either test pass.
    let sqlite = ["OVERSTAP_DATABASE_URL": "sqlite:data/overstap.sqlite"]

    /// The answer links and personal feed links in what `outbox show` prints for every message.
    func answerLinks(env: [String: String]) throws -> [String] {
        let list = try cli.run(["outbox", "list", "--json"], env: env)
        expectSuccess(list)
        let messages = try #require(try list.json() as? [[String: Any]])
        return try messages.compactMap { ($0["id"] as? Int).map(String.init) }.flatMap { id in
            let shown = try cli.run(["outbox", "show", id], env: env)
            expectSuccess(shown)
            return shown.stdout.components(separatedBy: .whitespacesAndNewlines).filter { $0.contains("/rsvp/") || $0.contains("/feeds/me/") }
        }
    }

    /// A demo deployment with invitations queued, and texts COPY must escape (a line break and a
    /// backslash through the CLI, a tab straight into the file, which the CLI would refuse).
    func deployment() throws {
        expectSuccess(try cli.run(["demo"], env: sqlite))
        expectSuccess(try cli.run(["session", "update", "1", "--description", "Eerste regel\nen een \\ schuine streep"], env: sqlite))
        expectSuccess(try cli.run(["match", "--commit"], env: sqlite))
        expectSuccess(try cli.run(["invite", "--session", "1"], env: sqlite))
        _ = try CLI.shell("sqlite3", [cli.databasePath, "UPDATE worker SET name = name || char(9) || 'met tab' WHERE id = 1"])
    }

    @Test func aCopiedDemoServesTheSameFeedBytesAndAnswerLinksOnPostgreSQLAndNewRowsGetFreshIds() throws {
        try deployment()
        let feed = try cli.run(["feed", "--region", "midden-utrecht"], env: sqlite)
        expectSuccess(feed)
        let links = try answerLinks(env: sqlite)
        #expect(!links.isEmpty)
        let sessions = try cli.run(["session", "list", "--json"], env: sqlite)

        let target = try PostgresTestServer.Database()
        let copied = try cli.run(["db", "copy", "--from", source, "--to", target.url])
        expectSuccess(copied)
        #expect(copied.stdout.contains("copied and verified"))
        #expect(copied.stdout.contains("enrollment"))

        let postgres = ["OVERSTAP_DATABASE_URL": target.url]
        let copiedFeed = try cli.run(["feed", "--region", "midden-utrecht"], env: postgres)
        expectSuccess(copiedFeed)
        #expect(copiedFeed.stdout == feed.stdout, "the same feed bytes, so the same ETag")
        #expect(try answerLinks(env: postgres) == links, "answer links name the same enrollments")
        #expect(try cli.run(["session", "list", "--json"], env: postgres).stdout == sessions.stdout)

        let highest = try target.psql("SELECT max(id) FROM session")
        let added = try cli.run(
            ["session", "create", "--title", "Na de verhuizing", "--partner", "roc-midden-nederland", "--kind", "webinar", "--sector", "zorg",
             "--start", "2027-03-02 19:00", "--duration", "1h", "--capacity", "5", "--online", "https://example.org/meet"], env: postgres)
        expectSuccess(added)
        #expect(try target.psql("SELECT max(id) FROM session") == String(Int(highest)! + 1), "the identity sequence continues after the copied ids")
    }

    @Test func aTargetWithRowsIsRefusedNamingTheTableAndKeptAsItWas() throws {
        try deployment()
        let target = try PostgresTestServer.Database()
        expectSuccess(try cli.run(["db", "copy", "--from", source, "--to", target.url]))
        let partners = try target.psql("SELECT count(*) FROM partner")
        let again = try cli.run(["db", "copy", "--from", source, "--to", target.url])
        #expect(again.status == 1)
        #expect(again.stderr.range(of: #"table \w+ already holds rows"#, options: .regularExpression) != nil)
        #expect(try target.psql("SELECT count(*) FROM partner") == partners)
    }

    @Test func aSourceWithALiveLeaseIsRefusedAndNothingIsCopied() throws {
        try deployment()
        let claim = "UPDATE outbox SET state = 'sending', lease_owner = 'other-host:1234', lease_until = '2027-01-10 08:04:00.000' WHERE id = 1"
        _ = try CLI.shell("sqlite3", [cli.databasePath, claim])
        let target = try PostgresTestServer.Database()
        let refused = try cli.run(["db", "copy", "--from", source, "--to", target.url])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("outbox message 1 is being sent") && refused.stderr.contains("stop overstap serve"))
        #expect(try target.psql("SELECT count(*) FROM partner") == "0")

        // Once the lease has lapsed (the clock is 08:00 UTC), the message is merely unfinished.
        let later = try cli.run(["db", "copy", "--from", source, "--to", target.url], env: ["OVERSTAP_NOW": "2027-01-10T09:05:00+01:00"])
        expectSuccess(later)
    }

    @Test func wrongURLsAndAnUnreachableServerSayWhatToDo() throws {
        try deployment()
        let target = try PostgresTestServer.Database()
        let backwards = try cli.run(["db", "copy", "--from", target.url, "--to", source])
        #expect(backwards.status == 1 && backwards.stderr.contains("--from: names a PostgreSQL database"))
        let password = try cli.run(["db", "copy", "--from", source, "--to", "postgres://overstap:geheim@127.0.0.1/overstap"])
        #expect(password.status == 1 && password.stderr.contains("--to") && !password.stderr.contains("geheim"))
        let missing = try cli.run(["db", "copy", "--from", "sqlite:data/elders.sqlite", "--to", target.url])
        #expect(missing.status == 1 && missing.stderr.contains("there is no such file"))
        let usage = try cli.run(["db", "copy", "--from", source])
        #expect(usage.status == 2)
        let port = try CLI.shell("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        let down = try cli.run(["db", "copy", "--from", source, "--to", "postgres://postgres@127.0.0.1:\(port.trimmingCharacters(in: .whitespacesAndNewlines))/x"])
        #expect(down.status == 75, "\(down)")
    }
}
