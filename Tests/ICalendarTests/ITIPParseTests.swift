import Foundation
import ICalendar
import Testing

struct ITIPParseTests {
    static func calendar(method: String? = "REPLY", _ event: [String], zones: [String] = []) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN"]
        if let method { lines.append("METHOD:\(method)") }
        lines += zones + ["BEGIN:VEVENT"] + event + ["END:VEVENT", "END:VCALENDAR"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    func error(_ text: String) -> ICalendarParseError? {
        do {
            _ = try CalendarITIP.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func anExchangeReplyWithoutOrganizerOrSequenceIsRead() throws {
        let message = try CalendarITIP.parse(Self.calendar([
            "UID:u1@team.example.nl", "DTSTAMP:20270111T081400Z", "ATTENDEE;PARTSTAT=ACCEPTED;CN=Anouk Jansen:MAILTO:Anouk.Jansen@Example.nl",
        ]))
        #expect(message.method == .reply)
        let event = try #require(message.events.first)
        #expect(event.uid == "u1@team.example.nl" && event.organizer == nil && event.sequence == nil)
        #expect(event.stamp == Date(timeIntervalSince1970: 1_799_655_240))
        #expect(event.attendees == [ITIPAttendee(address: "Anouk.Jansen@Example.nl", commonName: "Anouk Jansen", participation: .accepted, line: 8)])
    }

    @Test func quotedNamesAnyCaseMailtoAndDelegationAreRead() throws {
        let message = try CalendarITIP.parse(Self.calendar([
            "UID:u1", "SEQUENCE:0", "ORGANIZER;CN=\"Team, Utrecht\":mailto:team@example.nl",
            "ATTENDEE;CN=\"Jansen, Anouk\";PARTSTAT=DELEGATED;DELEGATED-TO=\"MailTo:b@example.nl\":mAiLtO:anouk@example.nl",
            "ATTENDEE;PARTSTAT=tentative:b@example.nl",
        ]))
        let event = try #require(message.events.first)
        #expect(event.sequence == 0)
        #expect(event.organizer == CalendarAddress(email: "team@example.nl", commonName: "Team, Utrecht"))
        #expect(event.attendees[0].address == "anouk@example.nl" && event.attendees[0].commonName == "Jansen, Anouk")
        #expect(event.attendees[0].participation == .delegated && event.attendees[0].delegatedTo == ["b@example.nl"])
        #expect(event.attendees[1].participation == .tentative && event.attendees[1].line == 10)
    }

    @Test func aReplyForOneMeetingKeepsItsLocalTimeAndInstant() throws {
        let message = try CalendarITIP.parse(Self.calendar([
            "UID:u1", "RECURRENCE-ID;TZID=W. Europe Standard Time:20270216T190000", "ATTENDEE;PARTSTAT=DECLINED:mailto:p@example.nl",
        ]))
        let recurrence = try #require(message.events.first?.recurrenceID)
        #expect(recurrence.local == .zoned(CalendarDateTime(year: 2027, month: 2, day: 16, hour: 19, minute: 0), tzid: "W. Europe Standard Time"))
        #expect(recurrence.instant == Date(timeIntervalSince1970: 1_802_800_800))
        let unknownZone = try CalendarITIP.parse(Self.calendar([
            "UID:u1", "RECURRENCE-ID;TZID=Mars/Olympus:20270216T190000", "ATTENDEE;PARTSTAT=DECLINED:mailto:p@example.nl",
        ]))
        #expect(unknownZone.events[0].recurrenceID?.instant == nil)
    }

    @Test func theFilesOwnZoneComesBeforeTheNameItCarries() throws {
        let ownZone = ["BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0300",
                       "TZOFFSETTO:+0300", "END:STANDARD", "END:VTIMEZONE"]
        let message = try CalendarITIP.parse(Self.calendar([
            "UID:u1", "RECURRENCE-ID;TZID=Europe/Amsterdam:20270216T190000", "ATTENDEE;PARTSTAT=DECLINED:mailto:p@example.nl",
        ], zones: ownZone))
        #expect(message.events[0].recurrenceID?.instant == Date(timeIntervalSince1970: 1_802_800_800 - 7_200))
    }

    @Test func aCounterCarriesTheProposedTimeAndComment() throws {
        let message = try CalendarITIP.parse(Self.calendar(method: "COUNTER", [
            "UID:u1", "DTSTART;TZID=Europe/Amsterdam:20270202T200000", "DURATION:PT2H30M",
            "COMMENT:Kan het een uur later?", "ATTENDEE;PARTSTAT=TENTATIVE:mailto:p@example.nl",
        ]))
        #expect(message.method == .counter)
        let event = message.events[0]
        #expect(event.comments == ["Kan het een uur later?"])
        #expect(event.start?.instant == Date(timeIntervalSince1970: 1_801_594_800))
        #expect(event.end?.instant == Date(timeIntervalSince1970: 1_801_594_800 + 9_000))
    }

    @Test func otherMethodsAndMissingMethodsAreNamed() throws {
        #expect(try CalendarITIP.parse(Self.calendar(method: "REFRESH", ["UID:u1", "ATTENDEE:mailto:p@example.nl"])).method == .refresh)
        #expect(try CalendarITIP.parse(Self.calendar(method: "REQUEST", ["UID:u1"])).method == .other("REQUEST"))
        #expect(try CalendarITIP.parse(Self.calendar(method: nil, ["UID:u1"])).method == .missing)
    }

    @Test func problemsNameTheirLine() {
        #expect(error(Self.calendar(["DTSTAMP:20270111T081400Z", "ATTENDEE:mailto:p@example.nl"])) == ICalendarParseError(
            line: 5, property: "UID", problem: "the event has no UID, so it cannot be matched to a session"))
        let noAttendee = error(Self.calendar(["UID:u1", "ORGANIZER:mailto:team@example.nl"]))
        #expect(noAttendee?.line == 5 && noAttendee?.property == "ATTENDEE")
        let badStamp = error(Self.calendar(["UID:u1", "DTSTAMP:20271399T081400Z", "ATTENDEE:mailto:p@example.nl"]))
        #expect(badStamp?.line == 7 && badStamp?.property == "DTSTAMP")
        #expect(error("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n")?.problem == "the calendar holds no VEVENT")
        #expect(error("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\n")?.problem.contains("cut off") == true)
    }

    @Test func unreadableExtensionsAreSkippedButUnreadableAnswersAreNot() throws {
        let message = try CalendarITIP.parse(Self.calendar([
            "UID:u1", "X-MICROSOFT-CDO-APPT-SEQUENCE:2", "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC", "PRIORITY:high",
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:p@example.nl",
        ]))
        #expect(message.events[0].attendees.count == 1)
        let badSequence = error(Self.calendar(["UID:u1", "SEQUENCE:two", "ATTENDEE:mailto:p@example.nl"]))
        #expect(badSequence?.property == "SEQUENCE" && badSequence?.line == 7)
    }
}
