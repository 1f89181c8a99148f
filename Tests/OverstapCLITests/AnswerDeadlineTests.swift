import Foundation
import OverstapTestSupport
import Testing

/// The answer deadline (`rsvp.deadline`), the one reminder to answer (`rsvp.nudge`) and
/// `overstap due`, driven through the CLI with `OVERSTAP_NOW`. The session's first meeting is
/// Tuesday 2 February 2027 19:00 (Amsterdam), so with the defaults the deadline is Sunday
/// 31 January 19:00 and the nudge goes on Saturday 30 January 19:00.
struct AnswerDeadlineTests {
    let cli = CLI()

    static let invitedAt = "2027-01-10T09:00:00+01:00"
    static let beforeNudge = "2027-01-30T18:59:00+01:00"
    static let nudgeTime = "2027-01-30T19:00:00+01:00"
    static let deadline = "2027-01-31T19:00:00+01:00"
    static let afterDeadline = "2027-01-31T20:00:00+01:00"
    /// The deadline as the store keeps it (UTC).
    static let storedDeadline = DatabaseShell.instant("2027-01-31 18:00:00")

    static let anouk = "anouk.jansen@example.nl"
    static let bram = "bram.devries@gmail.com"
    static let piet = "piet.bakker@posteo.nl"

    static let workers = """
        email,name,sector,targets,region,languages,availability,status
        anouk.jansen@example.nl,Anouk Jansen,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
        bram.devries@gmail.com,Bram de Vries,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
        piet.bakker@posteo.nl,Piet Bakker,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed

        """

    // MARK: - Helpers

