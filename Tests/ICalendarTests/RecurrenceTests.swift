import Foundation
import ICalendar
import Testing

struct RecurrenceTests {
    let wide = (Date(timeIntervalSince1970: 1_790_000_000), Date(timeIntervalSince1970: 1_830_000_000))

    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func aWeeklySeriesAcrossTheSpringSwitchKeepsItsLocalTime() throws {
        let occurrences = try CalendarDocument(method: .request, events: [sampleEvent(rule: "FREQ=WEEKLY;COUNT=6")])
            .occurrences(from: wide.0, to: wide.1, floatingZone: "Europe/Amsterdam")
        #expect(occurrences.map(\.start) == [
            utc("2027-03-09T18:00:00Z"), utc("2027-03-16T18:00:00Z"), utc("2027-03-23T18:00:00Z"),
            utc("2027-03-30T17:00:00Z"), utc("2027-04-06T17:00:00Z"), utc("2027-04-13T17:00:00Z"),
        ])
        #expect(occurrences.allSatisfy { $0.end.timeIntervalSince($0.start) == 5400 })
    }

    @Test func sessionsOnBothSwitchDaysResolve() throws {
        var spring = sampleEvent()
        spring.start = .zoned(CalendarDateTime(year: 2027, month: 3, day: 28, hour: 19, minute: 0), tzid: "Europe/Amsterdam")
        spring.end = .zoned(CalendarDateTime(year: 2027, month: 3, day: 28, hour: 20, minute: 0), tzid: "Europe/Amsterdam")
        var autumn = spring
        autumn.uid = "autumn@example.org"
        autumn.start = .zoned(CalendarDateTime(year: 2027, month: 10, day: 31, hour: 19, minute: 0), tzid: "Europe/Amsterdam")
        autumn.end = .zoned(CalendarDateTime(year: 2027, month: 10, day: 31, hour: 20, minute: 0), tzid: "Europe/Amsterdam")
        let occurrences = try CalendarDocument(method: .publish, events: [spring, autumn])
            .occurrences(from: wide.0, to: wide.1, floatingZone: "Europe/Amsterdam")
        #expect(occurrences.map(\.start) == [utc("2027-03-28T17:00:00Z"), utc("2027-10-31T18:00:00Z")])
    }

    @Test func outlookSeriesHonoursExdateAndTheMovedOccurrence() throws {
        let occurrences = try CalendarDocument.occurrences(
            inText: Fixtures.outlook, from: wide.0, to: wide.1, floatingZone: "Europe/Amsterdam")
        #expect(occurrences.map(\.start) == [
            utc("2027-03-09T08:00:00Z"), utc("2027-03-16T08:00:00Z"), utc("2027-03-31T12:00:00Z"), utc("2027-04-06T07:00:00Z"),
        ])
        #expect(occurrences[2].summary == "Teamoverleg opleidingen (verplaatst)")
    }

    @Test func aWindowsZoneWithoutVTIMEZONEResolvesThroughCLDR() throws {
        let occurrences = try CalendarDocument.occurrences(
            inText: Fixtures.outlookWithoutZone, from: wide.0, to: wide.1, floatingZone: "UTC")
        #expect(occurrences.map(\.start) == [utc("2027-07-06T08:00:00Z")])
    }

    @Test func allDayFreeAndFloatingEventsAreReadInTheGivenZone() throws {
        let google = try CalendarDocument.occurrences(inText: Fixtures.google, from: wide.0, to: wide.1, floatingZone: "Europe/Amsterdam")
        #expect(google.count == 2)
        #expect(google[0].start == utc("2027-01-12T13:00:00Z") && !google[0].isTransparent)
        #expect(google[1].isAllDay && google[1].isTransparent)
        #expect(google[1].start == utc("2027-01-14T23:00:00Z") && google[1].end == utc("2027-01-15T23:00:00Z"))
        let apple = try CalendarDocument.occurrences(inText: Fixtures.apple, from: wide.0, to: wide.1, floatingZone: "Europe/Amsterdam")
        #expect(apple.map(\.start) == [utc("2027-01-28T18:00:00Z"), utc("2027-01-29T08:00:00Z")])
    }

    @Test func onlyOccurrencesInsideTheRangeAreReturned() throws {
        let occurrences = try CalendarDocument(method: .request, events: [sampleEvent(rule: "FREQ=WEEKLY;COUNT=6")])
            .occurrences(from: utc("2027-03-20T00:00:00Z"), to: utc("2027-04-01T00:00:00Z"), floatingZone: "UTC")
        #expect(occurrences.count == 2)
    }

    @Test func aRuleWithoutAnEndStopsAtTheRange() throws {
        let occurrences = try CalendarDocument(method: .publish, events: [sampleEvent(rule: "FREQ=DAILY")])
            .occurrences(from: wide.0, to: utc("2027-04-09T00:00:00Z"), floatingZone: "UTC")
        #expect(occurrences.count == 31)
    }
}
