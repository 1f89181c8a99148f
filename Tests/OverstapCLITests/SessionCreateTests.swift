import Foundation
import OverstapTestSupport
import Testing

struct SessionCreateTests {
    let cli = CLI()

    init() throws { try cli.addPartner() }

    @Test func aCreatedSessionPrintsItsIDAndIsListedInLocalTime() throws {
        let id = try cli.createSession()
        #expect(Int(id) != nil, "session create prints only the new id, got '\(id)'")

        let sessions = try cli.sessions()
        let session = try #require(sessions.first)
        #expect(sessions.count == 1)
        #expect(session["id"] as? String == id, "ids are strings in JSON")
        #expect(session["start"] as? String == "2027-02-02T19:00:00+01:00")
        #expect(session["end"] as? String == "2027-02-02T20:30:00+01:00")
        #expect(session["timezone"] as? String == "Europe/Amsterdam")
        #expect(session["title"] as? String == "Van keuken naar zorg")
        #expect(session["partners"] as? [String] == ["roc-midden"])
        #expect(session["audience"] as? [String] == ["horeca", "detailhandel"])
        #expect(session["online_url"] as? String == "https://meet.example.org/van-keuken-naar-zorg")
        #expect(session["region"] as? String == "midden-utrecht", "the organiser's region is the default")
        #expect(session["language"] as? String == "nl")
        #expect(session["status"] as? String == "scheduled")
        #expect(session["sequence"] as? Int == 0)
        #expect(session["capacity"] as? Int == 20)
        #expect(session["seats_taken"] as? Int == 0)
        #expect(session["seats_free"] as? Int == 20)
        #expect((session["uid"] as? String)?.hasSuffix("@example.org") == true, "the UID carries the organiser's domain")
        #expect(allKeysAreSnakeCase(sessions))
    }

    @Test func aSessionOnSiteWithAnEndTimeIsStored() throws {
        let draft = SessionDraft().with("--online", nil).with("--duration", nil)
            .with("--location", "ROC, Australiëlaan 25, Utrecht").with("--end", "2027-02-02 21:00").with("--kind", "training")
        let id = try cli.createSession(draft)
        let (session, _) = try cli.showSession(id)
        #expect(session["location"] as? String == "ROC, Australiëlaan 25, Utrecht")
        #expect(session["online_url"] == nil)
        #expect(session["kind"] as? String == "training")
        #expect(session["end"] as? String == "2027-02-02T21:00:00+01:00")
    }

    @Test func aStartInTheSpringGapIsRefusedWithTheNextValidTime() throws {
        let result = try cli.run(SessionDraft().with("--start", "2027-03-28 02:30").arguments)
        expectRefused(result, mentioning: ["--start", "2027-03-28 02:30 does not exist", "2027-03-28 03:00"])
        #expect(try cli.sessions().isEmpty)
    }

    @Test func aSeriesWithAMeetingInTheSpringGapIsRefused() throws {
        let draft = SessionDraft().with("--start", "2027-03-14 02:30").with("--repeat", "FREQ=WEEKLY;COUNT=3")
        let result = try cli.run(draft.arguments)
        expectRefused(result, mentioning: ["meeting 3 of 3", "2027-03-28 02:30 does not exist", "2027-03-28 03:00"])
        #expect(try cli.sessions().isEmpty)
    }

    @Test func aStartInTheRepeatedHourNeedsAnOffset() throws {
        let result = try cli.run(SessionDraft().with("--start", "2027-10-31 02:30").arguments)
        expectRefused(result, mentioning: ["--start", "happens twice", "2027-10-31 02:30+02:00", "2027-10-31 02:30+01:00"])
        #expect(try cli.sessions().isEmpty)
    }

    @Test(arguments: [("+02:00", "2027-10-31T02:30:00+02:00"), ("+01:00", "2027-10-31T02:30:00+01:00")])
    func anOffsetPicksOneOfTheRepeatedHours(offset: String, expected: String) throws {
        let id = try cli.createSession(SessionDraft().with("--start", "2027-10-31 02:30\(offset)"))
        let (session, _) = try cli.showSession(id)
        #expect(session["start"] as? String == expected)
    }

    @Test func anOffsetTheZoneDoesNotHaveIsRefused() throws {
        let result = try cli.run(SessionDraft().with("--start", "2027-02-02 19:00+02:00").arguments)
        expectRefused(result, mentioning: ["--start", "does not have offset +02:00", "+01:00"])
    }

