import Foundation
import ICalendar
import Testing

/// A representative invitation, as Overstap writes them.
func sampleEvent(summary: String = "Van keuken naar zorg", description: String = "Wat u leert", rule: String? = nil) -> CalendarEvent {
    CalendarEvent(
        uid: "0f8b1c2d@example.org", sequence: 3, stamp: Date(timeIntervalSince1970: 1_799_568_000),
        start: .zoned(CalendarDateTime(year: 2027, month: 3, day: 9, hour: 19, minute: 0), tzid: "Europe/Amsterdam"),
        end: .zoned(CalendarDateTime(year: 2027, month: 3, day: 9, hour: 20, minute: 30), tzid: "Europe/Amsterdam"),
        summary: summary, description: description, location: "Australiëlaan 25, Utrecht",
        url: "https://overstap.example.org/s/1", status: "CONFIRMED", categories: ["zorg"],
        organizer: CalendarAddress(email: "team@example.org", commonName: "Mobiliteitsteam"),
        attendees: [CalendarAttendee(address: CalendarAddress(email: "anouk@example.org", commonName: "Anouk Bakker"))],
        conference: CalendarConference(uri: "https://meet.example.org/abc", label: "Deelnemen"),
        alarms: [CalendarAlarm(trigger: "-PT1H", description: "Over een uur begint de sessie")], recurrenceRule: rule)
}

struct CalendarWriteTests {
    static let awkwardTexts = [
        "comma, semicolon; backslash \\ done",
        "line one\nline two\n\nafter a blank line",
        "Café Ñandú — “quotes” 🎉👩🏽‍🍳 emoji",
        "ends with a backslash \\",
        String(repeating: "é", count: 100) + " then 🎉" + String(repeating: "x", count: 70),
    ]

    @Test(arguments: awkwardTexts)
    func everyTextPropertyRoundTrips(text: String) throws {
        var event = sampleEvent(summary: text, description: text)
        event.location = text
        event.categories = [text.replacingOccurrences(of: ",", with: "")]
        event.attendees[0].address.commonName = text
        event.alarms[0].description = text
        let parsed = try CalendarDocument.parse(try CalendarDocument(method: .request, events: [event]).serialised())
        let back = try #require(parsed.events.first)
        #expect(back.summary == text)
        #expect(back.description == text)
        #expect(back.location == text)
        #expect(back.categories == event.categories)
        let safeName = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\\", with: "/")
        #expect(back.attendees.first?.address.commonName == safeName.replacingOccurrences(of: "\"", with: "'"))
        #expect(back.alarms.first?.description == text)
    }

    @Test func foldingNeverSplitsAUTF8Character() throws {
        let text = try CalendarDocument(method: .request, events: [sampleEvent(summary: Self.awkwardTexts[4] + Self.awkwardTexts[2])]).serialised()
        let bytes = Array(text.utf8)
        var lineStart = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            let line = bytes[lineStart..<index]
            #expect(line.count <= 76, "a line is longer than 75 octets plus CR")
            if let first = line.first, first == UInt8(ascii: " ") {
                let continuation = line.dropFirst().first ?? 0
                #expect(continuation & 0xC0 != 0x80, "a folded line starts inside a UTF-8 character")
            }
            #expect(String(validating: line, as: UTF8.self) != nil, "a physical line is not valid UTF-8 by itself")
            lineStart = index + 1
        }
        #expect(text.contains("\r\n"))
    }

    @Test func theZoneIsCompactAndNamedPlainly() throws {
        let text = try CalendarDocument(method: .request, events: [sampleEvent()]).serialised()
        #expect(text.contains("DTSTART;TZID=Europe/Amsterdam:20270309T190000"))
        #expect(text.contains("TZID:Europe/Amsterdam"))
        #expect(!text.contains("freeassociation"))
        #expect(!text.contains("X-LIC-LOCATION"))
        let zoneLines = text.components(separatedBy: "BEGIN:VTIMEZONE")[1].components(separatedBy: "END:VTIMEZONE")[0]
            .split(separator: "\r\n").count
        #expect(zoneLines <= 40)
    }

    @Test func theSameDocumentGivesTheSameBytes() throws {
        let document = CalendarDocument(method: .publish, name: "ROC", timezoneName: "Europe/Amsterdam", refreshInterval: "PT1H", events: [sampleEvent()])
        #expect(try document.serialised() == document.serialised())
        let text = try document.serialised()
        #expect(text.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H"))
        #expect(text.contains("X-PUBLISHED-TTL:PT1H"))
        #expect(text.contains("X-WR-CALNAME:ROC"))
    }

    @Test(arguments: [CalendarMethod.request, .cancel, .publish])
    func overstapStyleMessagesPassTheRestrictionCheck(method: CalendarMethod) throws {
        var event = sampleEvent(rule: "FREQ=WEEKLY;COUNT=6")
        if method == .cancel {
            event.status = "CANCELLED"
            event.alarms = []
        }
        if method == .publish { event.attendees = [] }
        #expect(try CalendarDocument(method: method, events: [event]).restrictionProblems() == [])
    }

    @Test func theRestrictionCheckCatchesABrokenRequest() throws {
        var event = sampleEvent()
        event.organizer = nil
        #expect(try !CalendarDocument(method: .request, events: [event]).restrictionProblems().isEmpty)
    }

    @Test func badValuesAreRefusedBeforeAnythingIsWritten() {
        var event = sampleEvent()
        event.start = .zoned(CalendarDateTime(year: 2027, month: 1, day: 1, hour: 9, minute: 0), tzid: "Mars/Olympus")
        #expect(throws: CalendarBuildError.self) { try CalendarDocument(method: .request, events: [event]).serialised() }
        #expect(throws: CalendarBuildError.self) {
            try CalendarDocument(method: .request, events: [sampleEvent(rule: "FREQ=SOMETIMES")]).serialised()
        }
        var alarm = sampleEvent()
        alarm.alarms = [CalendarAlarm(trigger: "an hour before", description: "x")]
        #expect(throws: CalendarBuildError.self) { try CalendarDocument(method: .request, events: [alarm]).serialised() }
    }
}
