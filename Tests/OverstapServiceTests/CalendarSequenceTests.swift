import Foundation
import ICalendar
import Mail
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

@testable import OverstapService

/// A calendar client drops a REQUEST older than the entry it holds, so no message on a session's
/// UID may carry a lower SEQUENCE than the last one that person received.
struct CalendarSequenceTests {
    static let secret = "test-secret-that-is-long-enough-0123456789"
    let outbox = OutboxServiceTests()

    /// The answer token of one participant of session 1.
    func token(_ fixture: ServiceFixture, _ email: String) async throws -> String {
        let row = try #require(try await fixture.service.session(id: 1).enrollments.first { $0.email == email })
        let id = try #require(row.enrollment.id)
        let link = try #require(try fixture.service.answerLink(enrollmentID: id))
        return String(link.split(separator: "/").last ?? "")
    }

    /// Sends what is due and returns Anouk's calendar messages as (METHOD, SEQUENCE).
    func sent(_ fixture: ServiceFixture) async throws -> [(CalendarMethod?, Int?)] {
        let transport = ScriptedTransport()
        _ = try await fixture.service.sendDue(through: transport)
        return try transport.messages.filter { $0.recipient == "anouk@example.org" && $0.data.count > 0 }.compactMap { message in
            guard String(decoding: message.data, as: UTF8.self).contains("application/ics") else { return nil }
            let event = try outbox.calendar(message)
            return (event.method, event.events.first?.sequence)
        }
    }

    func fixture() async throws -> ServiceFixture {
        let fixture = try await ServiceFixture(overrides: ["rsvp.secret": Self.secret])
        _ = try await fixture.service.createSession(SessionOptions.fixture())
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", OutboxServiceTests.workers), dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        return fixture
    }

    @Test func acceptingAfterADeclineOutranksTheCancellation() async throws {
        let fixture = try await fixture()
        #expect(try await sent(fixture).map(\.1) == [0])
        let token = try await token(fixture, "anouk@example.org")
        _ = try await fixture.service.answer(token: token, .decline)
        let cancel = try await sent(fixture)
        #expect(cancel.map(\.0) == [.cancel] && cancel.map(\.1) == [1])
        _ = try await fixture.service.answer(token: token, .accept)
        let again = try await sent(fixture)
        #expect(again.map(\.0) == [.request] && again.map(\.1) == [2], "a REQUEST at SEQUENCE 0 would be dropped by her calendar")
    }

    @Test func aSequenceRenderedEarlierInTheSameSendOutranksTheRecordedOne() async throws {
        let fixture = try await fixture()
        #expect(try await sent(fixture).map(\.1) == [0])
        let row = try #require(try await fixture.service.session(id: 1).enrollments.first { $0.email == "anouk@example.org" })
        let workerID = row.enrollment.workerID
        let sequences = ComposedSequences()
        let (recorded, rendered) = try await fixture.service.store.read { tx in
            let source = MailSource(tx, renderer: try await fixture.service.calendarRenderer(tx), sequences: sequences)
            let recorded = try await source.sentSequence(sessionID: 1, workerID: workerID)
            // The CANCEL rendered a moment ago is not recorded until its batch is.
            source.composed(SentSequence(sequence: 1, wasCancel: true), sessionID: 1, workerID: workerID)
            return (recorded, try await source.sentSequence(sessionID: 1, workerID: workerID))
        }
        #expect(recorded == SentSequence(sequence: 0, wasCancel: false))
        #expect(rendered == SentSequence(sequence: 1, wasCancel: true), "the next message to her counts from the CANCEL")
    }

    @Test func aChangeAfterTheCancellationStillCountsFromWhatSheReceived() async throws {
        let fixture = try await fixture()
        _ = try await sent(fixture)
        let token = try await token(fixture, "anouk@example.org")
        _ = try await fixture.service.answer(token: token, .decline)
        _ = try await sent(fixture)
        var moved = SessionOptions()
        moved.start = "2027-02-09 19:00"
        _ = try await fixture.service.updateSession(id: 1, moved)
        #expect(try await sent(fixture).isEmpty, "she declined: no update for her")
        _ = try await fixture.service.answer(token: token, .accept)
        #expect(try await sent(fixture).map(\.1) == [2])
        _ = try await fixture.service.answer(token: token, .decline)
        #expect(try await sent(fixture).map(\.1) == [3])
        _ = try await fixture.service.answer(token: token, .accept)
        #expect(try await sent(fixture).map(\.1) == [4])
    }

    @Test func peopleWhoNeverLeftFollowTheSessionsOwnSequence() async throws {
        let fixture = try await fixture()
        _ = try await sent(fixture)
        var moved = SessionOptions()
        moved.start = "2027-02-09 19:00"
        _ = try await fixture.service.updateSession(id: 1, moved)
        #expect(try await sent(fixture).map(\.1) == [1])
        _ = try await fixture.service.cancelSession(id: 1, reason: nil)
        #expect(try await sent(fixture).map(\.1) == [2])
    }

    @Test func acceptingAfterTheAnswerDeadlineOutranksTheCancellationItBrought() async throws {
        let fixture = try await fixture()
        #expect(try await sent(fixture).map(\.1) == [0])
        let row = try #require(try await fixture.service.session(id: 1).enrollments.first { $0.email == "anouk@example.org" })
        _ = try await fixture.service.store.write { tx in
            try await fixture.service.applyLifecycle(.deadlinePassed, to: row.enrollment, tx)
        }
        let expired = try await sent(fixture)
        #expect(expired.map(\.0) == [.cancel] && expired.map(\.1) == [1])
        _ = try await fixture.service.answer(token: try await token(fixture, "anouk@example.org"), .accept)
        #expect(try await sent(fixture).map(\.1) == [2])
    }
}
