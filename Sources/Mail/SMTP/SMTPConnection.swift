import NIOCore
import NIOPosix
import NIOSSL

/// One SMTP session on one channel, set up (greeted, secured, authenticated) before it is returned.
final class SMTPConnection: Sendable {
    private let channel: any Channel
    /// The `SMTPTransport` pool round this connection belongs to; `close()` starts a new one.
    let generation: Int

    private init(channel: any Channel, generation: Int) {
        self.channel = channel
        self.generation = generation
    }

    /// Whether the channel is still open; a server may drop an idle connection at any time.
    var isActive: Bool { channel.isActive }

    /// Connects and sets up the session; throws when any step up to authentication fails.
    static func connect(
        configuration: SMTPConfiguration,
        tlsContext: NIOSSLContext?,
        group: any EventLoopGroup,
        generation: Int
    ) async throws(MailTransportError) -> SMTPConnection {
        let eventLoop = group.next()
        let sessionReady = eventLoop.makePromise(of: Void.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.timeouts.connect))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if configuration.tls == .implicit, let tlsContext {
                        let tlsHandler = try NIOSSLClientHandler(context: tlsContext, serverHostname: configuration.serverNameIndication)
                        try channel.pipeline.syncOperations.addHandler(tlsHandler)
                    }
                    let handler = SMTPClientHandler(configuration: configuration, tlsContext: tlsContext, sessionPromise: sessionReady)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            sessionReady.fail(error)
            throw MailTransportError(reason: "cannot connect to \(configuration.host):\(configuration.port): \(error); check host, port and network")
        }
        do {
            try await closingOnCancel(channel) { try await sessionReady.futureResult.get() }
        } catch {
            channel.close(promise: nil)
            throw transportError(error)
        }
        return SMTPConnection(channel: channel, generation: generation)
    }

    /// Sends one message over the ready session.
    func send(_ message: OutgoingMessage) async throws(MailTransportError) -> DeliveryOutcome {
        let outcome = channel.eventLoop.makePromise(of: DeliveryOutcome.self)
        withHandler(failing: outcome) { handler, context in
            handler.send(message, promise: outcome, context: context)
        }
        do {
            return try await Self.closingOnCancel(channel) { try await outcome.futureResult.get() }
        } catch {
            throw Self.transportError(error)
        }
    }

    /// Queues `message` behind those handed over before it, without waiting: the event loop
    /// starts it the moment the one before it ends. `done` runs on the event loop with the
    /// outcome, the transport error, or `SMTPMessageNotStarted` when the connection ended first.
    func enqueue(_ message: OutgoingMessage, done: @escaping @Sendable (Result<DeliveryOutcome, any Error>) -> Void) {
        let promise = channel.eventLoop.makePromise(of: DeliveryOutcome.self)
        promise.futureResult.whenComplete(done)
        let channel = self.channel
        channel.eventLoop.execute {
            do {
                let operations = channel.pipeline.syncOperations
                let handler = try operations.handler(type: SMTPClientHandler.self)
                handler.send(message, promise: promise, context: try operations.context(handlerType: SMTPClientHandler.self))
            } catch {
                promise.fail(SMTPMessageNotStarted())
            }
        }
    }

    /// Closes the channel at once; whatever is in flight or queued fails.
    func abort() {
        channel.close(promise: nil)
    }

    /// Ends the session with `QUIT` (when idle) and waits until the channel is closed.
    func quit() async {
        withHandler(failing: nil) { handler, context in
            handler.quit(context: context)
        }
        try? await Self.closingOnCancel(channel) { try await channel.closeFuture.get() }
    }

    /// Runs `body`, closing the channel when the task is cancelled (the daemon is stopping), so
    /// no wait for a slow or hostile server outlives the task: the close fails what is pending.
    private static func closingOnCancel<T: Sendable>(_ channel: any Channel, _ body: () async throws -> T) async throws -> T {
        try await withTaskCancellationHandler(operation: body) {
            channel.close(promise: nil)
        }
    }

    /// Runs `body` on the event loop with the handler; fails `promise` when the handler is gone.
    private func withHandler(
        failing promise: EventLoopPromise<DeliveryOutcome>?,
        _ body: @escaping @Sendable (SMTPClientHandler, ChannelHandlerContext) -> Void
    ) {
        let channel = self.channel
        channel.eventLoop.execute {
            do {
                let operations = channel.pipeline.syncOperations
                body(try operations.handler(type: SMTPClientHandler.self), try operations.context(handlerType: SMTPClientHandler.self))
            } catch {
                promise?.fail(MailTransportError(reason: "the connection was closed before the message could be sent; the message stays pending"))
            }
        }
    }

    private static func transportError(_ error: any Error) -> MailTransportError {
        error as? MailTransportError ?? MailTransportError(reason: "SMTP connection failed: \(error)")
    }
}
