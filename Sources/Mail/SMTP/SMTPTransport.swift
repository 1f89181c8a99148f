import NIOCore
import NIOPosix
import NIOSSL

/// Delivers messages to an SMTP server over a small pool of reused connections.
///
/// Each `send` takes an idle connection, opens a new one while fewer than
/// `configuration.connections` are open, or waits for one to become free. A connection whose
/// transaction ended in an error is closed, never reused. Call `close()` when done.
public actor SMTPTransport: MailTransport {
    /// Where and how messages are delivered.
    public nonisolated let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    private var tlsContext: NIOSSLContext?
    private var idle: [SMTPConnection] = []
    /// Connections open or being opened, idle or busy.
    private var openCount = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Raised by `close()`, so connections busy at that moment are closed when they come back.
    private var generation = 0

    /// Creates a transport; no connection is opened before the first `send`.
    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    /// Delivers one message; throws when the connection or session failed (the message stays pending).
    public func send(_ message: OutgoingMessage) async throws(MailTransportError) -> DeliveryOutcome {
        let connection = try await checkOut()
        let outcome: DeliveryOutcome
        do {
            outcome = try await connection.send(message)
        } catch {
            release(connection)
            throw error
        }
        await checkIn(connection)
        return outcome
    }

    /// A lane over one connection of the pool, opened at its first message and given back when
    /// it finishes; its messages are queued on the connection's event loop.
    public nonisolated func openLane() -> any MailLane { SMTPLane(transport: self) }

    /// A connection for a lane: an idle one, a new one, or the next one freed.
    func checkOutForLane() async throws(MailTransportError) -> SMTPConnection {
        try await checkOut()
    }

    /// Takes back a lane's connection: idle when it can be reused, closed otherwise.
    func checkIn(_ connection: SMTPConnection) async {
        if connection.isActive, connection.generation == generation {
            idle.append(connection)
            wakeOneWaiter()
        } else {
            release(connection)
            await connection.quit()
        }
    }

    /// Sends `QUIT` on every idle connection and closes busy ones as soon as they are done.
    public func close() async {
        generation += 1
        let closing = idle
        idle = []
        openCount -= closing.count
        wakeAllWaiters()
        await withTaskGroup(of: Void.self) { group in
            for connection in closing {
                group.addTask { await connection.quit() }
            }
        }
    }

    /// An idle connection, a new one, or the next one freed.
    private func checkOut() async throws(MailTransportError) -> SMTPConnection {
        while true {
            while let connection = idle.popLast() {
                if connection.isActive { return connection }
                openCount -= 1
            }
            if openCount < configuration.connections {
                openCount += 1
                do {
                    return try await SMTPConnection.connect(
                        configuration: configuration, tlsContext: try makeTLSContext(), group: group, generation: generation
                    )
                } catch {
                    openCount -= 1
                    wakeOneWaiter()
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// Forgets a connection that will not be reused and lets a waiting sender open another.
    private func release(_: SMTPConnection) {
        openCount -= 1
        wakeOneWaiter()
    }

    private func wakeOneWaiter() {
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }

    private func wakeAllWaiters() {
        let waking = waiters
        waiters = []
        for waiter in waking { waiter.resume() }
    }

    /// The TLS client context, made once: loading trust roots is expensive.
    private func makeTLSContext() throws(MailTransportError) -> NIOSSLContext? {
        if configuration.tls == .none { return nil }
        if let tlsContext { return tlsContext }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = configuration.caFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
            } catch {
                throw MailTransportError(reason: "cannot read the CA certificates in caFile \(caFile): \(error); it must be a PEM file")
            }
        }
        do {
            let context = try NIOSSLContext(configuration: tls)
            tlsContext = context
            return context
        } catch {
            throw MailTransportError(reason: "cannot set up TLS: \(error)")
        }
    }
}
