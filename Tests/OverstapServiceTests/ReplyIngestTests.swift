import Foundation
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

/// Calendar answers mailed to the team mailbox, as real clients write them (the fixtures in
/// Tests/Fixtures/Replies), change enrollments exactly as the answer links do.
struct ReplyIngestTests {
    static let workers = """
        email,name,sector,targets,region,languages,availability,status,locale
        anouk.jansen@example.nl,Anouk Jansen,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,nl
        bram.devries@gmail.com,Bram de Vries,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,nl
        fatima.elamrani@icloud.com,Fatima El Amrani,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,nl
        piet.bakker@posteo.nl,Piet Bakker,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,nl
        helene.bos@example.org,Hélène Bos,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk,nl
        jeroen.mulder@example.com,Jeroen Mulder,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk,nl
        sanne.visser@contoso-zorg.nl,Sanne Visser,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk,nl

        """

    /// A weekly series of six from 2 February 2027 with the fixtures' UID, everyone invited and
    /// sent SEQUENCE `sequence` (the session was changed that often since).
    static func fixture(capacity: Int = 20, sequence: Int = 2) async throws -> ServiceFixture {
        let fixture = try await ServiceFixture(overrides: ["rsvp.secret": CalendarSequenceTests.secret])
        var options = SessionOptions.fixture()
        options.repeatRule = "FREQ=WEEKLY;COUNT=6"
        options.capacity = capacity
        let id = try await fixture.service.createSession(options).id
        try await fixture.service.store.write { tx in
            guard var stored = try await tx.session(id: id) else { return }
            stored.session.uid = ReplyFixture.sessionUID
            try await tx.update(stored.session, startsAt: stored.startsAt, endsAt: stored.endsAt)
        }
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", workers), dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        _ = try await fixture.service.invite(sessionID: id, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport())
        for _ in 0..<sequence {
            var changed = SessionOptions()
            changed.description = "Versie \(UUID().uuidString.prefix(4))"
            _ = try await fixture.service.updateSession(id: id, changed)
        }
        _ = try await fixture.service.sendDue(through: ScriptedTransport())
        return fixture
    }

    func state(_ fixture: ServiceFixture, _ email: String) async throws -> EnrollmentState? {
        try await fixture.service.session(id: 1).enrollments.first { $0.email == email }?.enrollment.state
    }

    func ingest(_ fixture: ServiceFixture, _ reply: ReplyFixture) async throws -> OverstapService.ReplyIngestReport {
        try await fixture.service.ingestReply(try reply.bytes())
    }