    @Test func aWeeklySeriesAcrossTheSpringSwitchKeepsItsLocalTime() throws {
        let draft = SessionDraft().with("--start", "2027-03-09 19:00").with("--duration", "2h").with("--repeat", "FREQ=WEEKLY;COUNT=6")
        let id = try cli.createSession(draft)
        let (session, _) = try cli.showSession(id)
        let meetings = try #require(session["meetings"] as? [[String: Any]])
        #expect(meetings.compactMap { $0["start"] as? String } == [
            "2027-03-09T19:00:00+01:00", "2027-03-16T19:00:00+01:00", "2027-03-23T19:00:00+01:00",
            "2027-03-30T19:00:00+02:00", "2027-04-06T19:00:00+02:00", "2027-04-13T19:00:00+02:00",
        ])
        #expect(meetings.last?["end"] as? String == "2027-04-13T21:00:00+02:00")
        #expect(session["repeat"] as? String == "FREQ=WEEKLY;COUNT=6")
    }

    /// One way to get `session create` wrong, with what the error must name.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var option: String
        var value: String?
        var expected: [String]
        var testDescription: String { "\(option) \(value ?? "(left out)")" }
    }

    static let refusals: [Refusal] = [
        Refusal(option: "--start", value: "2027-01-09 19:00", expected: ["--start", "in the past"]),
        Refusal(option: "--start", value: "2027-01-10 08:30", expected: ["--start", "in the past"]),
        Refusal(option: "--start", value: "2 februari", expected: ["--start", "is not a date and time", "YYYY-MM-DD HH:MM"]),
        Refusal(option: "--capacity", value: "0", expected: ["--capacity", "must be between 1"]),
        Refusal(option: "--partner", value: "nobody", expected: ["--partner", "unknown partner 'nobody'", "known partners: roc-midden"]),
        Refusal(option: "--sector", value: "bakkerij", expected: ["--sector", "unknown sector 'bakkerij'", "zorg", "techniek"]),
        Refusal(option: "--audience", value: "horeca,bakkerij", expected: ["--audience", "unknown sector 'bakkerij'"]),
        Refusal(option: "--region", value: "utrecht-stad", expected: ["--region", "unknown region 'utrecht-stad'", "midden-utrecht"]),
        Refusal(option: "--online", value: "ftp://files.example.org/sessie", expected: ["--online", "is not a web link", "https://"]),
        Refusal(option: "--online", value: "meet.example.org/abc", expected: ["--online", "is not a web link"]),
        Refusal(option: "--title", value: "Van keuken\nnaar zorg", expected: ["--title", "line break"]),
        Refusal(option: "--kind", value: "lecture", expected: ["--kind", "unknown kind 'lecture'", "webinar, training, workshop"]),
        Refusal(option: "--timezone", value: "Mars/Olympus", expected: ["--timezone", "unknown time zone"]),
        Refusal(option: "--duration", value: "lang", expected: ["--duration", "is not a duration"]),
        Refusal(option: "--repeat", value: "FREQ=WEEKLY", expected: ["--repeat", "COUNT or UNTIL"]),
        Refusal(option: "--repeat", value: "FREQ=WEEKLY;COUNT=53", expected: ["--repeat", "more than 52 meetings"]),
        Refusal(option: "--language", value: "Nederlands", expected: ["--language", "is not a language code"]),
    ]

    @Test(arguments: refusals)
    func badInputIsRefusedAndNothingIsWritten(refusal: Refusal) throws {
        let existing = try cli.createSession()
        let before = try cli.run(["session", "list", "--json"]).stdout
        let result = try cli.run(SessionDraft().with(refusal.option, refusal.value).arguments)
        expectRefused(result, mentioning: refusal.expected)
        let after = try cli.sessions()
        #expect(after.compactMap { $0["id"] as? String } == [existing])
        #expect(try cli.run(["session", "list", "--json"]).stdout == before)
    }

    @Test func anEndBeforeTheStartIsRefused() throws {
        let draft = SessionDraft().with("--duration", nil).with("--end", "2027-02-02 18:00")
        expectRefused(try cli.run(draft.arguments), mentioning: ["--end", "is not after the start"])
        #expect(try cli.sessions().isEmpty)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let draft = SessionDraft().with("--capacity", "0").with("--online", "ftp://x.example.org").with("--sector", "bakkerij")
        let result = try cli.run(draft.arguments)
        expectRefused(result, mentioning: ["--capacity", "--online", "--sector"])
        #expect(result.stderr.split(separator: "\n").count >= 3, "one line per problem\n\(result)")
    }

    @Test(arguments: [("--start", "2 februari"), ("--end", "morgen"), ("--duration", "2x"), ("--repeat", "FREQ=WEEKLY")])
    func anUnreadableTimeIsReportedOnceWithoutFollowOnErrors(option: String, value: String) throws {
        var draft = SessionDraft().with("--capacity", "0").with(option, value)
        if option == "--end" { draft = draft.with("--duration", nil) }
        let result = try cli.run(draft.arguments)
        expectRefused(result, mentioning: ["error: \(option): ", "error: --capacity: "])
        #expect(result.stderr.split(separator: "\n").count == 2, "one line per problem, nothing about placeholder times\n\(result)")
        #expect(!result.stderr.contains("1970"))
    }

    @Test func bothOnlineAndLocationIsRefused() throws {
        let result = try cli.run(SessionDraft().with("--location", "Utrecht").arguments)
        expectRefused(result, mentioning: ["--location", "not both"])
    }

    @Test func aCapacityThatIsNotANumberIsAUsageError() throws {
        let result = try cli.run(SessionDraft().with("--capacity", "twenty").arguments)
        expectRefused(result, status: 2, mentioning: ["--capacity", "twenty"])
    }
}
