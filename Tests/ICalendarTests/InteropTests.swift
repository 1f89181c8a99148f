import Foundation
import ICalendar
import Testing

/// Independent readers must see what we meant: Python's `icalendar` and `recurring-ical-events`.
struct InteropTests {
    static let reader = """
        import json, sys, datetime
        import icalendar, recurring_ical_events
        calendar = icalendar.Calendar.from_ical(sys.stdin.read())
        events = []
        for event in calendar.walk("VEVENT"):
            events.append({"uid": str(event["UID"]), "sequence": int(event.get("SEQUENCE", 0)),
                           "summary": str(event.get("SUMMARY")), "description": str(event.get("DESCRIPTION")),
                           "method": str(calendar.get("METHOD"))})
        start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
        end = datetime.datetime(2028, 1, 1, tzinfo=datetime.timezone.utc)
        instants = sorted(int(o["DTSTART"].dt.timestamp()) for o in recurring_ical_events.of(calendar).between(start, end))
        print(json.dumps({"events": events, "instants": instants}))
        """

    struct Reading: Decodable {
        struct Event: Decodable {
            var uid: String
            var sequence: Int
            var summary: String
            var description: String
            var method: String
        }
        var events: [Event]
        var instants: [Int]
    }

    func readWithPython(_ text: String) throws -> Reading {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.reader]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with icalendar and recurring-ical-events must be installed (scripts/install-deps.sh)")
        return try JSONDecoder().decode(Reading.self, from: data)
    }

    @Test func pythonAgreesOnIdentityTextsAndEveryOccurrence() throws {
        let awkward = "Zorg & welzijn: uitleg, vragen; \\ daarna\nkoffie ☕️ — één plek"
        let document = CalendarDocument(method: .request, events: [sampleEvent(summary: awkward, description: awkward, rule: "FREQ=WEEKLY;COUNT=6")])
        let reading = try readWithPython(try document.serialised())
        #expect(reading.events.count == 1)
        #expect(reading.events[0].uid == "0f8b1c2d@example.org")
        #expect(reading.events[0].sequence == 3)
        #expect(reading.events[0].summary == awkward)
        #expect(reading.events[0].description == awkward)
        #expect(reading.events[0].method == "REQUEST")
        let ours = try document.occurrences(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2e9), floatingZone: "UTC")
        #expect(reading.instants == ours.map { Int($0.start.timeIntervalSince1970) })
        #expect(reading.instants.count == 6)
    }

    @Test func pythonReadsTheOutlookFixtureLikeWeDo() throws {
        let reading = try readWithPython(Fixtures.outlook)
        let ours = try CalendarDocument.occurrences(
            inText: Fixtures.outlook, from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2e9), floatingZone: "UTC")
        #expect(reading.instants == ours.map { Int($0.start.timeIntervalSince1970) })
    }
}
