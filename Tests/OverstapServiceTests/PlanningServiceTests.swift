import Foundation
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

struct PlanningServiceTests {
    /// An Outlook export: a meeting Tuesday 12 January 18:00–19:00, a free (transparent) event,
    /// a cancelled one and a two-week Thursday-morning series, all in a Windows zone name.
    static let outlookExport = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r
        BEGIN:VEVENT\r
        UID:busy-1\r
        DTSTAMP:20270101T000000Z\r
        DTSTART;TZID=W. Europe Standard Time:20270112T180000\r
        DTEND;TZID=W. Europe Standard Time:20270112T190000\r
        SUMMARY:Teamoverleg\r
        X-MS-OLK-CONFTYPE:0\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:free-1\r
        DTSTAMP:20270101T000000Z\r
        DTSTART;TZID=W. Europe Standard Time:20270112T200000\r
        DTEND;TZID=W. Europe Standard Time:20270112T210000\r
        SUMMARY:Misschien\r
        TRANSP:TRANSPARENT\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:cancelled-1\r
        DTSTAMP:20270101T000000Z\r
        DTSTART;TZID=W. Europe Standard Time:20270113T180000\r
        DTEND;TZID=W. Europe Standard Time:20270113T200000\r
        STATUS:CANCELLED\r
        SUMMARY:Gaat niet door\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:series-1\r
        DTSTAMP:20270101T000000Z\r
        DTSTART;TZID=W. Europe Standard Time:20270114T100000\r
        DTEND;TZID=W. Europe Standard Time:20270114T120000\r
        RRULE:FREQ=WEEKLY;COUNT=2\r
        SUMMARY:Lesgeven\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    /// Two workers free on Tuesday evenings, one on Thursday mornings, one already placed elsewhere.
    static let workers = """
        email,name,sector,targets,region,languages,availability,status
        a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
        b@example.org,B,detailhandel,zorg,rijnmond,nl,di 18:00-22:00,at_risk
        c@example.org,C,horeca,zorg,midden-utrecht,nl,do 09:00-12:00,unemployed
        d@example.org,D,horeca,ict,midden-utrecht,nl,di 18:00-22:00,unemployed

        """

    func fixture() async throws -> ServiceFixture {
        let fixture = try await ServiceFixture()
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", Self.workers), dryRun: false)
        return fixture
    }

    func suggestion(_ fixture: ServiceFixture, change: (inout OverstapService.SuggestOptions) -> Void = { _ in }) async throws
        -> [(start: String, available: Int)]
    {
        var options = OverstapService.SuggestOptions(partner: "roc", sector: "zorg", duration: "90m", between: "2027-01-11..2027-01-15")
        options.online = true
        options.audience = ["horeca"]
        change(&options)
        return try await fixture.service.suggestSlots(options).map { ("\($0.start)", $0.available) }
    }

