import NIOCore
import NIOSSL
import NIOTLS

/// Performs what `SMTPClientStateMachine` decides on one channel: writes, timers, TLS and the
/// promises of the session and of the message being sent. It makes no protocol decision itself.
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var stateMachine: SMTPClientStateMachine
    /// Used to start TLS after `STARTTLS`; nil when TLS is not wanted.
    private let tlsContext: NIOSSLContext?
    /// Completed once the session is ready, failed when it cannot be set up.
    private var sessionPromise: EventLoopPromise<Void>?
    /// The message in flight, if any.
    private var messagePromise: EventLoopPromise<DeliveryOutcome>?
    /// The message whose commands went out behind the content in flight; it is next.
    private var pipelinedPromise: EventLoopPromise<DeliveryOutcome>?
    /// Messages handed over while one was in flight, oldest first; each starts the moment the
    /// one before it ends.
    private var queued = CircularBuffer<(message: OutgoingMessage, promise: EventLoopPromise<DeliveryOutcome>)>()
    /// The one running timeout; each new step replaces it.
    private var timeout: Scheduled<Void>?

    init(configuration: SMTPConfiguration, tlsContext: NIOSSLContext?, sessionPromise: EventLoopPromise<Void>) {
        self.stateMachine = SMTPClientStateMachine(configuration: configuration)
        self.tlsContext = tlsContext
        self.sessionPromise = sessionPromise
    }

    /// Sends one message, after those handed over before it; `promise` gets its outcome or the
    /// transport error (`SMTPMessageNotStarted` when the connection ended before its turn).
    func send(_ message: OutgoingMessage, promise: EventLoopPromise<DeliveryOutcome>, context: ChannelHandlerContext) {
        queued.append((message, promise))
        if messagePromise == nil { startNext(context: context) }
    }

    /// Starts the oldest queued message while none is in flight.
    private func startNext(context: ChannelHandlerContext) {
        while messagePromise == nil, let next = queued.popFirst() {
            messagePromise = next.promise
            perform(stateMachine.send(next.message), context: context)
        }
    }

    /// Fails the message whose commands followed the content and every queued one: the
    /// connection ended before their content could leave.
    private func failQueued() {
        pipelinedPromise?.fail(SMTPMessageNotStarted())
        pipelinedPromise = nil
        while let next = queued.popFirst() { next.promise.fail(SMTPMessageNotStarted()) }
    }

    /// Sends `QUIT` when idle; the channel closes afterwards.
    func quit(context: ChannelHandlerContext) {
        perform(stateMachine.quit(), context: context)
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(stateMachine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var action = stateMachine.bytesReceived(buffer.readableBytesView)
        while true {
            perform(action, context: context)
            // The replies to the commands sent behind a content may have come in the same read.
            guard case .completeMessageAndContinue = action, stateMachine.hasBufferedReplies else { break }
            action = stateMachine.bytesReceived(EmptyCollection())
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(stateMachine.connectionClosed(), context: context)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            perform(stateMachine.tlsHandshakeCompleted(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        perform(stateMachine.errorCaught(String(describing: error)), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Reached without channelInactive when the connection never came up; no promise may leak.
        cancelTimeout()
        let error = MailTransportError(reason: "the connection to \(stateMachine.server) ended")
        sessionPromise?.fail(error)
        messagePromise?.fail(error)
        sessionPromise = nil
        messagePromise = nil
        failQueued()
    }

    private func perform(_ action: SMTPClientStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .send(let bytes, let timeout):
            armTimeout(timeout, context: context)
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        case .sendContent(let bytes, let timeout):
            armTimeout(timeout, context: context)
            // The next message's commands go in the same write, behind the content.
            var following: [UInt8] = []
            if let next = queued.first, let commands = stateMachine.pipeline(next.message) {
                queued.removeFirst()
                pipelinedPromise = next.promise
                following = commands
            }
            var buffer = context.channel.allocator.buffer(capacity: bytes.count + following.count)
            buffer.writeBytes(bytes)
            buffer.writeBytes(following)
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: written)
            written.futureResult.assumeIsolated().whenSuccess {
                self.perform(self.stateMachine.contentWritten(), context: context)
            }
        case .wait(let timeout):
            armTimeout(timeout, context: context)
        case .startTLS:
            cancelTimeout()
            startTLS(context: context)
        case .sessionReady:
            cancelTimeout()
            sessionPromise?.succeed()
            sessionPromise = nil
        case .completeMessage(let outcome, let closeConnection):
            cancelTimeout()
            // Close first so the pool sees the connection inactive when the sender resumes.
            if closeConnection {
                context.close(promise: nil)
                failQueued()
            }
            messagePromise?.succeed(outcome)
            messagePromise = nil
            startNext(context: context)
        case .completeMessageAndContinue(let outcome, let timeout):
            armTimeout(timeout, context: context)
            messagePromise?.succeed(outcome)
            messagePromise = pipelinedPromise
            pipelinedPromise = nil
        case .restartMessage:
            cancelTimeout()
            // Close first, as for `completeMessage`: the lane must not get this connection back.
            context.close(promise: nil)
            messagePromise?.fail(SMTPMessageNotStarted())
            messagePromise = nil
            failQueued()
        case .fail(let error):
            cancelTimeout()
            sessionPromise?.fail(error)
            messagePromise?.fail(error)
            sessionPromise = nil
            messagePromise = nil
            failQueued()
            context.close(promise: nil)
        case .close:
            cancelTimeout()
            context.close(promise: nil)
        }
    }

    /// Puts TLS in front of this handler, so every later byte in either direction is encrypted.
    private func startTLS(context: ChannelHandlerContext) {
        do {
            guard let tlsContext else {
                throw MailTransportError(reason: "no TLS context for STARTTLS")
            }
            let configuration = stateMachine.configuration
            let tlsHandler = try NIOSSLClientHandler(context: tlsContext, serverHostname: configuration.serverNameIndication)
            try context.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
        } catch {
            perform(stateMachine.errorCaught(String(describing: error)), context: context)
            return
        }
        perform(stateMachine.tlsStarted(), context: context)
    }

    private func armTimeout(_ duration: Duration, context: ChannelHandlerContext) {
        cancelTimeout()
        timeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(duration)) {
            self.timeout = nil
            self.perform(self.stateMachine.timeoutFired(), context: context)
        }
    }

    private func cancelTimeout() {
        timeout?.cancel()
        timeout = nil
    }
}

/// A message queued on a connection that ended before its turn: it was never started.
struct SMTPMessageNotStarted: Error {}

extension SMTPConfiguration {
    /// The name sent for SNI and checked against the certificate; nil for an IP address, which
    /// SNI cannot carry (NIOSSL then checks the certificate against the address instead).
    var serverNameIndication: String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
