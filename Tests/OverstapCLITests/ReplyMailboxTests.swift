import Foundation
import OverstapTestSupport
import Testing

/// Calendar answers as they reach Overstap in production: they wait in the team mailbox on a
/// real IMAP server (Dovecot), and getmail hands each new one to `overstap reply ingest`.
struct ReplyMailboxTests {
    @Test func getmailHandsTheMailboxToReplyIngestAndTheAnswersAreApplied() throws {
        let organiser = ReplyCommandTests()
        try organiser.inviteEveryone()
        let server = try DovecotServer()
        defer { server.stop() }
        let answers: [ReplyFixture] = [
            .outlookExchange2010Accept, .outlookExchange2010AcceptRedelivered, .gmailAcceptDottedAlias, .questionNoCalendar,
        ]
        try server.deliver(try answers.map { try $0.bytes() })
        let getmail = try Getmail(
            server: server, program: try CLI.executable().path, arguments: ["reply", "ingest", "--config", Repository.configFile])

        let run = try getmail.run(environment: organiser.cli.environment, directory: organiser.cli.directory.path)
        #expect(run.status == 0 && run.errors.isEmpty, "\(run)")
        #expect(run.retrieved == 4, "\(run)")
        #expect(try organiser.enrollmentState("anouk.jansen@example.nl") == "accepted")
        let listed = try organiser.cli.run(["reply", "list", "--json"])
        expectSuccess(listed)
        let outcomes = try #require(try listed.json() as? [[String: Any]]).compactMap { $0["outcome"] as? String }
        #expect(outcomes.sorted() == ["applied", "needs_review"], "the repeat and the question add no row: \(listed)")

        let again = try getmail.run(environment: organiser.cli.environment, directory: organiser.cli.directory.path)
        #expect(again.status == 0 && again.retrieved == 0, "\(again)")
        #expect(try server.unseenCount() == 4, "the team still sees every message")
    }

    /// `reply ingest` exits 75 when the database is missing (here: a wrong working folder), and
    /// getmail keeps the message: the next run, set up right, applies it.
    @Test(.enabled(if: TestDatabase.isSQLite, "a working folder decides the SQLite file; a PostgreSQL URL names one database"))
    func aMissingDatabaseKeepsTheAnswerForTheNextRun() throws {
        let organiser = ReplyCommandTests()
        try organiser.inviteEveryone()
        let server = try DovecotServer()
        defer { server.stop() }
        try server.deliver(try ReplyFixture.outlookExchange2010Accept.bytes())
        let getmail = try Getmail(
            server: server, program: try CLI.executable().path, arguments: ["reply", "ingest", "--config", Repository.configFile])

        let elsewhere = TemporaryDirectory()
        let refused = try getmail.run(environment: organiser.cli.environment, directory: elsewhere.path)
        #expect(refused.status == 127 && refused.errors.contains("error (75, "), "\(refused)")
        #expect(try organiser.enrollmentState("anouk.jansen@example.nl") == "invited")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.file("data/overstap.sqlite")), "no database is created")

        let retried = try getmail.run(environment: organiser.cli.environment, directory: organiser.cli.directory.path)
        #expect(retried.status == 0 && retried.retrieved == 1, "\(retried)")
        #expect(try organiser.enrollmentState("anouk.jansen@example.nl") == "accepted")
    }
}
