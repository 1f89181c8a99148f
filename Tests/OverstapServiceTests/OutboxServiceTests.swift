import Foundation
import ICalendar
import Mail
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Synchronization
import Testing

/// A transport that answers from a script per recipient, for fault injection; everything else is delivered.
final class ScriptedTransport: MailTransport {
    enum Answer: Sendable {
        case deliver, postpone, noSuchMailbox, refuseMessage, refuseByPolicy, fail
    }

    private let answers: [String: Answer]
    private let sent = Mutex<[OutgoingMessage]>([])

    init(_ answers: [String: Answer] = [:]) {
        self.answers = answers
    }

    var messages: [OutgoingMessage] { sent.withLock { $0 } }

    func send(_ message: OutgoingMessage) async throws(MailTransportError) -> DeliveryOutcome {
        switch answers[message.recipient] ?? .deliver {
        case .deliver:
            sent.withLock { $0.append(message) }
            return .delivered(MailReply(code: 250))
        case .postpone: return .deferred(MailReply(code: 450, enhancedCode: "4.2.0", lines: ["mailbox busy"]))
        case .noSuchMailbox: return .undeliverable(MailReply(code: 550, enhancedCode: "5.1.1", lines: ["no such user"]))
        case .refuseMessage: return .rejected(MailReply(code: 552, enhancedCode: "5.3.4", lines: ["message too big"]))
        case .refuseByPolicy: return .deferred(MailReply(code: 550, enhancedCode: "5.7.1", lines: ["Relaying denied"]))
        case .fail: throw MailTransportError(reason: "cannot connect to smtp.example.org:587")
        }
    }

    func close() async {}
}

struct OutboxServiceTests {
    static let workers = """
        email,name,sector,targets,region,languages,availability,status,locale
        anouk@example.org,Anouk de Vries,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,nl
        bram@example.org,Bram,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,en
        cor@example.org,Cor,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk,nl

        """

    /// One online session (id 1) with all three workers selected.
    func fixture() async throws -> ServiceFixture {
        let fixture = try await ServiceFixture()
        _ = try await fixture.service.createSession(SessionOptions.fixture())
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", Self.workers), dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        return fixture
    }

    func states(_ fixture: ServiceFixture) async throws -> [String: EnrollmentState] {
        Dictionary(uniqueKeysWithValues: try await fixture.service.session(id: 1).enrollments.map { ($0.email, $0.enrollment.state) })
    }

    func calendar(_ message: OutgoingMessage) throws -> CalendarDocument {
        let text = String(decoding: message.data, as: UTF8.self)
        let body = try #require(text.components(separatedBy: "Content-Type: application/ics").last?.components(separatedBy: "\r\n\r\n").dropFirst().first)
        let base64 = body.components(separatedBy: "\r\n--").first?.replacingOccurrences(of: "\r\n", with: "") ?? ""
        let ics = String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
        return try CalendarDocument.parse(ics)
    }

    @Test func invitationsGoOutOncePerPersonWithOnlyThatPersonAsAttendee() async throws {
        let fixture = try await fixture()
        #expect(try await fixture.service.invite(sessionID: nil, hold: false) == 3)
        #expect(try await fixture.service.invite(sessionID: nil, hold: false) == 0)
        await #expect(try states(fixture).values.allSatisfy { $0 == .invited })
        let transport = ScriptedTransport()
        let report = try await fixture.service.sendDue(through: transport)
        #expect((report.sent, report.deferred, report.failed, report.transportFailure) == (3, 0, 0, nil))
        #expect(Set(transport.messages.map(\.recipient)) == ["anouk@example.org", "bram@example.org", "cor@example.org"])
        for message in transport.messages {
            let document = try calendar(message)
            #expect(document.method == .request)
            #expect(document.events.first?.attendees.map(\.address.email) == [message.recipient])
            #expect(document.events.first?.sequence == 0)
        }
        let english = try #require(transport.messages.first { $0.recipient == "bram@example.org" })
        #expect(String(decoding: english.data, as: UTF8.self).contains("Subject: Invitation: Van keuken naar zorg on 2 February 2027"))
        #expect(try await fixture.service.sendDue(through: transport).sent == 0)
        #expect(try await fixture.service.outbox(state: .sent).count == 3)
        #expect(try await fixture.service.outbox(state: .pending, kind: .reminder).count == 6, "a day and two hours before, for three people")
    }