    @Test func anOutlookAcceptWithoutOrganizerIsTakenLikeAnAnswerLink() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .outlookExchange2010Accept)
        #expect(report.replies.map(\.outcome) == [.applied])
        #expect(try await state(fixture, "anouk.jansen@example.nl") == .accepted)
        let again = try await ingest(fixture, .outlookExchange2010AcceptRedelivered)
        #expect(again.duplicate && again.replies.isEmpty, "the same Message-ID is handled once")
        #expect(try await fixture.service.replies(ReplyFilter()).count == 1)
    }

    @Test func aDeclineFreesTheSeatAndCancelsEvenForAnOlderSequence() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .microsoft365DeclineOlderSequence)
        #expect(report.replies.map(\.outcome) == [.applied])
        #expect(report.replies.first?.comment != nil, "the person's COMMENT is kept")
        #expect(try await state(fixture, "sanne.visser@contoso-zorg.nl") == .declined)
        let waiting = try await fixture.service.outbox(state: .pending, kind: .cancellation)
        #expect(waiting.map(\.recipient) == ["sanne.visser@contoso-zorg.nl"])
    }

    @Test func anAcceptOfAnOlderSequenceWaitsForTheOrganiser() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .gmailAcceptStaleSequence)
        #expect(report.replies.map(\.outcome) == [.needsReview])
        #expect(try await state(fixture, "bram.devries@gmail.com") == .invited)
        let id = try #require(report.replies.first?.id)
        let applied = try await fixture.service.applyReply(id: id, asWorker: nil)
        #expect(applied.outcome == .applied)
        #expect(try await state(fixture, "bram.devries@gmail.com") == .accepted)
        await #expect(throws: InputError.self) { try await fixture.service.dismissReply(id: id) }
    }

    @Test func anAliasIsNeverTakenForTheInvitedAddressUnlessTheOrganiserSaysSo() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .gmailAcceptDottedAlias)
        #expect(report.replies.map(\.outcome) == [.needsReview])
        let id = try #require(report.replies.first?.id)
        await #expect(throws: InputError.self) { try await fixture.service.applyReply(id: id, asWorker: nil) }
        _ = try await fixture.service.applyReply(id: id, asWorker: "bram.devries@gmail.com")
        #expect(try await state(fixture, "bram.devries@gmail.com") == .accepted)
    }

    @Test(arguments: [ReplyFixture.forgedDMARCFail, .forwardedAccept, .outlookDelegated])
    func doubtfulAnswersChangeNothingAndWaitForReview(reply: ReplyFixture) async throws {
        let fixture = try await Self.fixture()
        let before = try await fixture.service.session(id: 1).enrollments.map(\.enrollment.state)
        let report = try await ingest(fixture, reply)
        #expect(!report.replies.isEmpty && report.replies.allSatisfy { $0.outcome == .needsReview })
        #expect(try await fixture.service.session(id: 1).enrollments.map(\.enrollment.state) == before)
        let id = try #require(report.replies.first?.id)
        #expect(try await fixture.service.dismissReply(id: id).outcome == .dismissed)
        #expect(try await fixture.service.replies(ReplyFilter(outcome: .needsReview)).isEmpty)
    }

    @Test func aDeclineForOneMeetingKeepsTheSeatForTheSeries() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .thunderbirdDeclineOneMeeting)
        let reply = try #require(report.replies.first)
        #expect(reply.outcome == .applied && reply.recurrenceID == "2027-02-16T19:00" && reply.reason.contains("afgemeld"))
        #expect(try await state(fixture, "piet.bakker@posteo.nl") == .invited)
    }

    @Test func anAnswerWrittenBeforeTheOneTakenIsIgnored() async throws {
        let fixture = try await Self.fixture()
        _ = try await ingest(fixture, .thunderbirdOutOfOrder1Decline)
        let late = try await ingest(fixture, .thunderbirdOutOfOrder2AcceptWrittenEarlier)
        #expect(late.replies.map(\.outcome) == [.ignored])
        #expect(try await state(fixture, "piet.bakker@posteo.nl") == .declined)
    }

    @Test func anAcceptWhenTheSessionIsFullIsRefusedAndThePersonTold() async throws {
        let fixture = try await Self.fixture(capacity: 7)
        let token = try await CalendarSequenceTests().token(fixture, "anouk.jansen@example.nl")
        _ = try await fixture.service.answer(token: token, .decline)
        try await fixture.service.store.write { tx in
            guard var stored = try await tx.session(id: 1) else { return }
            stored.session.capacity = 6
            try await tx.update(stored.session, startsAt: stored.startsAt, endsAt: stored.endsAt)
        }
        let report = try await ingest(fixture, .outlookExchange2010Accept)
        #expect(report.replies.map(\.outcome) == [.refusedFull])
        #expect(try await state(fixture, "anouk.jansen@example.nl") == .declined)
        let told = try await fixture.service.outbox(state: .pending, kind: .seatTaken)
        #expect(told.map(\.recipient) == ["anouk.jansen@example.nl"])
    }

    @Test func aCounterProposalIsKeptWithItsTimeAndComment() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .outlookCounterWithComment)
        let reply = try #require(report.replies.first)
        #expect(reply.method == "COUNTER" && reply.outcome == .needsReview && reply.proposedStart != nil && reply.comment != nil)
        #expect(try await fixture.service.outbox(state: .pending).filter { $0.kind != .reminder }.isEmpty, "nothing is sent")
    }

    @Test func aQuestionWithoutCalendarIsOnlyCounted() async throws {
        let fixture = try await Self.fixture()
        let report = try await ingest(fixture, .questionNoCalendar)
        #expect(report.hadNoCalendar && report.replies.isEmpty)
        #expect(try await fixture.service.replies(ReplyFilter()).isEmpty)
    }

    @Test func erasingAPersonErasesTheirAnswers() async throws {
        let fixture = try await Self.fixture()
        _ = try await ingest(fixture, .gmailAcceptDottedAlias)
        _ = try await ingest(fixture, .outlookExchange2010Accept)
        try await fixture.service.removeWorker(email: "anouk.jansen@example.nl", transport: ScriptedTransport())
        #expect(try await fixture.service.replies(ReplyFilter()).map(\.attendee) == ["bramdevries@gmail.com"])
    }
}
