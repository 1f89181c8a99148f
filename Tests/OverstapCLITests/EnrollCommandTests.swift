import Foundation
import OverstapTestSupport
import Testing

/// One calendar message in the outbox, as `outbox list --json` shows it (reminders left out).
struct QueuedMail: Equatable, CustomStringConvertible {
    var kind: String
    var recipient: String
    var session: Int
    var state: String

    init(_ kind: String, _ recipient: String, _ session: Int, _ state: String) {
        self.kind = kind
        self.recipient = recipient
        self.session = session
        self.state = state
    }

    var description: String { "\(kind) to \(recipient) for \(session): \(state)" }
}

extension CLI {
    /// Every calendar message (not reminders) in the outbox, oldest first.
    func calendarMail() throws -> [QueuedMail] {
        let result = try run(["outbox", "list", "--json"])
        expectSuccess(result)
        let rows = try #require(try result.json() as? [[String: Any]])
        return rows.filter { $0["kind"] as? String != "reminder" }.map {
            QueuedMail($0["kind"] as? String ?? "", $0["recipient"] as? String ?? "", $0["session"] as? Int ?? 0, $0["state"] as? String ?? "")
        }
    }

    /// Seats taken in each session, in the order given.
    func seats(_ ids: String...) throws -> [Int] {
        try ids.map { try showSession($0).session["seats_taken"] as? Int ?? -1 }
    }

    /// `enroll list --json` with extra arguments.
    func enrollments(_ extra: [String] = []) throws -> [[String: Any]] {
        let result = try run(["enroll", "list", "--json"] + extra)
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }

    /// METHOD and SEQUENCE of every calendar message sent to `email` for `session`, in the order
    /// sent, read from the `.eml` files the file transport wrote.
    func sentCalendar(to email: String, session: Int) throws -> [String] {
        let result = try run(["outbox", "list", "--json", "--state", "sent"])
        expectSuccess(result)
        let rows = try #require(try result.json() as? [[String: Any]])
        return try rows.filter { $0["recipient"] as? String == email && $0["session"] as? Int == session && $0["kind"] as? String != "reminder" }
            .map { row in
                let file = directory.file("data/mail/\(row["message_id"] as? String ?? "").eml")
                let structure = try #require(try PythonMIMEParser.parse(file: file)["structure"] as? [String: Any])
                func calendar(_ part: [String: Any]) -> String? {
                    if part["type"] as? String == "text/calendar" { return part["content"] as? String }
                    return (part["parts"] as? [[String: Any]] ?? []).lazy.compactMap(calendar).first
                }
                let lines = try #require(calendar(structure)).components(separatedBy: .newlines)
                let method = lines.first { $0.hasPrefix("METHOD:") }?.dropFirst(7) ?? "?"
                let sequence = lines.first { $0.hasPrefix("SEQUENCE:") }?.dropFirst(9) ?? "?"
                return "\(method) \(sequence)"
            }
    }

    /// The state of one person's enrollment in one session, or nil.
    func state(of email: String, in session: String) throws -> String? {
        try enrollments(["--session", session]).first { $0["worker"] as? String == email }?["state"] as? String
    }
}

/// `enroll add`, `remove`, `move` and `list` end to end, with the outbox and the seats checked after every step.
struct EnrollCommandTests {
    let cli = CLI()
    let send = ["OVERSTAP_RSVP_SECRET": String(repeating: "s", count: 40)]

    /// Two sessions a week apart (Tuesdays 19:00–20:30), two seats each, and five workers free on Tuesday evenings.
    init() throws {
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--capacity", "2"))
        _ = try cli.createSession(SessionDraft().with("--capacity", "2").with("--start", "2027-02-09 19:00").with("--title", "Tweede avond"))
        let rows = ["ann", "bob", "cas", "dik", "eva"].map { WorkerFile.row("\($0)@example.nl", name: $0.capitalized) }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", ([WorkerFile.header] + rows).joined(separator: "\n"))]))
    }

