import Foundation
import OverstapTestSupport
import Testing

/// `session attendance`: per meeting, by address or roster row or from the trainer's list, and
/// the outcome after the last meeting.
struct SessionAttendanceTests {
    let cli = CLI()

    /// A single evening (session 1, 2 February) and a weekly series of three (session 2, from 9
    /// February), each with ann, bob, cas and dik invited in that order (roster rows 1–4).
    init() throws {
        try cli.addPartner()
        _ = try cli.createSession()
        _ = try cli.createSession(SessionDraft().with("--start", "2027-02-09 19:00").with("--repeat", "FREQ=WEEKLY;COUNT=3").with("--title", "Reeks"))
        let people = ["ann", "bob", "cas", "dik"]
        let rows = people.map { WorkerFile.row("\($0)@example.nl", name: $0.capitalized) } + [WorkerFile.row("eva@example.nl", name: "Eva")]
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", ([WorkerFile.header] + rows).joined(separator: "\n"))]))
        for person in people {
            expectSuccess(try cli.run(["enroll", "add", "\(person)@example.nl", "1"]))
            // A second course is beyond matching's limit of upcoming sessions per person (1 here).
            expectSuccess(try cli.run(["enroll", "add", "\(person)@example.nl", "2", "--override", "tweede cursus"]))
        }
        expectSuccess(try cli.run(["invite"]))
    }

    func attendance(_ arguments: [String], at now: String) throws -> CLI.Result {
        try cli.run(["session", "attendance"] + arguments, env: ["OVERSTAP_NOW": now])
    }

    func states(_ session: String) throws -> [String] {
        try cli.enrollments(["--session", session]).compactMap { $0["state"] as? String }
    }

    @Test func aSingleMeetingIsRecordedOnceItHasStartedAndDecidesTheOutcome() throws {
        expectRefused(try attendance(["1", "--attended", "ann@example.nl"], at: "2027-02-02T18:30:00+01:00"), mentioning: [
            "ID 1: the meeting of 2027-02-02 19:00 has not started yet (it is 2027-02-02 18:30 now)",
        ])
        let recorded = try attendance(["1", "--attended", "ANN@example.nl,3", "--no-show", "2", "--excused", "dik@example.nl"], at: "2027-02-02T21:00:00+01:00")
        expectSuccess(recorded)
        #expect(recorded.stdout.contains("session 1, meeting of 2027-02-02 19:00: 2 attended, 1 no-show, 1 excused"))
        #expect(recorded.stdout.contains("  ann@example.nl: attended\n  bob@example.nl: no_show\n  cas@example.nl: attended\n"))
        #expect(try states("1") == ["attended", "no_show", "attended", "invited"], "everyone excused: no decision")
        #expect(try cli.seats("1") == [4])
    }

    @Test func aWalkInAnUnknownRowAndADoubleMarkAreRefusedTogetherAndNothingIsRecorded() throws {
        let refused = try attendance(
            ["1", "--attended", "eva@example.nl", "--attended", "7", "--no-show", "1", "--excused", "ann@example.nl"], at: "2027-02-02T21:00:00+01:00")
        expectRefused(refused, mentioning: [
            "--attended: eva@example.nl: is not enrolled in session 1 (a walk-in?); place them first with: overstap enroll add eva@example.nl 1",
            "--attended: row 7: is not on the roster of session 1",
            "--excused: ann@example.nl: ann@example.nl is marked already at --no-show: row 1",
        ])
        #expect(try states("1") == ["invited", "invited", "invited", "invited"])
        expectRefused(try attendance(["1", "--attended", "zero"], at: "2027-02-02T21:00:00+01:00"), mentioning: [
            "--attended: 'zero' is neither a roster row number nor an e-mail address",
        ])
        expectRefused(try attendance(["1"], at: "2027-02-02T21:00:00+01:00"), status: 2, mentioning: ["give --attended"])
    }