    @Test func aMovedSessionSendsUpdatesAndACancelledOneCancellations() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport())
        var moved = SessionOptions()
        moved.start = "2027-02-09 19:00"
        _ = try await fixture.service.updateSession(id: 1, moved)
        let updates = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: updates).sent == 3)
        #expect(try updates.messages.allSatisfy { try calendar($0).events.first?.sequence == 1 })
        _ = try await fixture.service.cancelSession(id: 1, reason: "Te weinig aanmeldingen")
        let cancellations = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: cancellations).sent == 3)
        for message in cancellations.messages {
            let document = try calendar(message)
            #expect(document.method == .cancel && document.events.first?.status == "CANCELLED" && document.events.first?.sequence == 2)
        }
    }

    @Test func nothingLeavesForAnInvitationCancelledBeforeItWasSent() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.cancelSession(id: 1, reason: nil)
        let transport = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: transport).sent == 0)
        #expect(try await fixture.service.outbox(state: .superseded, kind: .invitation).count == 3)
    }

    @Test func heldInvitationsWaitUntilReleasedAndCanBeReadFirst() async throws {
        let fixture = try await fixture()
        #expect(try await fixture.service.invite(sessionID: 1, hold: true) == 3)
        let transport = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: transport).sent == 0)
        let held = try await fixture.service.outbox(state: .held, kind: .invitation)
        let shown = try await fixture.service.outboxMessage(id: try #require(held.first?.id))
        #expect(shown.draft.subject.hasPrefix("Uitnodiging: Van keuken naar zorg") || shown.draft.subject.hasPrefix("Invitation:"))
        #expect(shown.draft.text.contains("https://meet.example.org/abc"))
        #expect(try await fixture.service.releaseHeld(ids: [held[0].id!], sessionID: nil) == 1)
        #expect(try await fixture.service.sendDue(through: transport).sent == 1)
        #expect(try await fixture.service.releaseHeld(ids: [], sessionID: 1) == 8, "two invitations and all six reminders")
        #expect(try await fixture.service.sendDue(through: transport).sent == 2)
    }

    @Test func aMailboxThatDoesNotExistFailsForGoodAndFreesTheSeat() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let report = try await fixture.service.sendDue(through: ScriptedTransport(["cor@example.org": .noSuchMailbox]))
        #expect(report.sent == 2 && report.failed == 1)
        await #expect(try states(fixture)["cor@example.org"] == .cancelled)
        #expect(try await fixture.service.session(id: 1).session.seatsTaken == 2)
        #expect(try await fixture.service.workers().first { $0.email == "cor@example.org" }?.undeliverableSince == ServiceFixture.now)
        let failed = try await fixture.service.outbox(state: .failed, kind: .invitation)
        #expect(failed.map(\.lastError) == ["550 5.1.1 no such user"])
        let rematch = try await fixture.service.match(.init(), commit: false)
        #expect(rematch.outcome.unplaced.contains { rematch.run.workers[$0.worker].email == "cor@example.org" && $0.reason == .undeliverable })
    }

    @Test func aDeferredMessageWaitsWithBackOff() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let report = try await fixture.service.sendDue(through: ScriptedTransport(["anouk@example.org": .postpone]))
        #expect(report.deferred == 1 && report.sent == 2)
        let waiting = try #require(try await fixture.service.outbox(state: .pending, kind: .invitation).first)
        #expect(waiting.attempts == 1 && waiting.nextAttemptAt == ServiceFixture.now.addingTimeInterval(60))
        #expect(waiting.lastError == "450 4.2.0 mailbox busy")
        #expect(try await fixture.service.sendDue(through: ScriptedTransport()).sent == 0, "not due yet")
    }

    @Test func aTransportFailureKeepsEverythingPendingWithTheSameMessageID() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let before = Set(try await fixture.service.outbox(state: .pending, kind: .invitation).map(\.messageID))
        let down = ScriptedTransport(["anouk@example.org": .fail, "bram@example.org": .fail, "cor@example.org": .fail])
        let report = try await fixture.service.sendDue(through: down)
        #expect(report.transportFailure == "cannot connect to smtp.example.org:587" && report.sent == 0)
        #expect(Set(try await fixture.service.outbox(state: .pending, kind: .invitation).map(\.messageID)) == before)
        let back = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: back).sent == 3)
        #expect(Set(back.messages.map(\.messageID)) == before)
    }

    @Test func aDeadSendersClaimIsTakenOverAndALiveOnesIsLeftAlone() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let messages = try await fixture.service.outbox(state: .pending, kind: .invitation)
        let host = ProcessInfo.processInfo.hostName
        try await fixture.service.store.write { tx in
            let until = ServiceFixture.now.addingTimeInterval(300)
            try await tx.record(try OutboxLifecycle.apply(.claimed(owner: "\(host)/999999/deadbeef", until: until), to: messages[0]))
            try await tx.record(try OutboxLifecycle.apply(.claimed(owner: "\(host)/1/otherrun", until: until), to: messages[1]))
        }
        let transport = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: transport).sent == 2)
        #expect(!transport.messages.contains { $0.messageID == messages[1].messageID })
    }

    @Test func removingAPersonSendsTheirCancellationThenErasesEveryTrace() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let files = FileTransport(directory: fixture.mailFolder)
        #expect(try await fixture.service.sendDue(through: files).sent == 3)
        let removal = ScriptedTransport()
        try await fixture.service.removeWorker(email: "anouk@example.org", transport: removal)
        #expect(removal.messages.map(\.recipient) == ["anouk@example.org"])
        #expect(try removal.messages.map { try calendar($0).method } == [.cancel])
        let left = try FileManager.default.contentsOfDirectory(atPath: fixture.mailFolder).filter { $0.hasSuffix(".eml") }
        #expect(left.count == 2)
        for name in left {
            #expect(!(try String(contentsOfFile: fixture.mailFolder + "/" + name, encoding: .utf8)).contains("anouk@example.org"))
        }
        #expect(try await fixture.service.outbox(state: nil).allSatisfy { $0.recipient != "anouk@example.org" })
        #expect(try !fixture.database.holds("anouk@example.org"))
    }

    @Test func removingAPersonWhileMailCannotLeaveErasesNothing() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport())
        await #expect(throws: MailUnavailableError.self) {
            try await fixture.service.removeWorker(email: "anouk@example.org", transport: ScriptedTransport(["anouk@example.org": .fail]))
        }
        #expect(try await fixture.service.workers().contains { $0.email == "anouk@example.org" })
    }

    @Test func aRefusedMessageFailsButThePersonKeepsTheSeatUnflagged() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let report = try await fixture.service.sendDue(through: ScriptedTransport(["cor@example.org": .refuseMessage]))
        #expect(report.sent == 2 && report.failed == 1)
        await #expect(try states(fixture)["cor@example.org"] == .invited)
        #expect(try await fixture.service.session(id: 1).session.seatsTaken == 3)
        #expect(try await fixture.service.workers().allSatisfy { $0.undeliverableSince == nil })
        #expect(try await fixture.service.outbox(state: .failed, kind: .invitation).map(\.lastError) == ["552 5.3.4 message too big"])
    }

    @Test func aPolicyRefusalDefersTheMessageAndFlagsNobody() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let everyone = ["anouk@example.org", "bram@example.org", "cor@example.org"]
        let report = try await fixture.service.sendDue(
            through: ScriptedTransport(Dictionary(uniqueKeysWithValues: everyone.map { ($0, .refuseByPolicy) })))
        #expect((report.sent, report.deferred, report.failed) == (0, 3, 0))
        await #expect(try states(fixture).values.allSatisfy { $0 == .invited })
        #expect(try await fixture.service.workers().allSatisfy { $0.undeliverableSince == nil })
        #expect(try await fixture.service.outbox(state: .pending, kind: .invitation).count == 3)
    }

    @Test func aRetryOfAnInvitationWhoseSeatIsGoneIsRefusedWithTheReason() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport(["cor@example.org": .noSuchMailbox]))
        let failed = try #require(try await fixture.service.outbox(state: .failed, kind: .invitation).first?.id)
        await #expect(try states(fixture)["cor@example.org"] == .cancelled)
        await #expect {
            try await fixture.service.retry(id: failed)
        } throws: { "\($0)".contains("an invitation for an enrollment that is cancelled, so it would offer a seat that does not exist") }
        #expect(try await fixture.service.outbox(state: .failed, kind: .invitation).count == 1)
    }

    @Test func theUndeliverableFlagSurvivesAReImportAndIsClearedOnlyOnPurpose() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport(["cor@example.org": .noSuchMailbox, "bram@example.org": .noSuchMailbox]))
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("again.csv", Self.workers), dryRun: false)
        let flagged = { try await fixture.service.workers().filter { $0.undeliverableSince != nil }.map(\.email) }
        await #expect(try flagged() == ["bram@example.org", "cor@example.org"])
        #expect(try await fixture.service.markDeliverable(email: "COR@example.org"))
        await #expect(try !fixture.service.markDeliverable(email: "cor@example.org"), "a second clear changes nothing")
        await #expect(try flagged() == ["bram@example.org"])
        #expect(try await fixture.service.markDeliverable(flaggedSince: "2027-01-10 09:01", place: "--since").isEmpty)
        #expect(try await fixture.service.markDeliverable(flaggedSince: "2027-01-10 09:00", place: "--since") == ["bram@example.org"])
        await #expect(try flagged().isEmpty)
    }

    @Test func aFailedMessageCanBeRetriedAndThenGoesOut() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport(["cor@example.org": .refuseMessage]))
        let failed = try #require(try await fixture.service.outbox(state: .failed, kind: .invitation).first?.id)
        let sent = try #require(try await fixture.service.outbox(state: .sent).first?.id)
        await #expect(throws: InputError.self) { try await fixture.service.retry(id: sent) }
        try await fixture.service.retry(id: failed)
        let transport = ScriptedTransport()
        #expect(try await fixture.service.sendDue(through: transport).sent == 1)
        #expect(transport.messages.map(\.recipient) == ["cor@example.org"])
    }

    @Test func missingTemplatesStopTheSendNamingThePathAndLoseNothing() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        let transport = ScriptedTransport()
        let service = try OverstapService.open(
            settings: try await ConfigLoader().load(
                configFile: Repository.configFile,
                overrides: [
                    "database.url": fixture.database.url,
                    "templates.path": fixture.directory.file("nowhere"),
                ],
                environment: [:]
            ).settings, clock: .fixed(ServiceFixture.now))
        await #expect {
            try await service.sendDue(through: transport)
        } throws: { "\($0)".contains("nowhere/email/nl/invitation.subject.mustache: cannot be read") }
        #expect(transport.messages.isEmpty)
        #expect(try await fixture.service.outbox(state: .pending, kind: .invitation).count == 3, "the claim was given back")
        #expect(try await fixture.service.sendDue(through: transport).sent == 3)
    }

    @Test func aPersonTakenOutOfARunningSessionIsToldTheirPlaceIsWithdrawn() async throws {
        let fixture = try await fixture()
        _ = try await fixture.service.invite(sessionID: 1, hold: false)
        _ = try await fixture.service.sendDue(through: ScriptedTransport())
        let removal = ScriptedTransport()
        try await fixture.service.removeWorker(email: "bram@example.org", transport: removal)
        let cancellation = try #require(removal.messages.first)
        let event = try #require(try calendar(cancellation).events.first)
        #expect(event.description == "You are no longer taking part in this session; the appointment is withdrawn.")
    }
}
