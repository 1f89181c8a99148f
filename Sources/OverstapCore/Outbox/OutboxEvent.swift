import Foundation

/// What can happen to an outbox message.
public enum OutboxEvent: Equatable, Sendable {
    /// `outbox release`: a held message may go.
    case released(at: Date)
    /// A newer calendar message replaces this one, or a reminder is no longer wanted.
    case superseded
    /// A sender takes the message until `until`.
    case claimed(owner: String, until: Date)
    /// The server (or the mail folder) accepted it.
    case delivered(at: Date)
    /// The server said "later" (a 4xx or a policy refusal); `retryAt` nil means it is time to give up.
    case deferred(reply: String, retryAt: Date?)
    /// The server refused this message for good.
    case refused(reply: String)
    /// It could not be rendered (its session or person is gone, a template is broken).
    case unrenderable(problem: String)
    /// The transport failed before the message was delivered: it waits, no attempt is counted.
    case transportFailed(reason: String)
    /// It was claimed but not attempted (the run stopped first).
    case notAttempted
    /// `outbox retry`: a failed message is tried again now.
    case retried(at: Date)

    /// The event's name, for error texts.
    public var name: String {
        switch self {
        case .released: "release"
        case .superseded: "supersede"
        case .claimed: "claim"
        case .delivered: "delivery"
        case .deferred: "deferral"
        case .refused: "refusal"
        case .unrenderable: "rendering failure"
        case .transportFailed: "transport failure"
        case .notAttempted: "unclaim"
        case .retried: "retry"
        }
    }
}
