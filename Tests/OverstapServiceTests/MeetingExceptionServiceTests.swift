import Foundation
import ICalendar
import Mail
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

/// One meeting of a series through the service: the SEQUENCE each person's calendar sees, the
/// partner notice as an outbox row that addresses a partner, and matching on the meetings as they now are.
struct MeetingExceptionServiceTests {
    static let workers = """
        email,name,sector,targets,region,languages,availability,status,locale
        anouk@example.org,Anouk de Vries,horeca,zorg,midden-utrecht,nl,ma 18:00-22:00,unemployed,nl
        bram@example.org,Bram,horeca,zorg,midden-utrecht,nl,ma 18:00-22:00,unemployed,en

        """
    let outbox = OutboxServiceTests()

    /// A weekly Monday series (session 1) from 11 January 2027, 34 hours after the fixture's
    /// clock, with both workers invited and their invitations sent.
    func fixture() async throws -> ServiceFixture {
        let fixture = try await ServiceFixture()
        var options = SessionOptions.fixture()
        options.start = "2027-01-11 19:00"
        options.repeatRule = "FREQ=WEEKLY;COUNT=4"
        _ = try await fixture.service.createSession(options)
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", Self.workers), dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport())
        return fixture
    }

    /// Anouk's calendar messages as the documents she receives.
    func sentToAnouk(_ fixture: ServiceFixture) async throws -> [CalendarDocument] {
        let transport = ScriptedTransport()
        _ = try await fixture.service.sendDue(through: transport)
        return try transport.messages.filter { $0.recipient == "anouk@example.org" }.map(outbox.calendar)
    }

    @Test func theCancelOfOneMeetingOutranksTheInvitationAndTheNextRequestCarriesItsExdate() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.cancelMeeting(id: 1, date: "2027-01-18", reason: nil)
        let cancel = try await sentToAnouk(fixture)
        #expect(cancel.map(\.method) == [.cancel])
        let instance = try #require(cancel.first?.events.first)
        #expect(instance.sequence == 1, "above the invitation's 0 she holds")
        #expect(instance.recurrenceID == .zoned(CalendarDateTime(year: 2027, month: 1, day: 18, hour: 19, minute: 0), tzid: "Europe/Amsterdam"))
        #expect(instance.recurrenceRule == nil && instance.status == "CANCELLED")

        var change = SessionOptions()
        change.title = "Van keuken naar zorg (nieuw)"
        _ = try await fixture.service.updateSession(id: 1, change)
        let update = try #require(try await sentToAnouk(fixture).first)
        #expect(update.method == .request)
        #expect(update.events.map(\.sequence) == [2])
        #expect(update.events[0].exceptionDates == [.zoned(CalendarDateTime(year: 2027, month: 1, day: 18, hour: 19, minute: 0), tzid: "Europe/Amsterdam")])
    }

    @Test func aBouncingPartnerNoticeFailsAloneAndCanBeRetried() async throws {
        let fixture = try await fixture()
        let change = try await fixture.service.cancelMeeting(id: 1, date: "2027-01-11", reason: "Storing")
        #expect(change.partnersTold == 1)
        #expect(change.session.startsAt == Date(timeIntervalSince1970: 1_800_295_200), "the series now starts on 18 January, 19:00")
        let report = try await fixture.service.sendDue(through: ScriptedTransport(["planning@roc.example.org": .noSuchMailbox]))
        #expect(report.sent == 2 && report.failed == 1)
        let failed = try await fixture.service.outbox(state: .failed, kind: .partnerNotice)
        #expect(failed.count == 1 && failed[0].workerID == nil && failed[0].partnerID != nil)
        #expect(try await fixture.service.workers().allSatisfy { $0.undeliverableSince == nil }, "a partner's address is no worker's")
        #expect(try await fixture.service.session(id: 1).enrollments.map(\.enrollment.state) == [.invited, .invited])

        try await fixture.service.retry(id: try #require(failed[0].id))
        let again = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: again).sent == 1)
        let mail = String(decoding: try #require(again.messages.first).data, as: UTF8.self)
        #expect(mail.contains("ROC Midden Nederland") && !mail.contains("text/calendar"), "plain mail to the partner, no calendar")
        #expect(again.messages.first?.recipient == "planning@roc.example.org")
    }

    @Test func theAnswerPageShowsTheMeetingsAsTheyNowAre() async throws {
        let fixture = try await ServiceFixture(overrides: ["rsvp.secret": CalendarSequenceTests.secret])
        var options = SessionOptions.fixture()
        options.start = "2027-01-11 19:00"
        options.repeatRule = "FREQ=WEEKLY;COUNT=4"
        _ = try await fixture.service.createSession(options)
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", Self.workers), dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.cancelMeeting(id: 1, date: "2027-01-11", reason: nil)
        _ = try await fixture.service.moveMeeting(id: 1, date: "2027-01-25", start: "2027-01-26 10:00", end: "2027-01-26 12:00", duration: nil)
        let token = try await CalendarSequenceTests().token(fixture, "anouk@example.org")
        let page = try #require(try await fixture.service.invitation(token: token))
        #expect(page.when == "maandag 18 januari 2027, 19:00–20:30")
        #expect(page.meetings == [
            "maandag 18 januari 2027, 19:00–20:30", "dinsdag 26 januari 2027, 10:00–12:00", "maandag 1 februari 2027, 19:00–20:30",
        ])
    }

    @Test func matchingReadsTheMeetingsAsTheyNowAre() async throws {
        let fixture = try await ServiceFixture()
        var options = SessionOptions.fixture()
        options.start = "2027-02-01 19:00"
        options.repeatRule = "FREQ=WEEKLY;COUNT=3"
        _ = try await fixture.service.createSession(options)
        let csv = ServiceFixture.csvHeader + """
            monday@example.org,Maandag,horeca,zorg,midden-utrecht,nl,ma 18:00-22:00,unemployed
            both@example.org,Beide,horeca,zorg,midden-utrecht,nl,ma 18:00-22:00|di 18:00-22:00,unemployed

            """
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", csv), dryRun: false)
        #expect(try await fixture.service.match(.init(), commit: false).outcome.assignments.count == 2)
        _ = try await fixture.service.moveMeeting(id: 1, date: "2027-02-08", start: "2027-02-09 19:00", end: nil, duration: nil)
        let report = try await fixture.service.match(.init(), commit: false)
        #expect(report.outcome.assignments.map { report.run.workers[$0.worker].email } == ["both@example.org"])
        #expect(report.outcome.unplaced.map { report.run.workers[$0.worker].email } == ["monday@example.org"])
        #expect(report.outcome.unplaced.map(\.reason) == [.availability])
    }
}