    @Test func aSeriesDecidesOnlyAfterItsLastMeetingByTheHalfRule() throws {
        expectRefused(try attendance(["2", "--attended", "1"], at: "2027-02-09T21:00:00+01:00"), mentioning: [
            "--meeting: session 2 has 3 meetings; say which one; give its original date: 2027-02-09, 2027-02-16, 2027-02-23",
        ])
        expectRefused(try attendance(["2", "--meeting", "2027-02-10", "--attended", "1"], at: "2027-02-09T21:00:00+01:00"), mentioning: [
            "--meeting 2027-02-10: session 2 has no meeting on that date",
        ])
        expectRefused(try attendance(["2", "--meeting", "2027-02-16", "--attended", "1"], at: "2027-02-09T21:00:00+01:00"), mentioning: ["has not started yet"])

        expectSuccess(try attendance(["2", "--meeting", "2027-02-09", "--attended", "1", "2", "--excused", "3,4"], at: "2027-02-09T21:00:00+01:00"))
        #expect(try states("2") == ["invited", "invited", "invited", "invited"], "the series goes on: reminders and updates still reach them")

        let bad = try cli.directory.write("bad.csv", "nr,aanwezig\n1,misschien\nx,ja\n")
        expectRefused(try attendance(["2", "--meeting", "2027-02-16", "--from", bad], at: "2027-02-16T21:00:00+01:00"), mentioning: [
            "\(bad):2: aanwezig: 'misschien' is not a mark", "\(bad):3: nr: 'x' is neither a roster row number nor an e-mail address",
        ])
        let list = try cli.directory.write("lijst.csv", "nr;naam;aanwezig\n1;Ann;ja\n2;Bob;nee\n3;Cas;JA\n4;Dik;afgemeld\n")
        let second = try attendance(["2", "--meeting", "2027-02-16", "--from", list], at: "2027-02-16T21:00:00+01:00")
        expectSuccess(second)
        #expect(second.stdout == "session 2, meeting of 2027-02-16 19:00: 2 attended, 1 no-show, 1 excused\n")
        let meetings = try #require(try cli.showSession("2").session["meetings"] as? [[String: Any]])
        #expect(meetings.map { $0["attendance"] as? [String: Int] } == [
            ["attended": 2, "no_show": 0, "excused": 2], ["attended": 2, "no_show": 1, "excused": 1], ["attended": 0, "no_show": 0, "excused": 0],
        ])

        let last = try attendance(
            ["2", "--meeting", "2027-02-23", "--attended", "ann@example.nl", "--no-show", "2", "3", "--excused", "dik@example.nl"],
            at: "2027-02-23T21:00:00+01:00")
        expectSuccess(last)
        // ann 3 of 3; bob 1 of 3; cas 1 of 2 (one excused): half is enough; dik excused every time: no decision.
        #expect(try states("2") == ["attended", "no_show", "attended", "invited"])

        let corrected = try attendance(["2", "--meeting", "2027-02-23", "--attended", "2"], at: "2027-02-24T10:00:00+01:00")
        expectSuccess(corrected)
        #expect(corrected.stdout.contains("bob@example.nl: attended"))
        #expect(try states("2") == ["attended", "attended", "attended", "invited"])
    }

    @Test func aFileWithoutHeaderByAddressIsReadAndAnEmptyOneIsRefused() throws {
        let list = try cli.directory.write("list.csv", "ann@example.nl,yes\nbob@example.nl,0\n")
        expectSuccess(try attendance(["1", "--from", list], at: "2027-02-02T21:00:00+01:00"))
        #expect(try states("1") == ["attended", "no_show", "no_show", "no_show"], "unlisted people count as absent")
        let empty = try cli.directory.write("empty.csv", "")
        expectRefused(try attendance(["1", "--from", empty], at: "2027-02-02T21:00:00+01:00"), mentioning: ["\(empty): the file is empty"])
        expectRefused(try attendance(["1", "--from", list, "--attended", "1"], at: "2027-02-02T21:00:00+01:00"), status: 2, mentioning: ["not both"])
    }

    @Test func aWalkInIsPlacedAfterTheSessionWithoutMailAndThenRecorded() throws {
        let after = "2027-02-02T21:00:00+01:00"
        let before = try cli.calendarMail()
        expectRefused(try attendance(["1", "--attended", "eva@example.nl"], at: after), mentioning: ["enroll add eva@example.nl 1"])
        expectRefused(try cli.run(["enroll", "add", "eva@example.nl", "1"], env: ["OVERSTAP_NOW": after]), mentioning: [
            "the rule session_closed excludes eva@example.nl: the first meeting started at 2027-02-02 19:00",
        ])
        let placed = try cli.run(["enroll", "add", "eva@example.nl", "1", "--override", "walk-in"], env: ["OVERSTAP_NOW": after])
        expectSuccess(placed)
        #expect(placed.stdout.contains("roster row 5: selected"))
        #expect(placed.stdout.contains("the session is over, so no invitation is sent"))
        #expect(try cli.calendarMail() == before, "no invitation for a meeting that is over")
        expectSuccess(try attendance(["1", "--attended", "5", "1", "2", "3", "4"], at: after))
        #expect(try states("1") == ["attended", "attended", "attended", "attended", "attended"])
        #expect(try cli.seats("1") == [5])
        expectRefused(try cli.run(["enroll", "remove", "ann@example.nl", "1"], env: ["OVERSTAP_NOW": after]), mentioning: [
            "SESSION 1: 'Van keuken naar zorg' is over; there is nothing to take ann@example.nl out of", "overstap session attendance 1",
        ])
    }

    @Test func aCancelledMeetingDoesNotCountAndAMovedOneIsNamedByItsOriginalDate() throws {
        expectSuccess(try cli.run(["session", "cancel", "2", "--meeting", "2027-02-16", "--reason", "docent ziek"]))
        expectSuccess(try cli.run(["session", "update", "2", "--meeting", "2027-02-23", "--start", "2027-02-22 19:00"]))
        expectRefused(try attendance(["2", "--meeting", "2027-02-16", "--attended", "1"], at: "2027-02-16T21:00:00+01:00"), mentioning: [
            "--meeting 2027-02-16: that meeting of session 2 was cancelled, so it has no attendance",
        ])
        expectSuccess(try attendance(["2", "--meeting", "2027-02-09", "--attended", "1", "--no-show", "2", "--excused", "3", "4"], at: "2027-02-09T21:00:00+01:00"))
        expectRefused(try attendance(["2", "--meeting", "2027-02-23", "--attended", "2"], at: "2027-02-22T18:00:00+01:00"), mentioning: [
            "the meeting of 2027-02-23 19:00 (moved to 2027-02-22 19:00) has not started yet (it is 2027-02-22 18:00 now)",
        ])
        let last = try attendance(["2", "--meeting", "2027-02-23", "--attended", "2", "--no-show", "1", "3", "--excused", "4"], at: "2027-02-22T21:00:00+01:00")
        expectSuccess(last)
        // Two meetings were held: ann and bob came to one each (half), cas to none that counted, dik was always excused.
        #expect(try states("2") == ["attended", "attended", "no_show", "invited"])
        let meetings = try #require(try cli.showSession("2").session["meetings"] as? [[String: Any]])
        #expect(meetings.map { $0["status"] as? String } == ["scheduled", "cancelled", "moved"])
        #expect(meetings.map { $0["attendance"] as? [String: Int] } == [
            ["attended": 1, "no_show": 1, "excused": 2], ["attended": 0, "no_show": 0, "excused": 0], ["attended": 1, "no_show": 2, "excused": 1],
        ])
    }
}
