import Foundation

/// The one place that decides how an outbox message's state changes: `(message, event) →
/// transition`, with no I/O. The store writes transitions only, so no caller can put a message
/// in a state this machine did not decide.
///
/// - held: released → pending; superseded → superseded
/// - pending: claimed → sending; superseded → superseded
/// - sending: delivered → sent; deferred → pending (or failed once it is time to give up);
///   refused, unrenderable → failed; transport failed, not attempted → pending;
///   claimed again → sending (only when its sender died or its lease ran out)
/// - failed: retried → pending
/// - sent, superseded: final
public enum OutboxLifecycle {
    /// The states a claim takes a message from. A claim moves it to `claimedState` and sets its
    /// lease owner and lease end, nothing else: a store that claims many rows in one statement
    /// writes exactly that (a test holds the two together).
    public static let claimableStates: Set<OutboxState> = [.pending, .sending]
    /// The state a claimed message is in.
    public static let claimedState = OutboxState.sending

    /// An event that makes no sense in the message's state (retrying a sent message).
    public struct RefusedEvent: Error, Equatable, Sendable, CustomStringConvertible {
        public var state: OutboxState
        public var event: OutboxEvent

        public var description: String { "cannot apply \(event.name) to a message that is \(state.rawValue)" }
    }

    /// Applies `event` to `message`: the message as it must be stored next.
    public static func apply(_ event: OutboxEvent, to message: OutboxMessage) throws(RefusedEvent) -> OutboxTransition {
        var next = message
        switch (message.state, event) {
        case (.held, .released(let now)):
            next.state = .pending
            next.nextAttemptAt = max(message.nextAttemptAt, now)
        case (.held, .superseded), (.pending, .superseded):
            next.state = .superseded
        case (let state, .claimed(let owner, let until)) where claimableStates.contains(state):
            // A sending message is claimed again only when its sender died or its lease ran out.
            next.state = claimedState
            next.leaseOwner = owner
            next.leaseUntil = until
        case (.sending, .delivered(let now)):
            next.state = .sent
            next.attempts += 1
            next.sentAt = now
            next.lastError = nil
        case (.sending, .deferred(let reply, let retryAt)):
            next.attempts += 1
            if let retryAt {
                next.state = .pending
                next.nextAttemptAt = retryAt
                next.lastError = reply
            } else {
                next.state = .failed
                next.lastError = "gave up after \(next.attempts) attempts; last reply: \(reply)"
            }
        case (.sending, .refused(let reply)):
            next.state = .failed
            next.attempts += 1
            next.lastError = reply
        case (.sending, .unrenderable(let problem)):
            next.state = .failed
            next.lastError = problem
        case (.sending, .transportFailed(let reason)):
            next.state = .pending
            next.lastError = reason
        case (.sending, .notAttempted):
            next.state = .pending
        case (.failed, .retried(let now)):
            next.state = .pending
            next.nextAttemptAt = now
        default:
            throw RefusedEvent(state: message.state, event: event)
        }
        if next.state != .sending {
            next.leaseOwner = nil
            next.leaseUntil = nil
        }
        return OutboxTransition(from: message, to: next)
    }
}

/// A change the lifecycle decided: the message as it was read (its state and lease owner) and as
/// it must be stored. Only `OutboxLifecycle` makes one, so the store can take nothing else.
public struct OutboxTransition: Equatable, Sendable {
    /// The state the message had when the event was applied; the store writes only while it still has it.
    public let from: OutboxState
    /// Who held the message's lease when the event was applied; the store writes only while it
    /// still does, so a sender whose lease lapsed and was taken over cannot overwrite the new owner.
    public let fromLeaseOwner: String?
    /// The message with its new state and fields.
    public let message: OutboxMessage

    fileprivate init(from read: OutboxMessage, to message: OutboxMessage) {
        from = read.state
        fromLeaseOwner = read.leaseOwner
        self.message = message
    }
}
