import Foundation

/// The outbox rules, with no I/O: which earlier messages a new one replaces, and when a failed
/// attempt is tried again.
public enum OutboxPolicy {
    /// What to do when the lifecycle asks for a calendar message to one enrollment.
    public struct Decision: Equatable, Sendable {
        /// Earlier waiting messages (by id) that the new one replaces.
        public var supersede: [Int64]
        /// Whether to queue the new message at all.
        public var queue: Bool

        /// Creates a decision.
        public init(supersede: [Int64], queue: Bool) {
            self.supersede = supersede
            self.queue = queue
        }
    }

    /// At most one waiting calendar message per enrollment. A newer one replaces a waiting one;
    /// an update folds into a waiting invitation (rendered from current data when it leaves);
    /// a cancellation to someone who never got anything is dropped together with what waits.
    public static func decide(_ kind: OutboxKind, earlier: [OutboxMessage]) -> Decision {
        guard kind.isCalendarMessage else { return Decision(supersede: [], queue: true) }
        let waiting = earlier.filter { $0.kind.isCalendarMessage && $0.state.isWaiting }
        let somethingLeft = earlier.contains { $0.kind.isCalendarMessage && ($0.state == .sent || $0.state == .sending) }
        switch kind {
        case .update where waiting.contains { $0.kind == .invitation }:
            return Decision(supersede: [], queue: false)
        case .cancellation where !somethingLeft, .expiry where !somethingLeft:
            return Decision(supersede: waiting.compactMap(\.id), queue: false)
        case .meetingCancellation:
            // A waiting invitation or update leaves with the EXDATE (rendered when sent), and a
            // CANCEL of another meeting still has to go: nothing is replaced.
            let carried = !somethingLeft || waiting.contains { $0.kind == .invitation || $0.kind == .update }
            return Decision(supersede: [], queue: !carried)
        default:
            return Decision(supersede: waiting.compactMap(\.id), queue: true)
        }
    }

    /// Back-off settings: the first delay doubles per attempt up to `maximum`; after `giveUp`
    /// since queueing the message fails.
    public struct Retry: Sendable, Equatable {
        public var first: TimeInterval
        public var maximum: TimeInterval
        public var giveUp: TimeInterval

        /// Creates settings.
        public init(first: TimeInterval, maximum: TimeInterval, giveUp: TimeInterval) {
            self.first = first
            self.maximum = maximum
            self.giveUp = giveUp
        }

        /// When to try again after `attempts` failed attempts, or nil when it is time to give up.
        public func nextAttempt(after attempts: Int, now: Date, queuedAt: Date) -> Date? {
            let delay = min(maximum, first * pow(2, Double(max(0, attempts - 1))))
            let next = now.addingTimeInterval(delay)
            return next.timeIntervalSince(queuedAt) > giveUp ? nil : next
        }
    }
}
