import Foundation
import OverstapCore
import Testing

/// A stored session's meetings as instants: one conversion for matching, planning, reminders and
/// the CLI, which names the session when a meeting has no single instant.
struct MeetingIntervalsTests {
    func stored(_ start: LocalDateTime, repeatRule: String? = nil, startsAt: String) -> StoredSession {
        var session = Session(
            uid: "u@example.org", title: "Van keuken naar zorg", description: "", kind: .webinar, partners: ["roc"],
            sector: "zorg", audience: ["horeca"], start: start, end: start.adding(minutes: 90),
            timezone: "Europe/Amsterdam", recurrence: repeatRule, capacity: 20,
            venue: .online(URL(string: "https://meet.example.org/x")!), region: "midden-utrecht", language: "nl",
            updatedAt: Date(timeIntervalSince1970: 0))
        session.id = 7
        let first = instant(startsAt)
        return StoredSession(session: session, startsAt: first, endsAt: first.addingTimeInterval(5_400), seatsTaken: 0)
    }

    func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    @Test func aWeeklySeriesKeepsItsLocalTimeAcrossTheSpringSwitch() throws {
        let series = stored(LocalDateTime(year: 2027, month: 3, day: 23, hour: 19, minute: 0), repeatRule: "FREQ=WEEKLY;COUNT=2", startsAt: "2027-03-23T18:00:00Z")
        #expect(try series.meetingIntervals() == [
            DateInterval(start: instant("2027-03-23T18:00:00Z"), duration: 5_400),
            DateInterval(start: instant("2027-03-30T17:00:00Z"), duration: 5_400),
        ])
    }

    @Test func aMeetingTheClocksSkipIsAnErrorNamingTheSession() {
        // Meeting 2 of the series falls on 28 March 2027 at 02:30, which does not exist.
        let series = stored(LocalDateTime(year: 2027, month: 3, day: 21, hour: 2, minute: 30), repeatRule: "FREQ=WEEKLY;COUNT=2", startsAt: "2027-03-21T01:30:00Z")
        #expect(throws: InputError(
            place: "session 7, meeting at 2027-03-28 02:30",
            problem: "2027-03-28 02:30 does not exist in Europe/Amsterdam: the clocks skip this hour (daylight-saving time starts)",
            fix: "the next valid time is 2027-03-28 03:00")
        ) {
            try series.meetingIntervals()
        }
    }

    @Test(arguments: ["2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"])
    func aFirstMeetingInTheRepeatedHourIsTheInstantTheOrganiserChose(startsAt: String) throws {
        let single = stored(LocalDateTime(year: 2027, month: 10, day: 31, hour: 2, minute: 30), startsAt: startsAt)
        #expect(try single.meetingIntervals() == [DateInterval(start: instant(startsAt), duration: 5_400)])
    }

    @Test func aLaterMeetingInTheRepeatedHourIsAnErrorNamingTheSession() {
        let series = stored(LocalDateTime(year: 2027, month: 10, day: 24, hour: 2, minute: 30), repeatRule: "FREQ=WEEKLY;COUNT=2", startsAt: "2027-10-24T00:30:00Z")
        #expect {
            try series.meetingIntervals()
        } throws: { error in
            (error as? InputError)?.place == "session 7, meeting at 2027-10-31 02:30"
        }
    }
}