    @Test func placingBeforeInvitationsStartedSelectsAndAfterwardsInvitesAtOnce() throws {
        let first = try cli.run(["enroll", "add", "ann@example.nl", "1"])
        expectSuccess(first)
        #expect(first.stdout.contains("placed ann@example.nl in session 1 'Van keuken naar zorg', roster row 1: selected"))
        #expect(first.stdout.contains("overstap invite --session 1"))
        #expect(try cli.calendarMail() == [])
        #expect(try cli.seats("1", "2") == [1, 0])

        expectSuccess(try cli.run(["invite", "--session", "1"]))
        #expect(try cli.calendarMail() == [QueuedMail("invitation", "ann@example.nl", 1, "pending")])

        let second = try cli.run(["enroll", "add", "BOB@example.nl", "1"])
        expectSuccess(second)
        #expect(second.stdout.contains("roster row 2: invited"))
        #expect(second.stdout.contains("1 message queued"))
        #expect(try cli.calendarMail() == [
            QueuedMail("invitation", "ann@example.nl", 1, "pending"), QueuedMail("invitation", "bob@example.nl", 1, "pending"),
        ])
        #expect(try cli.seats("1", "2") == [2, 0])
    }

    @Test func aFullSessionIsRefusedUnlessOverCapacity() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["enroll", "add", "bob@example.nl", "1"]))
        let refused = try cli.run(["enroll", "add", "cas@example.nl", "1"])
        expectRefused(refused, mentioning: ["SESSION 1", "is full (2 of 2 seats taken)", "--over-capacity"])
        #expect(try cli.seats("1") == [2])
        #expect(try cli.state(of: "cas@example.nl", in: "1") == nil)

        let over = try cli.run(["enroll", "add", "cas@example.nl", "1", "--over-capacity"])
        expectSuccess(over)
        #expect(over.stdout.contains("over capacity"))
        #expect(try cli.seats("1") == [3])
    }

    @Test func aPersonTheRulesExcludeIsRefusedWithTheRuleAndItsDetailUnlessOverridden() throws {
        expectSuccess(try cli.run([
            "worker", "add", "--email", "wim@example.nl", "--name", "Wim", "--sector", "horeca", "--targets", "zorg",
            "--region", "midden-utrecht", "--languages", "nl", "--availability", "wo 18:00-21:00", "--available-until", "2027-01-31",
            "--status", "unemployed",
        ]))
        let refused = try cli.run(["enroll", "add", "wim@example.nl", "1"])
        expectRefused(refused, mentioning: [
            "the rule date_range excludes wim@example.nl: the last meeting ends on 2027-02-02, after the worker's available_until 2027-01-31",
            "the rule availability excludes wim@example.nl: the meeting of di 2027-02-02 19:00-20:30 is outside the worker's weekly windows (wo 18:00-21:00)",
            "--override \"REASON\"",
        ])
        #expect(try cli.seats("1") == [0])

        let placed = try cli.run(["enroll", "add", "wim@example.nl", "1", "--override", "UWV consultant vouches for Tuesday"])
        expectSuccess(placed)
        #expect(placed.stdout.contains("overrode availability: the meeting of di 2027-02-02 19:00-20:30"))
        let listed = try #require(try cli.enrollments(["--worker", "wim@example.nl"]).first)
        #expect(listed["override_reason"] as? String == "UWV consultant vouches for Tuesday")
        #expect(listed["roster_number"] as? Int == 1)
        #expect(listed["timezone"] as? String == "Europe/Amsterdam")
        let table = try cli.run(["enroll", "list", "--session", "1"])
        expectSuccess(table)
        #expect(table.stdout.contains("override: UWV consultant vouches for Tuesday"))
    }

    @Test func anOverlappingSessionIsNamed() throws {
        _ = try cli.createSession(SessionDraft().with("--start", "2027-02-02 19:30").with("--title", "Zelfde avond"))
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectRefused(try cli.run(["enroll", "add", "ann@example.nl", "3"]), mentioning: [
            "the rule overlap excludes ann@example.nl: overlaps session 1 'Van keuken naar zorg' at di 2027-02-02 19:00-20:30, where the worker is selected",
        ])
    }

    @Test func removingCancelsWhatWasSentDropsWhatWaitedAndGivesTheSeatToTheWaitingList() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["enroll", "add", "bob@example.nl", "1"]))
        expectSuccess(try cli.run(["invite", "--session", "1"]))
        #expect(try cli.seats("1") == [2])

        // Bob's invitation has not left: it is superseded and nothing is sent to him.
        let unsent = try cli.run(["enroll", "remove", "bob@example.nl", "1", "--reason", "found a job"])
        expectSuccess(unsent)
        #expect(unsent.stdout.contains("(was invited)"))
        #expect(unsent.stdout.contains("no message queued"))
        #expect(try cli.calendarMail() == [
            QueuedMail("invitation", "ann@example.nl", 1, "pending"), QueuedMail("invitation", "bob@example.nl", 1, "superseded"),
        ])
        #expect(try cli.seats("1") == [1])
        #expect(try cli.enrollments(["--worker", "bob@example.nl"]).first?["removal_reason"] as? String == "found a job")
        let reminders = try #require(try cli.run(["outbox", "list", "--json"]).json() as? [[String: Any]])
            .filter { $0["kind"] as? String == "reminder" }
        #expect(!reminders.isEmpty && reminders.allSatisfy { ($0["recipient"] as? String == "bob@example.nl") == ($0["state"] as? String == "superseded") },
            "Bob's reminders are withdrawn, Ann's stay")

        // The next send offers the freed seat to the waiting list first (cas, dik, eva wait; one is chosen).
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        let afterSend = try cli.calendarMail()
        #expect(afterSend.prefix(2) == [
            QueuedMail("invitation", "ann@example.nl", 1, "sent"), QueuedMail("invitation", "bob@example.nl", 1, "superseded"),
        ])
        #expect(afterSend.count == 3 && afterSend[2].kind == "invitation" && afterSend[2].state == "sent")
        #expect(["cas@example.nl", "dik@example.nl", "eva@example.nl"].contains(afterSend[2].recipient))
        #expect(try cli.seats("1") == [2])

        // Ann's invitation has left: she gets a cancellation.
        let sent = try cli.run(["enroll", "remove", "ann@example.nl", "1"])
        expectSuccess(sent)
        #expect(sent.stdout.contains("1 message queued"))
        #expect(try cli.calendarMail().last == QueuedMail("cancellation", "ann@example.nl", 1, "pending"))
        #expect(try cli.seats("1") == [1])

        expectRefused(try cli.run(["enroll", "remove", "ann@example.nl", "1"]), mentioning: ["SESSION 1", "is cancelled in 'Van keuken naar zorg' already"])
        expectRefused(try cli.run(["enroll", "remove", "eva@example.nl", "2"]), mentioning: ["is not enrolled in 'Tweede avond'"])
    }

    @Test func someoneTakenOutOrWhoDeclinedCanBePlacedAgainAndGetsANewInvitation() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["invite", "--session", "1"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        expectSuccess(try cli.run(["enroll", "remove", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        #expect(try cli.seats("1") == [2], "the waiting list took the free seats")
        expectRefused(try cli.run(["enroll", "add", "ann@example.nl", "1"]), mentioning: ["is full (2 of 2 seats taken)"])

        let again = try cli.run(["enroll", "add", "ann@example.nl", "1", "--over-capacity"])
        expectSuccess(again)
        #expect(again.stdout.contains("roster row 1: invited"), "the roster row is kept")
        #expect(try cli.calendarMail().filter { $0.recipient == "ann@example.nl" } == [
            QueuedMail("invitation", "ann@example.nl", 1, "sent"), QueuedMail("cancellation", "ann@example.nl", 1, "sent"),
            QueuedMail("invitation", "ann@example.nl", 1, "pending"),
        ])
        #expect(try cli.seats("1") == [3])
        expectRefused(try cli.run(["enroll", "add", "ann@example.nl", "1"]), mentioning: ["ann@example.nl is invited in 'Van keuken naar zorg' already"])
    }

    @Test func movingSendsOneCancellationAndOneInvitationOrNothingWhenRefused() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["enroll", "add", "bob@example.nl", "2"]))
        expectSuccess(try cli.run(["enroll", "add", "cas@example.nl", "2"]))
        expectSuccess(try cli.run(["invite"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        let before = try cli.calendarMail()
        #expect(before.allSatisfy { $0.kind == "invitation" && $0.state == "sent" } && before.count == 3)
        #expect(try cli.seats("1", "2") == [1, 2])

        let refused = try cli.run(["enroll", "move", "ann@example.nl", "1", "2"])
        expectRefused(refused, mentioning: ["TO 2", "is full (2 of 2 seats taken)"])
        #expect(try cli.calendarMail() == before, "a refused move queues nothing")
        #expect(try cli.seats("1", "2") == [1, 2])
        #expect(try cli.state(of: "ann@example.nl", in: "1") == "invited")

        let moved = try cli.run(["enroll", "move", "bob@example.nl", "2", "1"])
        expectSuccess(moved)
        #expect(moved.stdout.contains("moved bob@example.nl from session 2 'Tweede avond' (was invited)"))
        #expect(try cli.calendarMail() == before + [
            QueuedMail("cancellation", "bob@example.nl", 2, "pending"), QueuedMail("invitation", "bob@example.nl", 1, "pending"),
        ])
        #expect(try cli.seats("1", "2") == [2, 1])
        #expect(try cli.state(of: "bob@example.nl", in: "2") == "cancelled")
        #expect(try cli.state(of: "bob@example.nl", in: "1") == "invited")
        expectRefused(try cli.run(["enroll", "move", "bob@example.nl", "1", "1"]), mentioning: ["TO", "is the session they are in already"])
    }

    @Test func aCalendarThatSawTheCancellationTakesThePlacementAfterIt() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["invite"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        expectSuccess(try cli.run(["enroll", "remove", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1", "--over-capacity"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        #expect(try cli.sentCalendar(to: "ann@example.nl", session: 1) == ["REQUEST 0", "CANCEL 1", "REQUEST 2"])

        expectSuccess(try cli.run(["enroll", "move", "ann@example.nl", "1", "2"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        expectSuccess(try cli.run(["enroll", "move", "ann@example.nl", "2", "1", "--over-capacity"]))
        expectSuccess(try cli.run(["outbox", "send"], env: send))
        #expect(try cli.sentCalendar(to: "ann@example.nl", session: 1) == ["REQUEST 0", "CANCEL 1", "REQUEST 2", "CANCEL 3", "REQUEST 4"])
        #expect(try cli.sentCalendar(to: "ann@example.nl", session: 2) == ["REQUEST 0", "CANCEL 1"], "a move takes the invitation along")
    }

    @Test func theListFiltersBySessionWorkerAndState() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["enroll", "add", "bob@example.nl", "1"]))
        expectRefused(try cli.run(["enroll", "add", "bob@example.nl", "2"]), mentioning: [
            "the rule max_sessions excludes bob@example.nl: the worker has 1 upcoming sessions (1); the limit is 1 (matching.max_sessions_per_worker)",
        ])
        expectSuccess(try cli.run(["enroll", "add", "bob@example.nl", "2", "--override", "second course"]))
        expectSuccess(try cli.run(["enroll", "remove", "ann@example.nl", "1"]))
        #expect(try cli.enrollments().count == 3)
        #expect(try cli.enrollments(["--session", "1"]).compactMap { $0["roster_number"] as? Int } == [1, 2])
        #expect(try cli.enrollments(["--worker", "bob@example.nl"]).compactMap { $0["session"] as? String } == ["1", "2"])
        #expect(try cli.enrollments(["--state", "cancelled"]).compactMap { $0["worker"] as? String } == ["ann@example.nl"])
        let all = try cli.run(["enroll", "list", "--json"])
        #expect(allKeysAreSnakeCase(try all.json()))
        expectRefused(try cli.run(["enroll", "list", "--state", "gone"]), status: 2, mentioning: ["--state: 'gone' is not a state"])
        expectRefused(try cli.run(["enroll", "list", "--session", "1", "--worker", "ann@example.nl"]), status: 2, mentioning: ["not both"])
        expectRefused(try cli.run(["enroll", "add", "nobody@example.nl", "1"]), mentioning: ["no worker 'nobody@example.nl'"])
        expectRefused(try cli.run(["enroll", "add", "ann@example.nl", "9"]), mentioning: ["no session '9'; give another SESSION"])
    }

    @Test func aRosterRowIsNeverGivenTwiceEvenAfterAnErasure() throws {
        expectSuccess(try cli.run(["enroll", "add", "ann@example.nl", "1"]))
        expectSuccess(try cli.run(["enroll", "add", "bob@example.nl", "1"]))
        expectSuccess(try cli.run(["worker", "remove", "bob@example.nl"], env: send))
        let next = try cli.run(["enroll", "add", "cas@example.nl", "1", "--over-capacity"])
        expectSuccess(next)
        #expect(next.stdout.contains("roster row"))
        #expect(!next.stdout.contains("roster row 2"), "Bob's row is not given again")
        let rows = try cli.enrollments(["--session", "1"]).compactMap { $0["roster_number"] as? Int }
        #expect(rows.first == 1 && !rows.contains(2) && rows == rows.sorted() && Set(rows).count == rows.count)
    }
}
