import Foundation
import OverstapTestSupport
import Testing

/// `reply ingest` as a mail fetcher runs it and `reply list/apply/dismiss` as an organiser does.
struct ReplyCommandTests {
    let cli = CLI()

    static let workers = """
        email,name,sector,targets,region,languages,availability,status
        anouk.jansen@example.nl,Anouk Jansen,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
        bram.devries@gmail.com,Bram de Vries,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
        piet.bakker@posteo.nl,Piet Bakker,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed

        """

    /// A weekly series with the fixtures' UID, everyone placed, invited and the invitations sent.
    func inviteEveryone() throws {
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--repeat", "FREQ=WEEKLY;COUNT=6"))
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", Self.workers)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"]))
        expectSuccess(try cli.run(["outbox", "send"]))
        // Session UIDs are random; the fixtures answer a fixed one.
        try DatabaseShell.execute("UPDATE session SET uid = '\(ReplyFixture.sessionUID)' WHERE id = 1", in: cli.database)
    }

    func enrollmentState(_ email: String) throws -> String? {
        let result = try cli.run(["session", "show", "1", "--json"])
        expectSuccess(result)
        let session = try #require(try result.json() as? [String: Any])
        let enrollments = try #require(session["enrollments"] as? [[String: Any]])
        return enrollments.first { $0["worker"] as? String == email }?["state"] as? String
    }

    func fixtureText(_ reply: ReplyFixture) throws -> String {
        String(decoding: try reply.bytes(), as: UTF8.self)
    }

    @Test func aFileIsIngestedAndTheAnswerShownInTheList() throws {
        try inviteEveryone()
        let result = try cli.run(["reply", "ingest", ReplyFixture.outlookExchange2010Accept.path])
        expectSuccess(result)
        #expect(result.stdout.hasPrefix("applied: Anouk.Jansen@Example.nl REPLY ACCEPTED for session 1"), "\(result)")
        #expect(try enrollmentState("anouk.jansen@example.nl") == "accepted")
        let listed = try cli.run(["reply", "list", "--json"])
        expectSuccess(listed)
        let rows = try #require(try listed.json() as? [[String: Any]])
        #expect(rows.count == 1)
        let keys = Set(rows.first?.keys.map { $0 } ?? [])
        #expect(keys.isSuperset(of: ["id", "received_at", "from", "method", "partstat", "session", "outcome", "reason"]))
        #expect(rows.first?["outcome"] as? String == "applied")
    }

    @Test func asADeliveryProgramItSaysNothingAndExitsZero() throws {
        try inviteEveryone()
        for reply in [ReplyFixture.thunderbirdDeclineOneMeeting, .questionNoCalendar, .gmailAcceptDottedAlias] {
            let result = try cli.run(["reply", "ingest"], stdin: try fixtureText(reply))
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(reply): \(result)")
        }
        let review = try cli.run(["reply", "list", "--state", "needs_review"])
        expectSuccess(review)
        #expect(review.stdout.contains("bramdevries@gmail.com") || review.stdout.contains("Bram"), "\(review)")
        let meeting = try cli.run(["reply", "list", "--session", "1", "--json"])
        let rows = try #require(try meeting.json() as? [[String: Any]])
        #expect(rows.contains { $0["recurrence_id"] as? String == "2027-02-16T19:00" })
        #expect(try enrollmentState("piet.bakker@posteo.nl") == "invited", "one meeting's notice keeps the seat")
    }

    /// libical warns on standard error about a stray carriage return before BEGIN:VEVENT (found by
    /// the reply fuzzer); a delivery program must stay silent all the same.
    @Test func libicalsOwnWarningsNeverReachTheFetcher() throws {
        try inviteEveryone()
        let mail = [
            "From: Piet Bakker <piet.bakker@posteo.nl>", "Message-ID: <stray-cr@posteo.nl>", "MIME-Version: 1.0",
            "Content-Type: text/calendar; charset=utf-8; method=REFRESH", "", "BEGIN:VCALENDAR", "PRODID:-//x//y//EN", "VERSION:2.0",
            "METHOD:REFRESH", "\rBEGIN:VEVENT", "UID:\(ReplyFixture.sessionUID)", "DTSTAMP:20270110T070000Z",
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:piet.bakker@posteo.nl", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\n")
        let asCommand = try cli.run(["reply", "ingest", try cli.directory.write("stray.eml", mail)])
        #expect(asCommand.stderr.contains("Encountered END before BEGIN"), "the warning this test guards against: \(asCommand)")
        let delivered = try cli.run(["reply", "ingest"], stdin: mail.replacingOccurrences(of: "stray-cr", with: "stray-cr-2"))
        #expect(delivered.status == 0 && delivered.stderr.isEmpty && delivered.stdout.isEmpty, "\(delivered)")
    }

    @Test func anOversizedMailIsReadAwayAndHandledWithoutBeingKept() throws {
        try inviteEveryone()
        let huge = try fixtureText(.outlookExchange2010Accept) + String(repeating: "x", count: 33 << 20)
        let result = try cli.run(["reply", "ingest"], stdin: huge)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
        #expect(try enrollmentState("anouk.jansen@example.nl") == "invited")
    }

    /// SQLite's file is created on first use unless the program is one the mail system runs.
    @Test(.enabled(if: TestDatabase.isSQLite, "about SQLite files"))
    func aMissingOrUnmigratedDatabaseMeansTryAgainAndIsNeverCreated() throws {
        let missing = cli.directory.file("elsewhere/overstap.sqlite")
        let result = try cli.run(
            ["reply", "ingest", "--database-url", "sqlite:\(missing)"], stdin: try fixtureText(.outlookExchange2010Accept))
        #expect(result.status == 75, "\(result)")
        #expect(result.stderr.contains("does not exist") && result.stderr.contains("same --config"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        let empty = try cli.directory.write("empty.sqlite", "")
        let unmigrated = try cli.run(["reply", "ingest", "--database-url", "sqlite:\(empty)"], stdin: try fixtureText(.questionNoCalendar))
        #expect(unmigrated.status == 75 && unmigrated.stderr.contains("not up to date"), "\(unmigrated)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty, "nothing was migrated")
    }

    @Test func theOrganiserAppliesOrDismissesWhatNeedsReview() throws {
        try inviteEveryone()
        expectSuccess(try cli.run(["reply", "ingest", ReplyFixture.gmailAcceptDottedAlias.path]))
        let plain = try cli.run(["reply", "apply", "1"])
        #expect(plain.status == 1 && plain.stderr.contains("--worker EMAIL"), "\(plain)")
        expectSuccess(try cli.run(["reply", "apply", "1", "--worker", "bram.devries@gmail.com"]))
        #expect(try enrollmentState("bram.devries@gmail.com") == "accepted")
        let again = try cli.run(["reply", "dismiss", "1"])
        #expect(again.status == 1 && again.stderr.contains("only answers that need review"), "\(again)")
        let unknown = try cli.run(["reply", "dismiss", "99"])
        #expect(unknown.status == 1 && unknown.stderr.contains("reply list"), "\(unknown)")
    }

    @Test func aMissingFileIsRefusedWithItsPath() throws {
        try inviteEveryone()
        let result = try cli.run(["reply", "ingest", "nowhere.eml"])
        #expect(result.status == 1 && result.stderr.contains("nowhere.eml: cannot be read"), "\(result)")
    }
}
