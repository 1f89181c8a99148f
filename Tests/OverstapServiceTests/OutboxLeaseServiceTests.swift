import Foundation
import Mail
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Synchronization
import Testing

/// A transport standing in for a slow mail server while another daemon works on the same
/// database: `duringFirstSend` runs (once) before the first message is accepted.
final class SlowServerTransport: MailTransport {
    private let duringFirstSend: @Sendable (OutgoingMessage) async -> Void
    private let started = Mutex(false)
    private let sent = Mutex<[String]>([])

    init(duringFirstSend: @escaping @Sendable (OutgoingMessage) async -> Void) {
        self.duringFirstSend = duringFirstSend
    }

    var messageIDs: [String] { sent.withLock { $0 } }

    func send(_ message: OutgoingMessage) async throws(MailTransportError) -> DeliveryOutcome {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        if first { await duringFirstSend(message) }
        sent.withLock { $0.append(message.messageID) }
        return .delivered(MailReply(code: 250))
    }

    func close() async {}
}

/// `sendDue` across processes: it renews its leases while the server is slow, and an outcome
/// arriving after another daemon took a message over is left to that daemon.
struct OutboxLeaseServiceTests {
    /// One session with three invitations due.
    func invited() async throws -> ServiceFixture {
        let fixture = try await ServiceFixture()
        _ = try await fixture.service.createSession(SessionOptions.fixture())
        _ = try await fixture.service.importWorkers(path: try fixture.directory.write("w.csv", OutboxServiceTests.workers), dryRun: false)
        _ = try await fixture.service.match(.init(), commit: true)
        #expect(try await fixture.service.invite(sessionID: nil, hold: false) == 3)
        return fixture
    }

    func sending(_ store: any OverstapStore) async throws -> [OutboxMessage] {
        try await store.read { try await $0.outbox(OutboxFilter(state: .sending)) }
    }

    @Test func aLateOutcomeAfterATakeOverIsNotStoredAndIsReported() async throws {
        let fixture = try await invited()
        var service = fixture.service
        service.outboxLease = 0.3
        let other = "other-host/4242/takeover"
        let store = service.store
        let transport = SlowServerTransport { _ in
            // The other daemon claims after this one's lease lapsed (its clock a second later).
            _ = try? await store.claimOutbox(
                owner: other, lease: 300, now: ServiceFixture.now.addingTimeInterval(1), limit: 10, workerID: nil, ownerIsGone: { _ in false })
        }

        let report = try await service.sendDue(through: transport)

        #expect(report.lost == 3)
        #expect(transport.messageIDs.count == 3, "the mail did leave; the new owner sends it again with the same Message-ID")
        let taken = try await sending(store)
        #expect(taken.count == 3 && taken.allSatisfy { $0.leaseOwner == other }, "the new owner's claim stands")
    }

    @Test func leasesAreRenewedWhileTheServerIsSlow() async throws {
        let fixture = try await invited()
        let start = Date()
        var service = OverstapService(
            store: fixture.service.store, settings: fixture.service.settings, catalogues: fixture.service.catalogues,
            clock: TimeSource { ServiceFixture.now.addingTimeInterval(Date().timeIntervalSince(start)) })
        service.outboxLease = 0.6
        let store = service.store
        let renewed = Mutex(false)
        let transport = SlowServerTransport { message in
            guard let claimed = try? await store.read({ try await $0.outbox(OutboxFilter(state: .sending)) })
                .first(where: { $0.messageID == message.messageID })?.leaseUntil
            else { return }
            // Waits (bounded) until the lease moves past the one the claim set.
            for _ in 0..<100 {
                try? await Task.sleep(for: .milliseconds(50))
                let current = try? await store.read { try await $0.outbox(OutboxFilter(state: .sending)) }
                    .first(where: { $0.messageID == message.messageID })?.leaseUntil
                if let current, current > claimed {
                    renewed.withLock { $0 = true }
                    return
                }
            }
        }

        let report = try await service.sendDue(through: transport)

        #expect(renewed.withLock { $0 }, "the lease was renewed while the first message was on the wire")
        #expect(report.sent == 3 && report.lost == 0)
    }
}
