import Foundation
import OverstapTestSupport
import Testing

/// One meeting of a series, end to end through the built binary: a weekly Thursday course over
/// the last Sunday of March 2027 (the clocks go forward on 28 March), one meeting cancelled and
/// one moved, checked message by message and against Python's icalendar and recurring-ical-events.
struct MeetingExceptionTests {
    let cli = CLI()
    let series: String
    /// Close to the move: the meeting of 25 March is less than 48 hours away.
    static let dayBefore = ["OVERSTAP_NOW": "2027-03-24T12:00:00+01:00"]

    init() throws {
        try cli.addPartner()
        series = try cli.createSession(
            SessionDraft().with("--start", "2027-03-11 19:00").with("--repeat", "FREQ=WEEKLY;COUNT=6").with("--kind", "training")
                .with("--capacity", "5"))
        let csv = """
            email,name,sector,targets,region,languages,availability,status
            anna@example.org,Anna de Vries,horeca,zorg,midden-utrecht,nl,do 18:00-22:00,unemployed
            bram@example.org,Bram Jansen,horeca,zorg,midden-utrecht,nl,do 18:00-22:00,unemployed

            """
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"]))
    }

    /// Every outbox row (all kinds) as (kind, state, recipient), in queue order.
    func outbox(env: [String: String] = [:]) throws -> [[String: Any]] {
        let result = try cli.run(["outbox", "list", "--json"], env: env)
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }

    func rows(_ kind: String, _ state: String, env: [String: String] = [:]) throws -> [String] {
        try outbox(env: env).filter { $0["kind"] as? String == kind && $0["state"] as? String == state }
            .compactMap { $0["recipient"] as? String }.sorted()
    }

