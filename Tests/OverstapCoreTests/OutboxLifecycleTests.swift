import Foundation
import OverstapCore
import Testing

/// Every outbox state change, decided with no I/O.
struct OutboxLifecycleTests {
    static let queued = Date(timeIntervalSince1970: 1_799_568_000)
    static let later = queued.addingTimeInterval(600)

    func message(_ state: OutboxState, attempts: Int = 0) -> OutboxMessage {
        var message = OutboxMessage(
            kind: .invitation, sessionID: 1, workerID: 1, recipient: "a@example.org", messageID: "1@example.org", held: false,
            dueAt: Self.queued, createdAt: Self.queued)
        message.id = 1
        message.attempts = attempts
        if state == .sending {
            message.leaseOwner = "host/1/run"
            message.leaseUntil = Self.later
        }
        return OutboxMessage(stored: message, state: state)
    }

    /// (from, event, to): every allowed transition.
    static let allowed: [(OutboxState, OutboxEvent, OutboxState)] = [
        (.held, .released(at: later), .pending),
        (.held, .superseded, .superseded),
        (.pending, .superseded, .superseded),
        (.pending, .claimed(owner: "host/2/run", until: later), .sending),
        (.sending, .claimed(owner: "host/2/run", until: later), .sending),
        (.sending, .delivered(at: later), .sent),
        (.sending, .deferred(reply: "450 later", retryAt: later), .pending),
        (.sending, .deferred(reply: "450 later", retryAt: nil), .failed),
        (.sending, .refused(reply: "550 5.1.1 no such user"), .failed),
        (.sending, .unrenderable(problem: "its session no longer exists"), .failed),
        (.sending, .transportFailed(reason: "cannot connect"), .pending),
        (.sending, .notAttempted, .pending),
        (.failed, .retried(at: later), .pending),
    ]

    @Test(arguments: allowed)
    func anAllowedEventMovesTheMessage(from: OutboxState, event: OutboxEvent, to: OutboxState) throws {
        let transition = try OutboxLifecycle.apply(event, to: message(from))
        #expect(transition.from == from)
        #expect(transition.message.state == to)
        #expect((transition.message.leaseOwner == nil) == (to != .sending), "only a sending message holds a lease")
    }

    @Test func everyOtherEventIsRefused() {
        let events: [OutboxEvent] = [
            .released(at: Self.later), .superseded, .claimed(owner: "o", until: Self.later), .delivered(at: Self.later),
            .deferred(reply: "450", retryAt: Self.later), .refused(reply: "550"), .unrenderable(problem: "x"),
            .transportFailed(reason: "x"), .notAttempted, .retried(at: Self.later),
        ]
        for state in OutboxState.allCases {
            for event in events where !Self.allowed.contains(where: { $0.0 == state && $0.1.name == event.name }) {
                #expect(throws: OutboxLifecycle.RefusedEvent.self, "\(event.name) on \(state)") {
                    try OutboxLifecycle.apply(event, to: message(state))
                }
            }
        }
    }

    @Test func sentAndSupersededAreFinal() {
        for state in [OutboxState.sent, .superseded] {
            #expect(throws: OutboxLifecycle.RefusedEvent.self) { try OutboxLifecycle.apply(.retried(at: Self.later), to: message(state)) }
        }
    }

    @Test func attemptsCountOnlyWhatTheServerAnswered() throws {
        let sending = message(.sending, attempts: 2)
        #expect(try OutboxLifecycle.apply(.delivered(at: Self.later), to: sending).message.attempts == 3)
        #expect(try OutboxLifecycle.apply(.refused(reply: "550"), to: sending).message.attempts == 3)
        #expect(try OutboxLifecycle.apply(.transportFailed(reason: "down"), to: sending).message.attempts == 2)
        #expect(try OutboxLifecycle.apply(.notAttempted, to: sending).message.attempts == 2)
    }

    @Test func aDeferralWaitsUntilItsRetryTimeOrGivesUpSayingWhy() throws {
        let waiting = try OutboxLifecycle.apply(.deferred(reply: "450 4.2.0 busy", retryAt: Self.later), to: message(.sending)).message
        #expect(waiting.nextAttemptAt == Self.later && waiting.lastError == "450 4.2.0 busy")
        let givenUp = try OutboxLifecycle.apply(.deferred(reply: "450 4.2.0 busy", retryAt: nil), to: message(.sending, attempts: 9)).message
        #expect(givenUp.lastError == "gave up after 10 attempts; last reply: 450 4.2.0 busy")
    }

    @Test func aDeliveryRecordsWhenAndClearsTheError() throws {
        var sending = message(.sending)
        sending.lastError = "450 later"
        let sent = try OutboxLifecycle.apply(.delivered(at: Self.later), to: sending).message
        #expect(sent.sentAt == Self.later && sent.lastError == nil)
    }

    @Test func aReleaseNeverMovesTheDueTimeBack() throws {
        var held = message(.held)
        held.nextAttemptAt = Self.later
        #expect(try OutboxLifecycle.apply(.released(at: Self.queued), to: held).message.nextAttemptAt == Self.later)
        #expect(try OutboxLifecycle.apply(.released(at: Self.later.addingTimeInterval(60)), to: message(.held)).message.nextAttemptAt
            == Self.later.addingTimeInterval(60))
    }

    /// A store that claims many rows in one statement writes `claimedState` and the lease where the
    /// state is in `claimableStates`: that must be exactly what `apply` decides, field by field.
    @Test(arguments: OutboxState.allCases)
    func aClaimIsTheStateAndTheLeaseTheBulkClaimWrites(state: OutboxState) throws {
        var before = message(state, attempts: 2)
        before.lastError = "450 later"
        let claim = OutboxEvent.claimed(owner: "other-host/7/run", until: Self.later.addingTimeInterval(300))
        guard OutboxLifecycle.claimableStates.contains(state) else {
            #expect(throws: OutboxLifecycle.RefusedEvent.self) { try OutboxLifecycle.apply(claim, to: before) }
            return
        }
        var written = OutboxMessage(stored: before, state: OutboxLifecycle.claimedState)
        written.leaseOwner = "other-host/7/run"
        written.leaseUntil = Self.later.addingTimeInterval(300)
        let transition = try OutboxLifecycle.apply(claim, to: before)
        #expect(transition.message == written)
        #expect(transition.from == state && transition.fromLeaseOwner == before.leaseOwner)
    }

    @Test func anOutcomeRemembersWhoseLeaseItWasDecidedUnder() throws {
        let sending = message(.sending)
        let transition = try OutboxLifecycle.apply(.delivered(at: Self.later), to: sending)
        #expect(transition.fromLeaseOwner == "host/1/run", "the store writes it only while this owner still holds the lease")
        #expect(transition.message.leaseOwner == nil)
    }
}
