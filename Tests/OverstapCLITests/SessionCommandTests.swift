import Foundation
import OverstapTestSupport
import Testing

struct SessionListTests {
    let cli = CLI()
    let utrecht: String
    let twente: String
    let joint: String
    let series: String

    init() throws {
        try cli.addPartner("roc-midden")
        try cli.addPartner("techniekcollege", region: "twente")
        utrecht = try cli.createSession()
        twente = try cli.createSession(
            SessionDraft().with("--partner", "techniekcollege").with("--region", "twente").with("--start", "2027-03-09 19:00"))
        joint = try cli.createSession(
            SessionDraft().with("--partner", "techniekcollege,roc-midden").with("--start", "2027-04-06 10:00"))
        series = try cli.createSession(
            SessionDraft().with("--start", "2027-01-12 19:00").with("--repeat", "FREQ=WEEKLY;COUNT=6").with("--title", "Reeks"))
    }

    /// The ids `session list` prints with extra arguments.
    private func ids(_ extra: [String]) throws -> [String] {
        try cli.sessions(extra).compactMap { $0["id"] as? String }
    }

    @Test func sessionsAreListedByStart() throws {
        #expect(try ids([]) == [series, utrecht, twente, joint])
        let table = try cli.run(["session", "list"])
        expectSuccess(table)
        #expect(table.stdout.contains("2027-02-02 19:00"))
        #expect(table.stdout.contains("Reeks (series)"))
        #expect(table.stdout.contains("0/20"))
    }

    @Test func thePartnerFilterIncludesSessionsTheyRunTogether() throws {
        #expect(try ids(["--partner", "roc-midden"]) == [series, utrecht, joint])
        #expect(try ids(["--partner", "techniekcollege"]) == [twente, joint])
        #expect(try ids(["--partner", "techniekcollege", "--region", "midden-utrecht"]) == [joint])
    }

    @Test func theRegionFilterKeepsOneRegion() throws {
        #expect(try ids(["--region", "twente"]) == [twente])
        #expect(try ids(["--region", "achterhoek"]).isEmpty)
    }

    @Test func dateFiltersKeepSessionsStillRunningInTheRange() throws {
        #expect(try ids(["--from", "2027-03-01"]) == [twente, joint])
        #expect(try ids(["--from", "2027-02-10"]) == [series, twente, joint], "the series' last meeting is on 2027-02-16")
        #expect(try ids(["--to", "2027-03-09"]) == [series, utrecht, twente], "--to includes the whole day")
        #expect(try ids(["--to", "2027-03-08"]) == [series, utrecht])
        #expect(try ids(["--from", "2027-03-09", "--to", "2027-03-09"]) == [twente])
    }

    @Test func badFiltersAreRefused() throws {
        expectRefused(try cli.run(["session", "list", "--region", "nergens"]), mentioning: ["--region", "unknown region 'nergens'"])
        expectRefused(try cli.run(["session", "list", "--from", "1 maart"]), mentioning: ["--from", "is not a date", "YYYY-MM-DD"])
        expectRefused(try cli.run(["session", "list", "--to", "2027-02-30"]), mentioning: ["--to", "is not a date"])
    }
}

struct SessionShowTests {
    let cli = CLI()

    init() throws { try cli.addPartner() }

    @Test func showPrintsTheSessionWithItsMeetingsAndEnrollments() throws {
        let id = try cli.createSession(SessionDraft().with("--description", "Wat doet een helpende zorg?\nU hoort het hier."))
        let text = try cli.run(["session", "show", id])
        expectSuccess(text)
        #expect(text.stdout.contains("Van keuken naar zorg  [session \(id), webinar, scheduled]"))
        #expect(text.stdout.contains("2027-02-02T19:00:00+01:00 – 2027-02-02T20:30:00+01:00"))
        #expect(text.stdout.contains("enrollments (0):"))
        #expect(text.stdout.contains("U hoort het hier."))

        let json = try cli.run(["session", "show", id, "--json"])
        expectSuccess(json)
        #expect(allKeysAreSnakeCase(try json.json()))
        let (session, enrollments) = try cli.showSession(id)
        #expect(session["description"] as? String == "Wat doet een helpende zorg?\nU hoort het hier.")
        #expect((session["meetings"] as? [Any])?.count == 1)
        #expect(enrollments.isEmpty)
    }

    @Test func anUnknownSessionIsRefused() throws {
        expectRefused(try cli.run(["session", "show", "999"]), mentioning: ["no session '999'", "overstap session list"])
    }