    /// Sends what is due and returns the new mail files' calendar parts and subjects, by recipient.
    func send(env: [String: String] = [:], seen: inout Set<String>) throws -> [(to: String, subject: String, calendar: String?, text: String)] {
        let sent = try cli.run(["outbox", "send"], env: env)
        expectSuccess(sent)
        let folder = cli.directory.file("data/mail")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") && !seen.contains($0) }.sorted()
        seen.formUnion(files)
        return try files.map { file in
            let parsed = try PythonMIMEParser.parse(file: folder + "/" + file)
            let headers = try #require(parsed["headers"] as? [[String]])
            let subject = headers.first { $0.first == "Subject" }?.last ?? ""
            var calendar: String?
            var text = ""
            func walk(_ part: [String: Any]) {
                if part["type"] as? String == "text/calendar" { calendar = part["content"] as? String }
                if part["type"] as? String == "text/plain" { text = part["content"] as? String ?? "" }
                for child in part["parts"] as? [[String: Any]] ?? [] { walk(child) }
            }
            walk(try #require(parsed["structure"] as? [String: Any]))
            return (try #require(parsed["to_address"] as? String), subject, calendar, text)
        }.sorted { ($0.to, $0.subject) < ($1.to, $1.subject) }
    }

    @Test func aSeriesWithOneMeetingCancelledAndOneMovedOverTheDSTChange() throws {
        var seen = Set<String>()
        let everyone = ["anna@example.org", "bram@example.org"]

        // The invitation: six Thursdays, three before and three after the clocks go forward.
        let invitations = try send(seen: &seen)
        #expect(invitations.map(\.to) == everyone)
        let invitation = try PythonCalendarReader.read(try #require(invitations[0].calendar))
        #expect(invitation.method == "REQUEST")
        #expect(invitation.occurrences == [
            "2027-03-11T19:00+01:00", "2027-03-18T19:00+01:00", "2027-03-25T19:00+01:00",
            "2027-04-01T19:00+02:00", "2027-04-08T19:00+02:00", "2027-04-15T19:00+02:00",
        ])

        // Cancel the meeting of 8 April: a CANCEL of that meeting only, to each participant.
        let cancelled = try cli.run(["session", "cancel", series, "--meeting", "2027-04-08", "--reason", "De docent is ziek"])
        expectSuccess(cancelled)
        #expect(cancelled.stdout == "session \(series): meeting of 2027-04-08 cancelled (sequence 1)\n")
        #expect(try rows("meeting_cancellation", "pending") == everyone)
        #expect(try rows("partner_notice", "pending").isEmpty, "five weeks ahead: the partner's feed is in time")
        let cancels = try send(seen: &seen)
        #expect(cancels.map(\.to) == everyone)
        #expect(cancels[0].subject.hasPrefix("Bijeenkomst gaat niet door: Van keuken naar zorg op donderdag 8 april 2027, 19:00–20:30"))
        #expect(cancels[0].text.contains("De docent is ziek"))
        let cancelText = try #require(cancels[0].calendar)
        #expect(cancelText.contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20270408T190000"))
        let cancel = try PythonCalendarReader.read(cancelText)
        #expect(cancel.method == "CANCEL")
        #expect(cancel.events.count == 1)
        #expect(cancel.events[0].recurrenceID == .init(local: "2027-04-08T19:00", tzid: "Europe/Amsterdam", instant: 1_807_203_600))
        #expect(cancel.events[0].status == "CANCELLED")
        #expect(cancel.events[0].sequence == 1)
        #expect(cancel.events[0].rrule == nil)

        // The day before, move the meeting of 25 March (before the change) to Monday 29 March
        // (after it): an update to each participant and, so close, a notice to the partner.
        let moved = try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-29 19:00"], env: Self.dayBefore)
        expectSuccess(moved)
        #expect(moved.stdout == """
            session \(series): meeting of 2027-03-25 moved to 2027-03-29 19:00 – 20:30 (sequence 2)
            partners told by e-mail: 1

            """)
        #expect(try rows("update", "pending", env: Self.dayBefore) == everyone)
        #expect(try rows("partner_notice", "pending", env: Self.dayBefore) == ["planning@roc-midden.example.org"])
        let updates = try send(env: Self.dayBefore, seen: &seen)
        #expect(updates.map(\.to) == everyone + ["planning@roc-midden.example.org"])
        let notice = updates[2]
        #expect(notice.calendar == nil)
        #expect(notice.subject == "Verplaatst: Van keuken naar zorg op donderdag 25 maart 2027, 19:00–20:30")
        #expect(notice.text.contains("is verplaatst naar maandag 29 maart 2027, 19:00–20:30"))
        let updateText = try #require(updates[0].calendar)
        #expect(updateText.contains("EXDATE;TZID=Europe/Amsterdam:20270408T190000"))
        #expect(updateText.contains("RECURRENCE-ID;TZID=Europe/Amsterdam:20270325T190000"))
        let update = try PythonCalendarReader.read(updateText)
        let expected = [
            "2027-03-11T19:00+01:00", "2027-03-18T19:00+01:00", "2027-03-29T19:00+02:00", "2027-04-01T19:00+02:00",
            "2027-04-15T19:00+02:00",
        ]
        #expect(update.occurrences == expected)
        #expect(update.events.count == 2, "the master and the override of the moved meeting")
        #expect(update.events.allSatisfy { $0.sequence == 2 && $0.attendees == 1 })
        #expect(update.events[0].exdates == [.init(local: "2027-04-08T19:00", tzid: "Europe/Amsterdam")])
        #expect(update.events[1].recurrenceID?.local == "2027-03-25T19:00")
        #expect(update.events[1].start == .init(local: "2027-03-29T19:00", tzid: "Europe/Amsterdam", instant: 1_806_339_600))

        // The partner's feed carries the same meetings, with no attendee.
        let feed = try cli.run(["feed", "--partner", "roc-midden"], env: Self.dayBefore)
        expectSuccess(feed)
        let published = try PythonCalendarReader.read(feed.stdout)
        #expect(published.method == "PUBLISH")
        #expect(published.occurrences == expected)
        #expect(published.events.allSatisfy { $0.attendees == 0 })
        let region = try cli.run(["feed", "--region", "midden-utrecht"], env: Self.dayBefore)
        expectSuccess(region)
        #expect(try PythonCalendarReader.read(region.stdout).occurrences == expected, "the region feed carries the overrides too")

        // `session show` lists every meeting as it now is, and the answers.
        let (session, _) = try cli.showSession(series)
        let meetings = try #require(session["meetings"] as? [[String: Any]])
        #expect(meetings.map { $0["status"] as? String } == ["scheduled", "scheduled", "moved", "scheduled", "cancelled", "scheduled"])
        #expect(meetings[2]["start"] as? String == "2027-03-29T19:00:00+02:00")
        #expect(meetings[2]["original_start"] as? String == "2027-03-25T19:00:00+01:00")
        #expect(meetings[4]["original_start"] as? String == "2027-04-08T19:00:00+02:00")
        let answers = try #require(session["answers"] as? [String: Int])
        #expect(answers == ["accepted": 0, "tentative": 0, "declined": 0, "no_answer": 2, "expired": 0])
        let text = try cli.run(["session", "show", series])
        #expect(text.stdout.contains("2027-03-29T19:00:00+02:00 – 2027-03-29T20:30:00+02:00  (moved; originally 2027-03-25T19:00:00+01:00)"))
        #expect(text.stdout.contains("2027-04-08T19:00:00+02:00 – 2027-04-08T20:30:00+02:00  (cancelled)"))
        #expect(text.stdout.contains("answers:   0 accepted, 0 tentative, 0 declined, 2 no answer, 0 expired"))
    }

    @Test func remindersFollowTheMeetingsAsTheyNowAre() throws {
        // Reminders go a day and two hours before each meeting (config/overstap.yaml).
        func reminderTimes() throws -> [String] {
            try outbox().filter { $0["kind"] as? String == "reminder" && $0["state"] as? String == "pending" && $0["recipient"] as? String == "anna@example.org" }
                .compactMap { $0["next_attempt"] as? String }.sorted()
        }
        #expect(try reminderTimes().contains("2027-04-08T17:00:00+02:00"))
        expectSuccess(try cli.run(["session", "cancel", series, "--meeting", "2027-04-08"]))
        #expect(try !reminderTimes().contains("2027-04-08T17:00:00+02:00"))
        #expect(try !reminderTimes().contains("2027-04-07T19:00:00+02:00"))
        expectSuccess(try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-29 19:00"]))
        let times = try reminderTimes()
        #expect(!times.contains("2027-03-25T17:00:00+01:00"))
        #expect(times.contains("2027-03-28T19:00:00+02:00") && times.contains("2027-03-29T17:00:00+02:00"))
        #expect(times.count == 10, "two per meeting that takes place: \(times)")
    }

    @Test func movingTheMovedMeetingAgainKeepsItsOriginalDate() throws {
        expectSuccess(try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-29 19:00"]))
        let again = try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-30 10:00", "--duration", "2h"])
        expectSuccess(again)
        #expect(again.stdout.hasPrefix("session \(series): meeting of 2027-03-25 moved to 2027-03-30 10:00 – 12:00 (sequence 2)"))
        let calendar = try cli.run(["session", "ics", series])
        expectSuccess(calendar)
        let reading = try PythonCalendarReader.read(calendar.stdout)
        #expect(reading.events.count == 2)
        #expect(reading.events[1].recurrenceID?.local == "2027-03-25T19:00")
        #expect(reading.occurrences.contains("2027-03-30T10:00+02:00") && !reading.occurrences.contains("2027-03-29T19:00+02:00"))
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-03-29", "--start", "2027-03-31 19:00"]),
            mentioning: ["--meeting 2027-03-29", "has no meeting on 2027-03-29", "2027-03-25 (moved)"])
    }

    @Test func theWholeSeriesMovesOnlyOnceItsMeetingsAreBackInPlace() throws {
        expectSuccess(try cli.run(["session", "cancel", series, "--meeting", "2027-04-01"]))
        expectRefused(
            try cli.run(["session", "update", series, "--start", "2027-03-11 18:00"]),
            mentioning: ["session \(series)", "2027-04-01 cancelled", "cannot change as a whole", "--meeting DATE --start"])
        expectSuccess(try cli.run(["session", "update", series, "--title", "Nieuwe titel"]))
        // Brought back at its own time, the meeting is no exception any more.
        let back = try cli.run(["session", "update", series, "--meeting", "2027-04-01", "--start", "2027-04-01 19:00"])
        expectSuccess(back)
        #expect(back.stdout.contains("takes place as planned, 2027-04-01 19:00"))
        expectSuccess(try cli.run(["session", "update", series, "--start", "2027-03-11 18:00"]))
        let meetings = try #require(try cli.showSession(series).session["meetings"] as? [[String: Any]])
        #expect(meetings.allSatisfy { $0["status"] as? String == "scheduled" } && meetings.count == 6)
    }

    @Test func refusalsNameTheMeetingAndHowToFixIt() throws {
        expectRefused(
            try cli.run(["session", "cancel", series, "--meeting", "2027-03-26"]),
            mentioning: [
                "--meeting 2027-03-26", "has no meeting on 2027-03-26",
                "2027-03-11, 2027-03-18, 2027-03-25, 2027-04-01, 2027-04-08, 2027-04-15",
            ])
        expectRefused(try cli.run(["session", "cancel", series, "--meeting", "8 april"]), mentioning: ["--meeting", "is not a date"])
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-04-01 20:00"]),
            mentioning: ["--start", "overlaps the meeting of 2027-04-01 19:00–20:30"])
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-04-15", "--start", "2027-04-22 19:00"]),
            mentioning: ["--start", "outside the series, which runs from 2027-03-11 to 2027-04-15"])
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-28 02:30"]),
            mentioning: ["--start", "2027-03-28 02:30"])
        expectRefused(
            try cli.run(["session", "cancel", series, "--meeting", "2027-03-11"], env: ["OVERSTAP_NOW": "2027-03-11T19:30:00+01:00"]),
            mentioning: ["--meeting 2027-03-11", "has already started"])
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-12 19:00"],
                env: ["OVERSTAP_NOW": "2027-03-12T20:00:00+01:00"]),
            mentioning: ["--start", "2027-03-12 19:00 is in the past"])
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-03-25"]), status: 2, mentioning: ["--meeting needs --start"])
        expectRefused(
            try cli.run(["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-26 19:00", "--title", "X"]),
            status: 2, mentioning: ["give only --start and --end or --duration"])
        for date in ["2027-03-11", "2027-03-18", "2027-03-25", "2027-04-01", "2027-04-08"] {
            expectSuccess(try cli.run(["session", "cancel", series, "--meeting", date]))
        }
        expectRefused(
            try cli.run(["session", "cancel", series, "--meeting", "2027-04-15"]),
            mentioning: ["the meeting of 2027-04-15 is the only one left", "overstap session cancel \(series)"])
        expectRefused(try cli.run(["session", "cancel", series, "--meeting", "2027-04-08"]), mentioning: ["already cancelled"])
        let single = try cli.createSession()
        expectRefused(try cli.run(["session", "cancel", single, "--meeting", "2027-02-02"]), mentioning: ["is a single meeting, not a series"])
    }

    @Test func aMeetingMovedIntoThePartnersBusyTimeIsRefusedUntilForced() throws {
        let export = PlanCommandTests.googleExport.replacingOccurrences(of: "20270202T170000Z", with: "20270329T170000Z")
            .replacingOccurrences(of: "20270202T190000Z", with: "20270329T190000Z")
        expectSuccess(try cli.run(["partner", "busy", "import", "roc-midden", try cli.directory.write("roc.ics", export)]))
        let move = ["session", "update", series, "--meeting", "2027-03-25", "--start", "2027-03-29 19:00"]
        expectRefused(try cli.run(move), mentioning: ["--start", "partner 'roc-midden' is busy from 2027-03-29 19:00 to 2027-03-29 21:00", "--force"])
        expectSuccess(try cli.run(move + ["--force"]))
    }

    @Test func aMeetingCancelledTheDayBeforeIsToldToThePartnerAndTheOutboxKeepsItApart() throws {
        var seen = Set<String>()
        _ = try send(seen: &seen)
        let close = ["OVERSTAP_NOW": "2027-03-17T20:00:00+01:00"]
        let result = try cli.run(["session", "cancel", series, "--meeting", "2027-03-18", "--reason", "Storing"], env: close)
        expectSuccess(result)
        #expect(result.stdout.hasSuffix("partners told by e-mail: 1\n"))
        // Cancelling it again is refused; nothing more is queued.
        _ = try cli.run(["session", "cancel", series, "--meeting", "2027-03-18"], env: close)
        #expect(try rows("partner_notice", "pending", env: close) == ["planning@roc-midden.example.org"])
        #expect(try rows("meeting_cancellation", "pending", env: close) == ["anna@example.org", "bram@example.org"])
        let mail = try send(env: close, seen: &seen)
        let notice = try #require(mail.first { $0.to == "planning@roc-midden.example.org" })
        #expect(notice.subject == "Gaat niet door: Van keuken naar zorg op donderdag 18 maart 2027, 19:00–20:30")
        #expect(notice.text.contains("Reden: Storing"))
        // A partner is no worker: the notice sent leaves every enrollment and worker as it was.
        #expect(try rows("partner_notice", "sent", env: close) == ["planning@roc-midden.example.org"])
        let states = try cli.showSession(series).enrollments.compactMap { $0["state"] as? String }
        #expect(states == ["invited", "invited"])
    }
}