    /// One session with `capacity` seats, the three workers imported and matched, invitations queued.
    func placeEveryone(capacity: Int, hold: Bool = false, env: [String: String] = [:]) throws {
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--capacity", String(capacity)))
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", Self.workers)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"] + (hold ? ["--hold"] : []), env: env))
    }

    @discardableResult
    func run(_ arguments: [String], at now: String, env: [String: String] = [:]) throws -> CLI.Result {
        let result = try cli.run(arguments, env: env.merging(["OVERSTAP_NOW": now]) { _, new in new })
        expectSuccess(result)
        return result
    }

    /// `overstap due --json` at `now`: (nudged, expired).
    func due(at now: String, env: [String: String] = [:]) throws -> (nudged: Int, expired: Int) {
        let result = try run(["due", "--json"], at: now, env: env)
        let report = try #require(try result.json() as? [String: Any], "\(result)")
        return (report["nudged"] as? Int ?? -1, report["expired"] as? Int ?? -1)
    }

    /// Every outbox message but the reminders before the meeting (queued with each invitation,
    /// not the subject here), oldest first.
    func outbox() throws -> [Message] {
        let result = try cli.run(["outbox", "list", "--json"])
        expectSuccess(result)
        let rows = try #require(try result.json() as? [[String: Any]])
        return rows.filter { $0["kind"] as? String != "reminder" }.map { row in
            Message(
                id: "\(row["id"] ?? "")", kind: row["kind"] as? String ?? "", state: row["state"] as? String ?? "",
                to: row["recipient"] as? String ?? "")
        }
    }

    struct Message: Equatable, CustomStringConvertible {
        var id: String
        var kind: String
        var state: String
        var to: String
        var description: String { "\(kind) \(state) \(to)" }
    }

    /// The outbox as "kind state recipient" lines, for comparing message by message.
    func outboxLines() throws -> [String] { try outbox().map(\.description) }

    /// Each enrollment's state by e-mail address, and the session's seats taken.
    func enrollments() throws -> (states: [String: String], seatsTaken: Int) {
        let result = try cli.run(["session", "show", "1", "--json"])
        expectSuccess(result)
        let session = try #require(try result.json() as? [String: Any])
        let rows = try #require(session["enrollments"] as? [[String: Any]])
        var states: [String: String] = [:]
        for row in rows { states[row["worker"] as? String ?? ""] = row["state"] as? String }
        let view = try #require(session["session"] as? [String: Any])
        return (states, view["seats_taken"] as? Int ?? -1)
    }

    func sql(_ query: String) throws -> String {
        try DatabaseShell.rows(query, in: cli.database).joined(separator: "\n")
    }

    /// The people matching placed, in the order the outbox names them.
    func placed() throws -> [String] {
        try outbox().filter { $0.kind == "invitation" }.map(\.to)
    }

    /// The calendar part of an outbox message as it would be sent, unfolded and unescaped.
    func calendarText(of id: String, at now: String) throws -> String {
        let raw = try run(["outbox", "show", id, "--raw"], at: now)
        let file = try cli.directory.write("message-\(id).eml", raw.stdout)
        let structure = try #require(try PythonMIMEParser.parse(file: file)["structure"] as? [String: Any])
        func find(_ part: [String: Any]) -> String? {
            if part["type"] as? String == "text/calendar" { return part["content"] as? String }
            return (part["parts"] as? [[String: Any]] ?? []).lazy.compactMap(find).first
        }
        let text = try #require(find(structure))
        return text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\n ", with: "").replacingOccurrences(of: "\\n", with: "\n")
            .replacingOccurrences(of: "\\,", with: ",").replacingOccurrences(of: "\\;", with: ";")
    }

    /// A calendar answer as a mail client sends it to the team mailbox.
    func calendarReply(from email: String, _ partstat: String, sequence: Int, messageID: String) throws -> String {
        let uid = try sql("SELECT uid FROM session WHERE id = 1")
        return [
            "From: Deelnemer <\(email)>", "Message-ID: <\(messageID)@example.nl>", "MIME-Version: 1.0",
            "Content-Type: text/calendar; charset=utf-8; method=REPLY", "", "BEGIN:VCALENDAR", "PRODID:-//Test//Client//EN",
            "VERSION:2.0", "METHOD:REPLY", "BEGIN:VEVENT", "UID:\(uid)", "DTSTAMP:20270131T190500Z", "SEQUENCE:\(sequence)",
            "ATTENDEE;PARTSTAT=\(partstat):mailto:\(email)", "END:VEVENT", "END:VCALENDAR", "",
        ].joined(separator: "\r\n")
    }

    // MARK: - Deadline and nudge

    @Test func theInvitationAnnouncesItsDeadlineInTheMailTheCalendarEntryAndTheStore() throws {
        try placeEveryone(capacity: 20)
        let invitation = try #require(try outbox().first)
        let shown = try run(["outbox", "show", invitation.id], at: Self.invitedAt)
        #expect(shown.stdout.contains("Laat het ons uiterlijk zondag 31 januari 2027 om 19:00 weten."), "\(shown)")
        let calendar = try calendarText(of: invitation.id, at: Self.invitedAt)
        #expect(calendar.contains("METHOD:REQUEST"))
        #expect(calendar.contains("uiterlijk zondag 31 januari 2027 om 19:00 weten. Hebben wij dan geen antwoord"), "\(calendar)")
        #expect(try sql("SELECT COUNT(*) FROM enrollment WHERE answer_by IS NOT NULL") == "0", "nothing is recorded before it is sent")
        try run(["outbox", "send"], at: Self.invitedAt)
        #expect(try sql("SELECT DISTINCT answer_by FROM enrollment") == Self.storedDeadline)
    }

    @Test func anUnansweredInvitationIsNudgedOnceThenExpiresAndItsSeatGoesToTheWaitingList() throws {
        try placeEveryone(capacity: 2)
        try run(["outbox", "send"], at: Self.invitedAt)
        let invited = try placed()
        #expect(invited.count == 2)
        let waiting = try #require([Self.anouk, Self.bram, Self.piet].first { !invited.contains($0) })
        let (answering, silent) = (invited[0], invited[1])
        #expect(try enrollments().seatsTaken == 2)

        // A "maybe" from the calendar counts as an answer.
        let tentative = try calendarReply(from: answering, "TENTATIVE", sequence: 0, messageID: "maybe")
        expectSuccess(try cli.run(["reply", "ingest"], env: ["OVERSTAP_NOW": Self.invitedAt], stdin: tentative))
        #expect(try enrollments().states[answering] == "tentative")

        #expect(try due(at: Self.beforeNudge) == (0, 0))
        #expect(try due(at: Self.nudgeTime) == (1, 0))
        #expect(try outboxLines().suffix(1) == ["nudge pending \(silent)"], "only the one who did not answer is nudged")
        #expect(try due(at: Self.nudgeTime) == (0, 0), "never twice")
        try run(["outbox", "send"], at: Self.nudgeTime)
        let nudge = try #require(try outbox().last)
        #expect(nudge.kind == "nudge" && nudge.state == "sent")
        let text = try run(["outbox", "show", nudge.id], at: Self.nudgeTime).stdout
        #expect(text.contains("wij weten nog niet of u komt") && text.contains("uiterlijk zondag 31 januari 2027 om 19:00"), "\(text)")
        #expect(!text.contains("Calendar:"), "a nudge carries no calendar part")
        #expect(try due(at: Self.beforeNudge.replacingOccurrences(of: "01-30", with: "01-31")) == (0, 0), "never twice, later either")
        #expect(try enrollments().seatsTaken == 2)

        #expect(try due(at: Self.deadline) == (0, 1))
        let after = try enrollments()
        #expect(after.states[silent] == "expired" && after.states[answering] == "tentative")
        #expect(after.states[waiting] == "invited", "the freed seat went to the waiting list")
        #expect(after.seatsTaken == 2)
        let lines = try outboxLines()
        #expect(lines.suffix(2) == ["expiry pending \(silent)", "invitation pending \(waiting)"], "\(lines)")
        let expiry = try #require(try outbox().first { $0.kind == "expiry" })
        let notice = try run(["outbox", "show", expiry.id], at: Self.deadline).stdout
        #expect(notice.contains("niet op tijd laten weten") && notice.contains("naar iemand anders gegaan") && notice.contains("contact met ons op"))
        let cancel = try calendarText(of: expiry.id, at: Self.deadline)
        #expect(cancel.contains("METHOD:CANCEL") && cancel.contains("STATUS:CANCELLED") && cancel.contains("niet op tijd laten weten"))

        #expect(try due(at: Self.deadline) == (0, 0), "an expired invitation expires once")
        try run(["outbox", "send"], at: Self.deadline)
        // Invited later than a day before the deadline: this invitation has none and never expires.
        #expect(try sql("SELECT CASE WHEN answer_by IS NULL THEN 'none' END FROM enrollment e JOIN worker w ON w.id = e.worker_id WHERE w.email = '\(waiting)'") == "none")
        #expect(try due(at: "2027-02-02T18:00:00+01:00") == (0, 0))
        #expect(try enrollments().states[waiting] == "invited")
    }

    @Test func aHeldInvitationNeverExpiresAndGetsNoDeadlineWhenReleasedTooLate() throws {
        try placeEveryone(capacity: 20, hold: true)
        #expect(try due(at: Self.afterDeadline) == (0, 0))
        #expect(Set(try enrollments().states.values) == ["invited"])
        #expect(try outboxLines().allSatisfy { $0.hasPrefix("invitation held") })
        try run(["outbox", "release"], at: Self.afterDeadline)
        try run(["outbox", "send"], at: Self.afterDeadline)
        #expect(try sql("SELECT COUNT(*) FROM enrollment WHERE invitation_sent_at IS NOT NULL AND answer_by IS NULL") == "3")
        #expect(try due(at: "2027-02-02T18:00:00+01:00") == (0, 0))
    }

    @Test func aHeldInvitationReleasedInTimeCountsItsDeadlineFromItsDelivery() throws {
        try placeEveryone(capacity: 20, hold: true)
        #expect(try due(at: Self.afterDeadline) == (0, 0), "held: nothing is due")
        try run(["outbox", "release"], at: "2027-01-20T09:00:00+01:00")
        try run(["outbox", "send"], at: "2027-01-20T09:00:00+01:00")
        #expect(try sql("SELECT DISTINCT answer_by FROM enrollment") == Self.storedDeadline)
        #expect(try due(at: Self.deadline) == (0, 3))
    }

    /// SQLite's migration history: PostgreSQL starts from a baseline that has these columns.
    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's migration 012"))
    func anInvitationSentBeforeTheUpgradeNeverExpires() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt)
        // Back to the schema before migration 012, as a database of the previous release was.
        try DatabaseShell.execute(
            """
            DROP INDEX enrollment_answer_by;
            ALTER TABLE enrollment DROP COLUMN invitation_sent_at;
            ALTER TABLE enrollment DROP COLUMN answer_by;
            ALTER TABLE enrollment DROP COLUMN nudged_at;
            DELETE FROM grdb_migrations WHERE identifier = '012_answer_deadline';
            """, in: cli.database)
        #expect(try due(at: Self.nudgeTime) == (0, 0))
        #expect(try due(at: Self.afterDeadline) == (0, 0))
        #expect(Set(try enrollments().states.values) == ["invited"])
        #expect(try sql("SELECT COUNT(*) FROM enrollment WHERE invitation_sent_at IS NOT NULL AND answer_by IS NULL") == "3")
        #expect(try outboxLines().allSatisfy { $0.hasPrefix("invitation sent") })
    }

    @Test func noneTurnsTheDeadlineOff() throws {
        let off = ["OVERSTAP_RSVP_DEADLINE": "none"]
        try placeEveryone(capacity: 20)
        let invitation = try #require(try outbox().first)
        #expect(!(try run(["outbox", "show", invitation.id], at: Self.invitedAt, env: off).stdout.contains("uiterlijk")))
        try run(["outbox", "send"], at: Self.invitedAt, env: off)
        #expect(try due(at: Self.nudgeTime, env: off) == (0, 0))
        #expect(try due(at: Self.afterDeadline, env: off) == (0, 0))
        #expect(Set(try enrollments().states.values) == ["invited"])
    }

    @Test func noneTurnsTheNudgeOffButTheDeadlineStillHolds() throws {
        let off = ["OVERSTAP_RSVP_NUDGE": "none"]
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt, env: off)
        #expect(try due(at: Self.nudgeTime, env: off) == (0, 0))
        #expect(try due(at: Self.deadline, env: off) == (0, 3))
        #expect(try outbox().filter { $0.kind == "nudge" }.isEmpty)
        #expect(try outbox().filter { $0.kind == "expiry" }.count == 3)
        #expect(try enrollments().seatsTaken == 0)
    }

    @Test func aSettingThatIsNoDurationIsRefusedWithItsKeyAndTheWayOut() throws {
        for key in ["OVERSTAP_RSVP_DEADLINE", "OVERSTAP_RSVP_NUDGE"] {
            let result = try cli.run(["due"], env: [key: "2 days"])
            expectRefused(result, mentioning: ["rsvp.", "'2 days' is not a positive ISO 8601 duration", "none"])
        }
        let config = try cli.run(["config", "check"])
        expectSuccess(config)
        #expect(config.stdout.contains("rsvp.deadline") && config.stdout.contains("P2D") && config.stdout.contains("rsvp.nudge"), "\(config)")
    }

    @Test func outboxSendRunsWhatIsDueFirst() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt)
        let sent = try run(["outbox", "send"], at: Self.nudgeTime)
        #expect(sent.stdout.contains("nudged 3, expired 0") && sent.stdout.contains("sent 3"), "\(sent)")
        #expect(try outbox().filter { $0.kind == "nudge" && $0.state == "sent" }.count == 3)
    }

    @Test func aDeadlineOnceAnnouncedStaysWhenTheSessionMovesUnlessItNowStartsBeforeIt() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt)
        try run(["session", "update", "1", "--start", "2027-02-09 19:00"], at: "2027-01-12T09:00:00+01:00")
        let later = try #require(try outbox().last { $0.kind == "update" })
        let text = try run(["outbox", "show", later.id], at: "2027-01-12T09:00:00+01:00").stdout
        #expect(text.contains("uiterlijk zondag 31 januari 2027 om 19:00"), "the update repeats the deadline it announced: \(text)")
        try run(["outbox", "send"], at: "2027-01-12T09:00:00+01:00")

        try run(["session", "update", "1", "--start", "2027-01-31 10:00"], at: "2027-01-13T09:00:00+01:00")
        let earlier = try #require(try outbox().last { $0.kind == "update" })
        let moved = try run(["outbox", "show", earlier.id], at: "2027-01-13T09:00:00+01:00").stdout
        #expect(!moved.contains("uiterlijk"), "no deadline after the session starts: \(moved)")
        #expect(try due(at: Self.deadline) == (0, 0), "a session that has started expires nobody")
    }

    @Test func anInvitationSentLessThanADayBeforeTheNudgeTimeGetsNoNudgeButKeepsItsDeadline() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: "2027-01-30T10:00:00+01:00")
        #expect(try sql("SELECT DISTINCT answer_by FROM enrollment") == Self.storedDeadline)
        #expect(try due(at: Self.nudgeTime) == (0, 0), "a nudge nine hours after the invitation would only nag")
        #expect(try due(at: Self.deadline) == (0, 3))
    }

    @Test func aPersonPlacedAgainStartsANewRoundWithItsOwnDeadlineAndNudge() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt)
        #expect(try due(at: Self.nudgeTime) == (3, 0))
        let decline = try calendarReply(from: Self.anouk, "DECLINED", sequence: 0, messageID: "no")
        expectSuccess(try cli.run(["reply", "ingest"], env: ["OVERSTAP_NOW": Self.nudgeTime], stdin: decline))
        try run(["enroll", "add", Self.anouk, "1"], at: Self.nudgeTime)
        #expect(try enrollments().states[Self.anouk] == "invited")
        let anouk = "FROM enrollment e JOIN worker w ON w.id = e.worker_id WHERE w.email = '\(Self.anouk)'"
        #expect(try sql("SELECT CASE WHEN nudged_at IS NULL THEN '-' END || ' ' || CASE WHEN answer_by IS NULL THEN '-' END \(anouk)") == "- -", "nothing of the first round")
        try run(["outbox", "send"], at: Self.nudgeTime)
        #expect(try sql("SELECT answer_by \(anouk)") == Self.storedDeadline, "invited a day before the deadline: it counts")
        #expect(try due(at: Self.deadline) == (0, 3))
    }

    @Test func anAnswerAfterTheNudgeWasQueuedKeepsItFromLeaving() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt)
        #expect(try due(at: Self.nudgeTime) == (3, 0))
        let accept = try calendarReply(from: Self.bram, "ACCEPTED", sequence: 0, messageID: "yes")
        expectSuccess(try cli.run(["reply", "ingest"], env: ["OVERSTAP_NOW": Self.nudgeTime], stdin: accept))
        let nudges = try outbox().filter { $0.kind == "nudge" }
        #expect(nudges.filter { $0.state == "superseded" }.map(\.to) == [Self.bram])
        let sent = try run(["outbox", "send"], at: Self.nudgeTime)
        #expect(sent.stdout.contains("sent 2"), "\(sent)")
        #expect(try due(at: Self.deadline) == (0, 2), "the one who accepted keeps the seat")
        #expect(try enrollments().seatsTaken == 1)
    }

    // MARK: - Late answers

    @Test func aLateCalendarAnswerTakesAFreeSeatElseThePersonIsTold() throws {
        try placeEveryone(capacity: 2)
        try run(["outbox", "send"], at: Self.invitedAt)
        let invited = try placed()
        let waiting = try #require([Self.anouk, Self.bram, Self.piet].first { !invited.contains($0) })
        #expect(try due(at: Self.deadline) == (0, 2))
        #expect(try enrollments().states[waiting] == "invited", "one freed seat went to the waiting list, one stays free")
        #expect(try enrollments().seatsTaken == 1)
        try run(["outbox", "send"], at: Self.deadline)

        let env = ["OVERSTAP_NOW": Self.afterDeadline]
        // They answer the invitation they held (SEQUENCE 0), below the CANCEL the expiry sent.
        let first = try cli.run(["reply", "ingest"], env: env, stdin: try calendarReply(from: invited[0], "ACCEPTED", sequence: 0, messageID: "late-1"))
        #expect(first.status == 0, "\(first)")
        #expect(try enrollments().states[invited[0]] == "accepted")
        #expect(try enrollments().seatsTaken == 2)
        #expect(try outboxLines().last == "invitation pending \(invited[0])", "a new invitation brings the entry back")

        let second = try cli.run(["reply", "ingest"], env: env, stdin: try calendarReply(from: invited[1], "ACCEPTED", sequence: 0, messageID: "late-2"))
        #expect(second.status == 0, "\(second)")
        #expect(try enrollments().states[invited[1]] == "expired")
        #expect(try outboxLines().last == "seat_taken pending \(invited[1])")
        let replies = try cli.run(["reply", "list", "--json"])
        let outcomes = (try replies.json() as? [[String: Any]] ?? []).map { $0["outcome"] as? String ?? "" }
        #expect(outcomes == ["applied", "refused_full"], "\(replies)")
        #expect(try enrollments().seatsTaken == 2)
    }

    @Test func aLateClickTakesAFreeSeatElseThePageSaysSoKindly() throws {
        try placeEveryone(capacity: 2)
        try run(["outbox", "send"], at: Self.invitedAt)
        let invited = try placed()
        let waiting = try #require([Self.anouk, Self.bram, Self.piet].first { !invited.contains($0) })
        let port = try ServeCommandTests.freePort()
        let base = "http://127.0.0.1:\(port)"
        let env = ["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": base, "OVERSTAP_NOW": Self.afterDeadline]
        // The invitations were sent with links to this base: re-render them through outbox show.
        let links = try outbox().filter { $0.kind == "invitation" }.map { message -> String in
            let text = try run(["outbox", "show", message.id], at: Self.invitedAt, env: env).stdout
            let line = try #require(text.components(separatedBy: "\n").first { $0.contains("?answer=accept") })
            return String(try #require(line.components(separatedBy: " ").last { $0.hasPrefix("http") }).dropLast("?answer=accept".count))
        }
        #expect(links.count == 2)

        // The daemon runs what is due on its own: both invitations expire, the waiting person is invited.
        let daemon = try cli.launch(["serve"], env: env, outputFile: "serve.log")
        defer { if daemon.isRunning { daemon.terminate() } }
        let expired = try ServeCommandTests.waitUntil(seconds: 30) {
            let states = try enrollments().states
            return invited.allSatisfy { states[$0] == "expired" } && states[waiting] == "invited"
        }
        #expect(expired, "the daemon expires invitations at their deadline")
        let page = try ServeCommandTests.get(links[0])
        #expect(page.status == 200 && page.body.contains("niet op tijd laten weten") && page.body.contains("nog een plaats vrij"), "\(page.body)")

        let taken = try CLI.shell("curl", ["-s", "-i", "-L", "--max-time", "5", "-d", "answer=accept", links[0]])
        #expect(taken.hasPrefix("HTTP/1.1 303") && taken.contains("Wij rekenen op u"), "\(taken)")
        #expect(try enrollments().states[invited[0]] == "accepted")
        let full = try CLI.shell("curl", ["-s", "-i", "--max-time", "5", "-d", "answer=accept", links[1]])
        #expect(full.hasPrefix("HTTP/1.1 409") && full.contains("geen plaats vrij") && full.contains("contact met ons op"), "\(full)")
        #expect(try enrollments().states[invited[1]] == "expired")
        #expect(try enrollments().seatsTaken == 2)
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        let messages = try outbox()
        #expect(messages.filter { $0.to == invited[0] }.map(\.kind) == ["invitation", "expiry", "invitation"], "\(messages)")
        #expect(messages.filter { $0.to == invited[1] }.map(\.kind) == ["invitation", "expiry"], "\(messages)")
    }

    // MARK: - Overlapping runs

    @Test func overlappingRunsDoEachThingExactlyOnce() throws {
        try placeEveryone(capacity: 20)
        try run(["outbox", "send"], at: Self.invitedAt)
        for now in [Self.nudgeTime, Self.deadline] {
            let runs = try (0..<4).map { index in
                try cli.launch(["due", "--json"], env: ["OVERSTAP_NOW": now], outputFile: "due-\(index).json")
            }
            for process in runs { process.waitUntilExit() }
            #expect(runs.allSatisfy { $0.terminationStatus == 0 })
            let reports = try (0..<4).map { index in
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.directory.file("due-\(index).json")))) as? [String: Any] ?? [:]
            }
            let key = now == Self.nudgeTime ? "nudged" : "expired"
            #expect(reports.map { $0[key] as? Int ?? 0 }.reduce(0, +) == 3, "\(reports)")
        }
        let messages = try outbox()
        #expect(messages.filter { $0.kind == "nudge" }.count == 3)
        #expect(messages.filter { $0.kind == "expiry" }.count == 3)
        for person in [Self.anouk, Self.bram, Self.piet] {
            #expect(messages.filter { $0.to == person }.map(\.kind) == ["invitation", "nudge", "expiry"])
        }
    }
}
