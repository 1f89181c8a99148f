import Foundation
import ICalendar
import TestRandom
import Testing

struct ParseTests {
    @Test func outlookGoogleAndAppleFilesParse() throws {
        let outlook = try CalendarDocument.parse(Fixtures.outlook)
        #expect(outlook.method == .publish && outlook.events.count == 2)
        #expect(outlook.events[0].start == .zoned(CalendarDateTime(year: 2027, month: 3, day: 9, hour: 9, minute: 0), tzid: "W. Europe Standard Time"))
        #expect(outlook.events[0].exceptionDates.count == 1)
        #expect(outlook.events[1].recurrenceID != nil)
        let google = try CalendarDocument.parse(Fixtures.google)
        #expect(google.name == "Rooster ROC" && google.timezoneName == "Europe/Amsterdam")
        #expect(google.events[0].description == "Praktijkles in het skills lab. Neem werkkleding mee, en een lunchpakket; de kantine is gesloten.")
        #expect(google.events[0].location == "Australiëlaan 25, Utrecht")
        #expect(google.events[1].start == .date(year: 2027, month: 1, day: 15) && google.events[1].isTransparent)
        let apple = try CalendarDocument.parse(Fixtures.apple)
        #expect(apple.events[0].summary == "Ouderavond 🎓")
        #expect(apple.events[1].start == .floating(CalendarDateTime(year: 2027, month: 1, day: 29, hour: 9, minute: 0)))
    }

    func error(_ text: String) -> ICalendarParseError? {
        do {
            _ = try CalendarDocument.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedInputIsAnErrorNotAPartialResult() {
        let truncated = String(Fixtures.google.prefix(Fixtures.google.count / 2))
        let found = error(truncated)
        #expect(found?.problem.contains("missing") == true)
        let noEnd = Fixtures.apple.replacingOccurrences(of: "END:VCALENDAR\n", with: "")
        #expect(error(noEnd)?.property == "VCALENDAR")
    }

    @Test func garbageIsRefusedOnItsFirstLine() {
        #expect(error("hello world\n")?.line == 1)
        #expect(error("")?.line == 1)
        #expect(error("\u{1}\u{2}\u{3}binary")?.line == 1)
        #expect(error("BEGIN:VEVENT\nEND:VEVENT\n")?.problem.contains("BEGIN:VCALENDAR") == true)
    }

    @Test func aBadPropertyIsReportedWithItsLineAndName() {
        let text = Fixtures.apple.replacingOccurrences(of: "DTEND;TZID=Europe/Amsterdam:20270128T210000", with: "DTEND;TZID=Europe/Amsterdam:garbage")
        let found = error(text)
        #expect(found?.line == 25 && found?.property == "DTEND", "\(String(describing: found))")
    }

    @Test func aDateThatDoesNotExistIsReported() {
        let text = Fixtures.apple.replacingOccurrences(of: "DTSTART;TZID=Europe/Amsterdam:20270128T190000", with: "DTSTART;TZID=Europe/Amsterdam:20271328T190000")
        let found = error(text)
        #expect(found?.property == "DTSTART" && found?.line == 29, "\(String(describing: found))")
        #expect(found?.description.hasPrefix("line 29: DTSTART: invalid date-time") == true)
    }

    @Test func mismatchedComponentsNameTheLine() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nDTSTART:20270101T100000Z\nEND:VTODO\nEND:VCALENDAR\n"
        #expect(error(text) == ICalendarParseError(line: 6, property: "END", problem: "END:VTODO where END:VEVENT was expected"))
    }

    @Test func aLineWithoutColonIsNamed() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nDTSTART:20270101T100000Z\nJUST SOME TEXT\nEND:VEVENT\nEND:VCALENDAR\n"
        #expect(error(text)?.line == 6)
    }

    @Test func anEventWithoutStartIsRefused() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\nSUMMARY:no start\nEND:VEVENT\nEND:VCALENDAR\n"
        #expect(error(text) == ICalendarParseError(line: 3, property: "DTSTART", problem: "the event has no DTSTART"))
    }

    /// Seeded, so a crash is reproduced by the seed of the test case that started last.
    @Test(arguments: [UInt64(1), 2, 3])
    func randomGarbageNeverCrashes(seed: UInt64) {
        var generator = SeededRandom(seed: seed)
        let pieces = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT", "END:VCALENDAR", "DTSTART:2027", "DTSTART;TZID=X:20270101T100000",
                      "RRULE:FREQ=WEEKLY;COUNT=x", " folded", "UID:u", ":", ";;;", "ATTENDEE;CN=\"a:b\":mailto:x", "\u{0}"]
        for _ in 0..<100 {
            let text = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined(separator: "\n")
            _ = try? CalendarDocument.parse(text)
            _ = try? CalendarDocument.occurrences(inText: text, from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2e9), floatingZone: "UTC")
        }
    }
}
