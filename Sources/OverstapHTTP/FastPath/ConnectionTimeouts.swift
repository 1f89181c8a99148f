import NIOCore

/// When a connection has waited too long for its client, as a pure state machine: a request head
/// must be whole within `head` of its first byte (or of the connection opening), and the next
/// request must start within `idle` of the last answer. While the daemon owes an answer, no limit
/// runs. The fast path feeds it events and closes the connection when `expired(at:)` says so.
struct ConnectionTimeouts {
    /// `http.head_timeout` and `http.idle_timeout`.
    struct Limits: Sendable {
        var head: TimeAmount
        var idle: TimeAmount
    }

    let limits: Limits
    /// Requests the router has read whose answer has not been written to the end.
    private var owed = 0
    /// When the head still incomplete began to arrive.
    private var headStarted: NIODeadline?
    /// When the last answer was written.
    private var idleSince: NIODeadline

    /// A connection opened at `now`: its first head is due within the head timeout.
    init(limits: Limits, openedAt now: NIODeadline) {
        self.limits = limits
        headStarted = now
        idleSince = now
    }

    /// The instant the connection is closed unless something happens first; nil while an answer is owed.
    var deadline: NIODeadline? {
        guard owed == 0 else { return nil }
        if let headStarted { return headStarted + limits.head }
        return idleSince + limits.idle
    }

    /// Bytes arrived and were read; `headPending` when the start of a head is left over and
    /// `answeredHere` when the fast path answered a request from them.
    mutating func received(at now: NIODeadline, headPending: Bool, answeredHere: Bool) {
        if answeredHere {
            idleSince = now
            headStarted = nil
        }
        guard owed == 0 else { return }
        if headPending {
            headStarted = headStarted ?? now
        }
    }

    /// The router read a request's head.
    mutating func routerReadHead() {
        owed += 1
        headStarted = nil
    }

    /// The router wrote an answer to its end; `headPending` when the start of the next head is
    /// already waiting.
    mutating func routerAnswered(at now: NIODeadline, headPending: Bool) {
        owed = max(0, owed - 1)
        guard owed == 0 else { return }
        idleSince = now
        headStarted = headPending ? now : nil
    }

    /// Whether the connection has waited past its deadline at `now`.
    func expired(at now: NIODeadline) -> Bool {
        deadline.map { now >= $0 } ?? false
    }
}
