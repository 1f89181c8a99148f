import Synchronization

/// A lane of `SMTPTransport`: one connection of the pool, opened at the first message and given
/// back by `finish()`. Messages are queued on the connection's event loop, so each starts the
/// moment the one before it ends, with no task woken in between. A connection the server closed
/// between messages (an idle timeout, a limit of messages per connection) is replaced, and the
/// messages queued on it are sent on the new one; a transport failure ends the lane.
final class SMTPLane: MailLane {
    typealias Done = @Sendable (LaneResult) -> Void

    private struct Pending: Sendable {
        let message: OutgoingMessage
        let done: Done
    }

    private enum Connection {
        /// None yet, or the last one was closed by the server.
        case none
        /// Being opened; messages wait in `waiting`.
        case opening
        case open(SMTPConnection)
        /// A transport failure or `abort()`: nothing more starts.
        case ended
    }

    private struct State {
        var connection = Connection.none
        /// Messages waiting for the connection being opened, oldest first.
        var waiting: [Pending] = []
        /// Messages handed over whose `done` has not run yet.
        var unfinished = 0
        var allDone: CheckedContinuation<Void, Never>?
        var opening: Task<Void, Never>?
        /// A connection the server closed, to give back to the pool before opening the next.
        var closed: SMTPConnection?
        /// Connections replaced since the server last answered a message: a server that closes
        /// every connection before a message can start ends the lane instead of a loop.
        var restarts = 0
    }

    /// More replaced connections than this without an answer in between end the lane.
    static let restartLimit = 3

    private enum Step {
        case none
        case hand(SMTPConnection)
        case notStarted
    }

    private let transport: SMTPTransport
    private let state = Mutex(State())

    init(transport: SMTPTransport) {
        self.transport = transport
    }

    func send(_ message: OutgoingMessage, done: @escaping Done) {
        state.withLock { $0.unfinished += 1 }
        route(Pending(message: message, done: done))
    }

    func finish() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.unfinished > 0 { state.allDone = continuation }
                return state.unfinished == 0
            }
            if done { continuation.resume() }
        }
        let connection = state.withLock { state -> SMTPConnection? in
            defer { state.connection = .ended }
            if case .open(let connection) = state.connection { return connection }
            return nil
        }
        if let connection { await transport.checkIn(connection) }
    }

    func abort() {
        let (connection, opening) = state.withLock { state -> (SMTPConnection?, Task<Void, Never>?) in
            defer { state.connection = .ended }
            if case .open(let connection) = state.connection { return (connection, nil) }
            return (nil, state.opening)
        }
        connection?.abort()
        opening?.cancel()
    }

    /// Hands `pending` to the open connection, or waits for one, opening it when there is none.
    private func route(_ pending: Pending) {
        let step = state.withLock { state -> Step in
            switch state.connection {
            case .ended:
                return .notStarted
            case .open(let connection):
                return .hand(connection)
            case .opening:
                state.waiting.append(pending)
                return .none
            case .none:
                state.waiting.append(pending)
                state.connection = .opening
                state.opening = Task { await self.open() }
                return .none
            }
        }
        switch step {
        case .none: break
        case .hand(let connection): hand(pending, to: connection)
        case .notStarted: complete(pending, .notStarted)
        }
    }

    /// Opens a connection and hands it what waited; when that fails, the lane ends.
    private func open() async {
        if let closed = state.withLock({ state in defer { state.closed = nil }; return state.closed }) {
            await transport.checkIn(closed)
        }
        do {
            let connection = try await transport.checkOutForLane()
            let opened = state.withLock { state -> Bool in
                guard case .opening = state.connection else { return false }
                state.connection = .open(connection)
                // Queued inside the lock (queuing never waits, and `done` runs later on the event
                // loop), so a message handed over once the lane is open cannot overtake them.
                for pending in state.waiting { hand(pending, to: connection) }
                state.waiting = []
                return true
            }
            guard opened else {
                // Aborted while connecting.
                connection.abort()
                await transport.checkIn(connection)
                for pending in takeWaiting() { complete(pending, .notStarted) }
                return
            }
        } catch {
            state.withLock { $0.connection = .ended }
            for (index, pending) in takeWaiting().enumerated() { complete(pending, index == 0 ? .failed(error) : .notStarted) }
        }
    }

    private func takeWaiting() -> [Pending] {
        state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
    }

    private func hand(_ pending: Pending, to connection: SMTPConnection) {
        connection.enqueue(pending.message) { result in
            switch result {
            case .success(let outcome):
                self.state.withLock { $0.restarts = 0 }
                self.complete(pending, .outcome(outcome))
            case .failure(let error as MailTransportError):
                self.state.withLock { $0.connection = .ended }
                self.complete(pending, .failed(error))
            case .failure(is SMTPMessageNotStarted):
                // The connection ended before this message's turn: on a new one, unless the lane ended.
                let again = self.state.withLock { state in
                    if case .open(let current) = state.connection, current === connection {
                        state.connection = .none
                        state.closed = connection
                        state.restarts += 1
                    }
                    return state.restarts <= Self.restartLimit
                }
                if again {
                    self.route(pending)
                } else {
                    self.state.withLock { $0.connection = .ended }
                    let reason = "\(self.transport.configuration.host) closed every connection before a message could start"
                    self.complete(pending, .failed(MailTransportError(reason: reason)))
                }
            case .failure(let error):
                self.state.withLock { $0.connection = .ended }
                self.complete(pending, .failed(MailTransportError(reason: "SMTP connection failed: \(error)")))
            }
        }
    }

    private func complete(_ pending: Pending, _ result: LaneResult) {
        pending.done(result)
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.unfinished -= 1
            guard state.unfinished == 0 else { return nil }
            defer { state.allDone = nil }
            return state.allDone
        }
        waiter?.resume()
    }
}
