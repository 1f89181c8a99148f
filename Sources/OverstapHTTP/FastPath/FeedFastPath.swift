import HTTPTypes
import NIOCore
import NIOHTTP1

/// The first handler of a connection, next to the socket: frames each request on its bytes
/// (`RequestFraming`), answers those for cached feeds itself, and hands every other request on to
/// SwiftNIO's HTTP/1 decoder and Hummingbird behind it.
///
/// While a request handed on still awaits its answer, later requests are handed on too, so
/// answers leave in the order the requests came (pipelining). Once the bytes cannot be framed
/// strictly (a chunked body, a malformed line, a head too long), they and everything after them go
/// to the decoder, which then has the connection to itself; so does a request handed on that ends
/// the connection.
///
/// Being next to the socket, it also keeps the connection's time limits (`ConnectionTimeouts`):
/// a head that is not whole in time, in its own buffer or the decoder's, and a connection idle
/// too long between requests are closed.
final class FeedFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Mode {
        /// Requests are framed here; answered here or handed on one by one.
        case framing
        /// The decoder reads everything from here on.
        case handingOnEverything
        /// An answer of ours ended the connection: later bytes are ignored.
        case closing
    }

    private let answers: CachedFeedAnswers
    private let limits: ConnectionTimeouts.Limits
    private var timeouts: ConnectionTimeouts?
    /// The check of the time limits that is scheduled, and when it runs.
    private var timeoutCheck: (task: Scheduled<Void>, at: NIODeadline)?
    private var mode = Mode.framing
    /// The start of a request whose end has not arrived yet.
    private var partial: ByteBuffer?
    /// Requests handed on whose answer has not been written to the end yet.
    private var awaitingRouter = 0
    /// A shutdown asked the connection to finish: new requests go to Hummingbird, which ends it.
    private var quiescing = false
    private var date = DateHeader()
    /// The last feed answered here, by the exact bytes of its request target: a feed reader asks
    /// for the same URL again and again, and while the cache's stamp stays the same, reading the
    /// target, checking its token and looking the feed up are skipped.
    private var remembered: RememberedFeed?

    private struct RememberedFeed {
        let target: [UInt8]
        let key: FeedKey
        let feed: RenderedFeed
        let stamp: FeedCache.Stamp
    }

    init(answers: CachedFeedAnswers, limits: ConnectionTimeouts.Limits) {
        self.answers = answers
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startTimeouts(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startTimeouts(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeoutCheck?.task.cancel()
        timeoutCheck = nil
        timeouts = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeoutCheck?.task.cancel()
        timeoutCheck = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .framing = mode else {
            if case .handingOnEverything = mode {
                timeouts?.received(at: context.eventLoop.now, headPending: true, answeredHere: false)
                scheduleTimeoutCheck(context: context)
                context.fireChannelRead(data)
            }
            return
        }
        let start = ContinuousClock.now
        var bytes = unwrapInboundIn(data)
        if var partial = partial.take() {
            partial.writeBuffer(&bytes)
            bytes = partial
        }
        var answered = false
        while bytes.readableBytes > 0, case .framing = mode {
            if let known = remembered, known.stamp != answers.cache.currentStamp() { remembered = nil }
            let rememberedTarget = remembered?.target
            let framing = bytes.withUnsafeReadableBytes { raw in
                raw.withMemoryRebound(to: UInt8.self) { RequestFraming.frame($0, rememberedTarget: rememberedTarget) }
            }
            switch framing {
            case .incomplete:
                partial = bytes.readSlice(length: bytes.readableBytes)
            case .unframeable:
                mode = .handingOnEverything
                context.fireChannelRead(wrapInboundOut(bytes.readSlice(length: bytes.readableBytes)!))
            case .framed(let request):
                let requestBytes = bytes.readSlice(length: request.length)!
                if let feed = feed(for: request) {
                    answer(request, feed, start: start, context: context)
                    answered = true
                } else {
                    awaitingRouter += 1
                    // After a request that ends the connection, Hummingbird decides about the rest.
                    if !request.keepAlive || request.lacksOneHost { mode = .handingOnEverything }
                    context.fireChannelRead(wrapInboundOut(requestBytes))
                }
            }
        }
        if answered { context.flush() }
        timeouts?.received(at: context.eventLoop.now, headPending: partial != nil || mode == .handingOnEverything, answeredHere: answered)
        scheduleTimeoutCheck(context: context)
    }

    /// The cached feed this request is answered with here, if any.
    private func feed(for request: FramedRequest) -> (key: FeedKey, feed: RenderedFeed)? {
        guard awaitingRouter == 0, !quiescing else { return nil }
        switch request.target {
        case .remembered:
            return remembered.map { ($0.key, $0.feed) }
        case .plain(let target, let bytes):
            let stamp = answers.cache.currentStamp()
            guard let feed = answers.feed(at: target) else { return nil }
            remembered = RememberedFeed(target: bytes, key: target.key, feed: feed, stamp: stamp)
            return (target.key, feed)
        case .other:
            return nil
        }
    }

    /// The router (through SwiftNIO's decoder) read the head of a request.
    func routerReadHead() {
        timeouts?.routerReadHead()
    }

    /// The router finished writing an answer to a request handed on.
    func routerAnswered(context: ChannelHandlerContext) {
        awaitingRouter -= 1
        timeouts?.routerAnswered(at: context.eventLoop.now, headPending: partial != nil)
        scheduleTimeoutCheck(context: context)
    }

    private func startTimeouts(context: ChannelHandlerContext) {
        guard timeouts == nil else { return }
        timeouts = ConnectionTimeouts(limits: limits, openedAt: context.eventLoop.now)
        scheduleTimeoutCheck(context: context)
    }

    /// Makes sure a check runs by the current deadline. A check that runs early (the deadline
    /// moved on) schedules the next one, so a busy connection costs no timer per request.
    private func scheduleTimeoutCheck(context: ChannelHandlerContext) {
        guard let deadline = timeouts?.deadline else { return }
        if let scheduled = timeoutCheck {
            guard deadline < scheduled.at else { return }
            scheduled.task.cancel()
        }
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timeoutCheck = nil
            guard let timeouts else { return }
            if timeouts.expired(at: context.eventLoop.now) {
                mode = .closing
                context.close(promise: nil)
            } else {
                scheduleTimeoutCheck(context: context)
            }
        }
        timeoutCheck = (task, deadline)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        // Writes complete in order: once this empty one has, every answer of ours has left, and
        // Hummingbird may close the connection.
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Writes the whole answer: the render's encoded head for the variant, the Date, Server and
    /// Connection lines, and the body. The caller flushes.
    private func answer(
        _ request: FramedRequest, _ found: (key: FeedKey, feed: RenderedFeed), start: ContinuousClock.Instant, context: ChannelHandlerContext
    ) {
        let variant = FeedResponse(feed: found.feed).variant(for: request.conditions)
        var head = context.channel.allocator.buffer(capacity: 512)
        head.writeStaticString("HTTP/1.1 ")
        head.writeImmutableBuffer(found.feed.wireHead(variant))
        head.writeStaticString("Date: ")
        head.writeString(date.now())
        if let serverName = answers.serverName {
            head.writeStaticString("\r\nServer: ")
            head.writeString(serverName)
        }
        if !request.keepAlive {
            head.writeStaticString("\r\nConnection: close")
        } else if request.isHTTP10 {
            head.writeStaticString("\r\nConnection: keep-alive")
        }
        head.writeStaticString("\r\n\r\n")
        // Only a closing answer needs to know when it has left.
        let written: EventLoopPromise<Void>? = request.keepAlive ? nil : context.eventLoop.makePromise()
        if variant.notModified || request.conditions.isHead {
            context.write(wrapOutboundOut(.byteBuffer(head)), promise: written)
        } else {
            context.write(wrapOutboundOut(.byteBuffer(head)), promise: nil)
            context.write(wrapOutboundOut(.byteBuffer(found.feed.body(variant))), promise: written)
        }
        answers.metrics.feedRequest(found.key.kind, status: variant.status.code)
        answers.metrics.recordRequest(.now - start)
        if let written {
            mode = .closing
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// Sits right behind SwiftNIO's HTTP/1 decoder and tells the fast path each time the decoder has
/// read a request's head and each time the router has written an answer to its end, so that the
/// fast path knows when nothing awaits the router, and which time limit runs.
final class RouterAnswerCounter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let fastPath: FeedFastPath
    /// The fast path's context, for the clock and the timer of its time limits.
    private let fastPathContext: ChannelHandlerContext

    init(fastPath: FeedFastPath, context: ChannelHandlerContext) {
        self.fastPath = fastPath
        fastPathContext = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { fastPath.routerReadHead() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { fastPath.routerAnswered(context: fastPathContext) }
        context.write(data, promise: promise)
    }
}
