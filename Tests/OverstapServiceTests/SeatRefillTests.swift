import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

@testable import OverstapService

/// A freed seat goes to the waiting list in a step after the transaction that freed it.
struct SeatRefillTests {
    static let header = "email,name,sector,targets,region,languages,availability,status\n"

    /// One session of two seats with three fitting workers; matching placed two and invited them.
    func invitedSessionWithOneWaiting() async throws -> ServiceFixture {
        let fixture = try await placedSessionWithOneWaiting()
        _ = try await fixture.service.invite(sessionID: nil, hold: false)
        return fixture
    }

    /// The same session before anyone was invited: two placed (`selected`), one waiting.
    func placedSessionWithOneWaiting() async throws -> ServiceFixture {
        let fixture = try await ServiceFixture()
        var options = SessionOptions.fixture()
        options.capacity = 2
        _ = try await fixture.service.createSession(options)
        let file = try fixture.directory.write("w.csv", Self.header + """
            a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
            b@example.org,B,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
            c@example.org,C,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk

            """)
        _ = try await fixture.service.importWorkers(path: file, dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        return fixture
    }

    func states(_ fixture: ServiceFixture) async throws -> [String: EnrollmentState] {
        let rows = try await fixture.service.store.read { try await $0.enrollments(sessionID: 1) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.email, $0.enrollment.state) })
    }

    @Test func aFreedSeatIsFilledOnceHoweverOftenTheFollowUpRuns() async throws {
        let fixture = try await invitedSessionWithOneWaiting()
        let a = try #require(try await fixture.service.workers().first { $0.email == "a@example.org" }?.id)
        try await fixture.service.store.write { tx in
            let enrollment = try #require(try await tx.enrollment(sessionID: 1, workerID: a))
            try await fixture.service.applyLifecycle(.removedByOrganiser, to: enrollment, tx)
        }
        await #expect(try states(fixture)["c@example.org"] == nil, "nothing is refilled inside the transaction that freed the seat")

        try await fixture.service.refillFreedSeats()
        try await fixture.service.refillFreedSeats()

        await #expect(try states(fixture) == ["a@example.org": .cancelled, "b@example.org": .invited, "c@example.org": .invited])
        let invitations = try await fixture.service.outbox(state: .pending, kind: .invitation).filter { $0.recipient == "c@example.org" }
        #expect(invitations.count == 1)
    }

    @Test func aSeatFreedBeforeAnyInvitationWaitsForTheNextMatch() async throws {
        let fixture = try await placedSessionWithOneWaiting()
        let a = try #require(try await fixture.service.workers().first { $0.email == "a@example.org" }?.id)
        try await fixture.service.store.write { tx in
            let enrollment = try #require(try await tx.enrollment(sessionID: 1, workerID: a))
            try await fixture.service.applyLifecycle(.removedByOrganiser, to: enrollment, tx)
        }

        try await fixture.service.refillFreedSeats()

        await #expect(try states(fixture) == ["a@example.org": .cancelled, "b@example.org": .selected])
        await #expect(try fixture.service.outbox(state: nil).isEmpty, "nobody is invited before the organiser invites")
    }

    @Test func aSeatTakenMeanwhileIsNotGivenTwice() async throws {
        let fixture = try await invitedSessionWithOneWaiting()
        let workers = try await fixture.service.workers()
        let a = try #require(workers.first { $0.email == "a@example.org" }?.id)
        let c = try #require(workers.first { $0.email == "c@example.org" }?.id)
        try await fixture.service.store.write { tx in
            let enrollment = try #require(try await tx.enrollment(sessionID: 1, workerID: a))
            try await fixture.service.applyLifecycle(.removedByOrganiser, to: enrollment, tx)
            try await fixture.service.applyLifecycle(.placedByOrganiser(override: nil), sessionID: 1, workerID: c, from: nil, tx)
        }

        try await fixture.service.refillFreedSeats()

        let seats = try #require(try await fixture.service.store.read { try await $0.session(id: 1) })
        #expect(seats.seatsTaken == 2)
        await #expect(try states(fixture)["c@example.org"] == .selected)
    }

    @Test func anAnswerNeverWaitsForMatchingAndTheNoteOutlivesTheProcess() async throws {
        let fixture = try await invitedSessionWithOneWaiting()
        let settings = fixture.service.settings
        var answering = settings
        answering.rsvpSecret = CalendarSequenceTests.secret
        let web = OverstapService(store: fixture.service.store, settings: answering, catalogues: fixture.service.catalogues, clock: fixture.service.clock)
        let a = try #require(try await fixture.service.session(id: 1).enrollments.first { $0.email == "a@example.org" }?.enrollment.id)
        let token = String(try #require(try web.answerLink(enrollmentID: a)).split(separator: "/").last ?? "")

        _ = try await web.answer(token: token, .decline)
        await #expect(try states(fixture)["c@example.org"] == nil, "the answer returns before anyone is matched")
        #expect(try await fixture.service.store.read { try await $0.sessionsWithFreedSeats() } == [1])

        // Another process (the daemon after a restart, or outbox send) finds the note and fills the seat.
        let reopened = try OverstapService.open(settings: settings, clock: fixture.service.clock)
        _ = try await reopened.sendDue(through: ScriptedTransport())
        await #expect(try states(fixture)["c@example.org"] == .invited)
        #expect(try await fixture.service.store.read { try await $0.sessionsWithFreedSeats() }.isEmpty)
    }
}