    @Test func busyImportKeepsOnlyEventsThatMakeThePartnerBusyAndReplacesTheLastImport() async throws {
        let fixture = try await fixture()
        let file = try fixture.directory.write("roc.ics", Self.outlookExport)
        for _ in 1...2 {
            let imported = try await fixture.service.importBusy(partner: "roc", path: file)
            #expect((imported.periods, imported.skipped) == (3, 2))
        }
        let periods = try await fixture.service.store.read { tx in
            try await tx.busyPeriods(partner: "roc", from: ServiceFixture.now, to: ServiceFixture.now.addingTimeInterval(30 * 86_400))
        }
        #expect(periods.map(\.start) == [
            Date(timeIntervalSince1970: 1_799_773_200),  // 2027-01-12T17:00:00Z
            Date(timeIntervalSince1970: 1_799_917_200),  // 2027-01-14T09:00:00Z
            Date(timeIntervalSince1970: 1_800_522_000),  // 2027-01-21T09:00:00Z
        ])
    }

    @Test func aBrokenExportNamesItsLineAndKeepsThePreviousImport() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.importBusy(partner: "roc", path: try fixture.directory.write("roc.ics", Self.outlookExport))
        let broken = try fixture.directory.write("broken.ics", Self.outlookExport.replacingOccurrences(of: "END:VCALENDAR\r\n", with: ""))
        await #expect { try await fixture.service.importBusy(partner: "roc", path: broken) } throws: { "\($0)".contains("broken.ics:") }
        await #expect { try await fixture.service.importBusy(partner: "nope", path: broken) } throws: { _ in true }
        let kept = try await fixture.service.store.read { tx in
            try await tx.busyPeriods(partner: "roc", from: ServiceFixture.now, to: ServiceFixture.now.addingTimeInterval(30 * 86_400))
        }
        #expect(kept.count == 3)
    }

    @Test func suggestionsRankByWorkersWhoCanComeThenByTime() async throws {
        let fixture = try await fixture()
        let ranked = try await suggestion(fixture)
        #expect(ranked.map(\.start) == ["2027-01-12 18:00", "2027-01-12 18:30", "2027-01-12 19:00", "2027-01-12 19:30", "2027-01-14 09:00"])
        #expect(ranked.map(\.available) == [2, 2, 2, 2, 1])
        let onSite = try await suggestion(fixture) { $0.online = false; $0.region = "midden-utrecht" }
        #expect(onSite.prefix(2).map(\.available) == [1, 1])
        let details = try await fixture.service.suggestSlots(.init(partner: "roc", sector: "zorg", duration: "90m", between: "2027-01-12..2027-01-12"))
        #expect(details.first.map { ($0.unemployed, $0.atRisk, $0.tailored) } ?? (0, 0, 0) == (1, 0, 0))
    }

    @Test func busyTimesAndThePartnersOwnSessionsAreSkipped() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.importBusy(partner: "roc", path: try fixture.directory.write("roc.ics", Self.outlookExport))
        var options = SessionOptions.fixture()
        options.start = "2027-01-12 20:30"
        options.duration = "60m"
        _ = try await fixture.service.createSession(options)
        let ranked = try await suggestion(fixture)
        // 18:00 and 18:30 overlap the meeting until 19:00; 19:30 and later run into the session at 20:30;
        // every Thursday start between 09:00 and 10:30 overlaps the lessons from 10:00.
        #expect(ranked.first.map { ($0.start, $0.available) } ?? ("", 0) == ("2027-01-12 19:00", 2))
        #expect(ranked.dropFirst().allSatisfy { $0.available == 0 })
    }

    @Test func workersAlreadyPlacedInAnUpcomingSessionDoNotCount() async throws {
        let fixture = try await fixture()
        let other = try await fixture.service.createSession(SessionOptions.fixture())
        let a = try #require(try await fixture.service.workers().first { $0.email == "a@example.org" }?.id)
        try await fixture.service.store.write { tx in try await tx.enroll(sessionID: other.id, workerID: a, as: .invited, now: ServiceFixture.now) }
        await #expect(try suggestion(fixture).first?.available == 1)
    }

    @Test func aSeriesMustFitEveryMeetingAndSkipsStartsInTheDSTGap() async throws {
        let fixture = try await fixture()
        let series = try await suggestion(fixture) { $0.repeatRule = "FREQ=WEEKLY;COUNT=2" }
        #expect(series.first.map { ($0.start, $0.available) } ?? ("", 0) == ("2027-01-12 18:00", 2))
        let gapDay = try await suggestion(fixture) {
            $0.between = "2027-03-28..2027-03-28"
            $0.hours = "01:00-04:00"
            $0.duration = "30m"
            $0.top = 10
        }
        #expect(gapDay.map(\.start) == ["2027-03-28 01:00", "2027-03-28 01:30", "2027-03-28 03:00", "2027-03-28 03:30"])
    }

    @Test func badOptionsAreReportedTogether() async throws {
        let fixture = try await fixture()
        var options = OverstapService.SuggestOptions(partner: "roc", sector: "kunst", duration: "ninety", between: "2027-01-15..2027-01-11")
        options.hours = "21:00-09:00"
        options.top = 0
        await #expect {
            try await fixture.service.suggestSlots(options)
        } throws: { error in
            let text = "\(error)"
            return ["--sector", "--duration", "--between", "--hours", "--top"].allSatisfy(text.contains)
        }
    }

    @Test func creatingASessionWhenThePartnerIsBusyNeedsForce() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.importBusy(partner: "roc", path: try fixture.directory.write("roc.ics", Self.outlookExport))
        var options = SessionOptions.fixture()
        options.start = "2027-01-12 18:30"
        await #expect { try await fixture.service.createSession(options) } throws: {
            "\($0)".contains("partner 'roc' is busy from 2027-01-12 18:00 to 2027-01-12 19:00") && "\($0)".contains("--force")
        }
        options.force = true
        let created = try await fixture.service.createSession(options)
        var retitled = SessionOptions()
        retitled.title = "Van keuken naar zorg (extra)"
        #expect(try await fixture.service.updateSession(id: created.id, retitled).session.title == "Van keuken naar zorg (extra)")
        var moved = SessionOptions()
        moved.start = "2027-01-14 10:00"
        await #expect(throws: InputError.self) { try await fixture.service.updateSession(id: created.id, moved) }
    }
}
