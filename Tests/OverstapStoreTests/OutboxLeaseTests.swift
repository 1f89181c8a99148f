import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

/// Outbox leases as several senders on one database see them: a claim is what the lifecycle
/// decides, a live lease is left alone, a lapsed one is taken over, and only the owner stores
/// an outcome.
struct OutboxLeaseTests {
    let fixture: StoreFixture
    let session: Int64
    let worker: Int64

    static let first = "host-a/101/aaaa"
    static let second = "host-b/202/bbbb"

    init() async throws {
        fixture = try StoreFixture()
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        session = try await fixture.insert(StoreFixture.session("Zorg"))
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker("anouk@example.nl")], now: StoreFixture.now) }
        worker = try await fixture.workerID("anouk@example.nl")
    }

    /// Queues a pending message due at `due`.
    @discardableResult
    func queue(_ kind: OutboxKind = .invitation, due: Date = StoreFixture.now, messageID: String = UUID().uuidString) async throws -> Int64 {
        let message = OutboxMessage(
            kind: kind, sessionID: session, workerID: worker, recipient: "anouk@example.nl", messageID: messageID, held: false,
            dueAt: due, createdAt: StoreFixture.now)
        return try #require(try await fixture.store.write { try await $0.insert(message) })
    }

    func claim(_ owner: String, lease: TimeInterval = 300, at now: Date = StoreFixture.now, gone: Set<String> = []) async throws -> [OutboxMessage] {
        try await fixture.store.claimOutbox(owner: owner, lease: lease, now: now, limit: 10, workerID: nil, ownerIsGone: { gone.contains($0) })
    }

    func stored(_ id: Int64) async throws -> OutboxMessage {
        try #require(try await fixture.store.read { try await $0.outboxMessage(id: id) })
    }

    @Test func theClaimedRowsAreExactlyWhatTheLifecycleDecides() async throws {
        let due = try await queue()
        let later = try await queue(due: StoreFixture.now.addingTimeInterval(3_600))
        let before = try await stored(due)

        let claimed = try await claim(Self.first)

        #expect(claimed.map(\.id) == [due], "a message due later is not claimed")
        let after = try await stored(due)
        let leaseUntil = try #require(after.leaseUntil)
        #expect(after == (try OutboxLifecycle.apply(.claimed(owner: Self.first, until: leaseUntil), to: before)).message)
        #expect(claimed.first == after)
        #expect(try await stored(later).state == .pending)
    }

    @Test func aLiveLeaseOfAnotherSenderIsLeftAlone() async throws {
        let id = try await queue()
        _ = try await claim(Self.first)
        #expect(try await claim(Self.second, at: StoreFixture.now.addingTimeInterval(60)).isEmpty)
        #expect(try await stored(id).leaseOwner == Self.first)
    }

    @Test func aLapsedLeaseIsTakenOverByAnotherSender() async throws {
        let id = try await queue()
        _ = try await claim(Self.first, lease: 0)
        let taken = try await claim(Self.second, at: StoreFixture.now.addingTimeInterval(1))
        #expect(taken.map(\.id) == [id])
        #expect(try await stored(id).leaseOwner == Self.second)
    }

    @Test func aSenderNeverTakesOverWhatItHoldsItselfEvenAfterItsLeaseLapsed() async throws {
        let id = try await queue()
        _ = try await claim(Self.first, lease: 0)
        #expect(try await claim(Self.first, at: StoreFixture.now.addingTimeInterval(1)).isEmpty, "its earlier batch is still on the wire")
        #expect(try await claim(Self.second, at: StoreFixture.now.addingTimeInterval(1)).map(\.id) == [id])
    }

    @Test func aLeaseOfASenderKnownToBeGoneIsTakenOverAtOnce() async throws {
        let id = try await queue()
        _ = try await claim(Self.first)
        #expect(try await claim(Self.second, gone: [Self.first]).map(\.id) == [id])
    }

    @Test func theOldOwnersLateOutcomeIsNotStored() async throws {
        let id = try await queue()
        let mine = try #require(try await claim(Self.first, lease: 0).first)
        let theirs = try #require(try await claim(Self.second, at: StoreFixture.now.addingTimeInterval(1)).first)

        let late = try OutboxLifecycle.apply(.refused(reply: "550 5.1.1 no such user"), to: mine)
        #expect(try await fixture.store.write { try await $0.record(late) } == false)
        let after = try await stored(id)
        #expect(after.state == .sending && after.leaseOwner == Self.second)

        let outcome = try OutboxLifecycle.apply(.delivered(at: StoreFixture.now.addingTimeInterval(2)), to: theirs)
        #expect(try await fixture.store.write { try await $0.record(outcome) })
        #expect(try await stored(id).state == .sent)
    }

    @Test func aRenewalExtendsOnlyTheLeasesTheOwnerStillHolds() async throws {
        let kept = try await queue()
        let lost = try await queue()
        _ = try await claim(Self.first, lease: 0)
        try await fixture.store.write { tx in
            // The second sender takes over one message (its lease lapsed), the first keeps the other.
            let message = try #require(try await tx.outboxMessage(id: lost))
            #expect(try await tx.record(try OutboxLifecycle.apply(.claimed(owner: Self.second, until: StoreFixture.now), to: message)))
        }
        let before = try #require(try await stored(kept).leaseUntil)

        let renewed = try await fixture.store.write { tx in
            try await tx.renewOutboxLeases(owner: Self.first, ids: [kept, lost], lease: 300, now: StoreFixture.now.addingTimeInterval(1))
        }

        #expect(renewed == [kept])
        #expect(try #require(try await stored(kept).leaseUntil) > before)
        #expect(try await stored(lost).leaseOwner == Self.second)
    }
}