    @Test func anIDThatIsNotANumberIsAUsageError() throws {
        expectRefused(try cli.run(["session", "show", "abc"]), status: 2, mentioning: ["abc"])
    }
}

struct SessionUpdateTests {
    let cli = CLI()
    let id: String

    init() throws {
        try cli.addPartner()
        id = try cli.createSession()
    }

    /// Runs `session update` on the fixture session.
    private func update(_ arguments: [String]) throws -> CLI.Result {
        try cli.run(["session", "update", id] + arguments)
    }

    @Test func aCapacityChangeDoesNotRaiseTheSequence() throws {
        expectSuccess(try update(["--capacity", "30"]))
        let (session, _) = try cli.showSession(id)
        #expect(session["capacity"] as? Int == 30)
        #expect(session["sequence"] as? Int == 0)
    }

    @Test func aChangeParticipantsSeeRaisesTheSequence() throws {
        let retitled = try update(["--title", "Van de keuken naar de zorg"])
        expectSuccess(retitled)
        #expect(retitled.stdout.contains("sequence 1"))
        var (session, _) = try cli.showSession(id)
        #expect(session["title"] as? String == "Van de keuken naar de zorg")
        #expect(session["sequence"] as? Int == 1)

        expectSuccess(try update(["--start", "2027-02-03 19:30"]))
        (session, _) = try cli.showSession(id)
        #expect(session["sequence"] as? Int == 2)
        #expect(session["start"] as? String == "2027-02-03T19:30:00+01:00")
        #expect(session["end"] as? String == "2027-02-03T21:00:00+01:00", "moving keeps the length")
        #expect(session["title"] as? String == "Van de keuken naar de zorg", "options not given stay as they were")

        expectSuccess(try update(["--online", "https://meet.example.org/nieuw"]))
        (session, _) = try cli.showSession(id)
        #expect(session["sequence"] as? Int == 3)
    }

    @Test func aRefusedUpdateChangesNothing() throws {
        let before = try cli.run(["session", "show", id, "--json"]).stdout
        expectRefused(try update(["--start", "2027-03-28 02:30", "--title", "Nieuw"]), mentioning: ["--start", "2027-03-28 03:00"])
        expectRefused(try update(["--capacity", "0"]), mentioning: ["--capacity"])
        expectRefused(try update(["--partner", "nobody"]), mentioning: ["unknown partner 'nobody'"])
        #expect(try cli.run(["session", "show", id, "--json"]).stdout == before)
    }

    @Test func anUnknownSessionCannotBeUpdated() throws {
        expectRefused(try cli.run(["session", "update", "999", "--capacity", "5"]), mentioning: ["no session '999'"])
    }

    @Test func aCancelledSessionCannotBeUpdated() throws {
        expectSuccess(try cli.run(["session", "cancel", id]))
        expectRefused(try update(["--capacity", "5"]), mentioning: ["session \(id)", "cancelled"])
    }
}

struct SessionCancelTests {
    let cli = CLI()
    let id: String

    init() throws {
        try cli.addPartner()
        id = try cli.createSession()
    }

    @Test func aCancelledSessionKeepsItsPlaceWithStatusAndReason() throws {
        let result = try cli.run(["session", "cancel", id, "--reason", "Te weinig aanmeldingen"])
        expectSuccess(result)
        #expect(result.stdout == "session \(id) cancelled\n")
        let (session, _) = try cli.showSession(id)
        #expect(session["status"] as? String == "cancelled")
        #expect(session["cancel_reason"] as? String == "Te weinig aanmeldingen")
        #expect(session["sequence"] as? Int == 1, "a cancellation is a change participants see")
        #expect(try cli.sessions().count == 1)
    }

    @Test func cancellingTwiceIsRefused() throws {
        expectSuccess(try cli.run(["session", "cancel", id]))
        expectRefused(try cli.run(["session", "cancel", id]), mentioning: ["session \(id)", "already cancelled"])
        let (session, _) = try cli.showSession(id)
        #expect(session["sequence"] as? Int == 1)
    }

    @Test func anUnknownSessionCannotBeCancelled() throws {
        expectRefused(try cli.run(["session", "cancel", "999"]), mentioning: ["no session '999'"])
    }

    @Test func aReasonWithControlCharactersIsRefused() throws {
        expectRefused(try cli.run(["session", "cancel", id, "--reason", "ziek\u{07}"]), mentioning: ["--reason", "control characters"])
        let (session, _) = try cli.showSession(id)
        #expect(session["status"] as? String == "scheduled")
    }
}
