import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with one addition: a request for a feed whose current render is
/// cached is answered on the connection's event loop (`FeedFastPath`), without the hand-over to
/// Swift Concurrency and the router that cost most of a small answer. Every other request (the
/// first one after a change, a wrong token, any other route) goes on to the router, which answers
/// feeds through the same `FeedResponse`.
public struct FeedServingChannel: ServerChildChannel {
    public typealias Value = HTTP1Channel.Value
    private let http1: HTTP1Channel
    private let answers: CachedFeedAnswers

    /// Hummingbird's HTTP/1 channel over `responder`, with cached feeds answered from `cache`.
    public init(responder: @escaping HTTPChannelHandler.Responder, cache: FeedCache, metrics: DaemonMetrics, serverName: String?) {
        http1 = HTTP1Channel(responder: responder)
        answers = CachedFeedAnswers(cache: cache, metrics: metrics, serverName: serverName)
    }

    /// Sets up Hummingbird's pipeline, then adds the fast path.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let answers = answers
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try Self.addFastPath(answers, to: channel.pipeline.syncOperations)
            return value
        }
    }

    /// Puts the fast path behind SwiftNIO's HTTP/1 decoder and its outlet first, next to the socket.
    static func addFastPath(_ answers: CachedFeedAnswers, to pipeline: ChannelPipeline.SynchronousOperations) throws {
        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        let outlet = WireOutlet()
        try pipeline.addHandler(outlet, position: .first)
        try pipeline.addHandler(FeedFastPath(answers: answers, outlet: outlet), position: .after(decoder))
    }

    /// Hummingbird's request loop, for the requests the fast path hands on.
    public func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with cached feeds answered on the event loop.
    public static func feedServing(cache: FeedCache, metrics: DaemonMetrics, serverName: String?) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            FeedServingChannel(responder: responder, cache: cache, metrics: metrics, serverName: serverName)
        }
    }
}

/// Finds the cached feed a request asks for and counts what was answered.
struct CachedFeedAnswers: Sendable {
    let cache: FeedCache
    let metrics: DaemonMetrics
    let serverName: String?

    /// The feed at `uri` when it is in its plain form (`/feeds/KIND/NAME.ics`, a token without
    /// escapes) and a current render is cached; nil sends the request to the router.
    func feed(at uri: String) -> (key: FeedKey, feed: RenderedFeed)? {
        guard let target = PlainFeedTarget(uri) else { return nil }
        let feed: RenderedFeed?
        if case .partner(let slug) = target.key {
            feed = target.token.flatMap { cache.cachedPartnerFeed(slug: slug, token: $0) }
        } else {
            feed = cache.cachedFeed(target.key)
        }
        return feed.map { (target.key, $0) }
    }
}

/// `/feeds/KIND/NAME.ics[?…token=…]` read on its bytes (this runs for every request); anything
/// escaped, nested or otherwise unusual is left to the router.
struct PlainFeedTarget {
    let key: FeedKey
    /// The first `token` parameter, when it needs no decoding.
    let token: String?

    init?(_ uri: String) {
        var uri = uri
        guard let target = uri.withUTF8({ Self.parse($0) }) else { return nil }
        self = target
    }

    private init(key: FeedKey, token: String?) {
        self.key = key
        self.token = token
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> PlainFeedTarget? {
        let prefix = "/feeds/".utf8
        guard bytes.starts(with: prefix) else { return nil }
        let rest = bytes[prefix.count...]
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let afterKind = rest[(slash + 1)...]
        let mark = afterKind.firstIndex(of: UInt8(ascii: "?")) ?? afterKind.endIndex
        let file = afterKind[..<mark]
        let suffix = ".ics".utf8
        guard file.count > suffix.count, file.reversed().starts(with: suffix.reversed()) else { return nil }
        let nameBytes = file.dropLast(suffix.count)
        guard !nameBytes.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "%") }) else { return nil }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let key: FeedKey
        switch String(decoding: rest[..<slash], as: UTF8.self) {
        case "partners": key = .partner(name)
        case "regions": key = .region(name)
        case "me": key = .personal(name)
        default: return nil
        }
        let query = mark < afterKind.endIndex ? afterKind[(mark + 1)...] : afterKind[afterKind.endIndex...]
        return PlainFeedTarget(key: key, token: token(in: query))
    }

    private static func token(in query: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        let key = "token=".utf8
        for parameter in query.split(separator: UInt8(ascii: "&")) where parameter.starts(with: key) {
            let value = parameter.dropFirst(key.count)
            let escaped = value.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }
            return escaped ? nil : String(decoding: value, as: UTF8.self)
        }
        return nil
    }
}

/// Sits between SwiftNIO's HTTP/1 codec and Hummingbird's: answers requests for cached feeds
/// itself and hands every other request on. While a handed-on request still awaits its answer,
/// everything is handed on, so answers leave in the order the requests came (pipelining).
final class FeedFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Reading {
        case idle
        case handingOn
        case answering(head: HTTPRequestHead, key: FeedKey, feed: RenderedFeed, start: ContinuousClock.Instant)
    }

    private let answers: CachedFeedAnswers
    private var reading = Reading.idle
    /// Requests handed on whose answer has not been written to the end yet.
    private var awaitingRouter = 0
    /// Answers of ours still being written.
    private var writing = 0
    /// A shutdown asked connections to finish while an answer of ours was on its way.
    private var quiesceHeld = false
    private var date = DateHeader()
    private let outlet: WireOutlet

    init(answers: CachedFeedAnswers, outlet: WireOutlet) {
        self.answers = answers
        self.outlet = outlet
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), reading) {
        case (.head(let head), _):
            if awaitingRouter == 0, head.method == .GET || head.method == .HEAD, let found = answers.feed(at: head.uri) {
                reading = .answering(head: head, key: found.key, feed: found.feed, start: .now)
            } else {
                reading = .handingOn
                awaitingRouter += 1
                context.fireChannelRead(data)
            }
        case (.body, .answering):
            break
        case (.end, .answering(let head, let key, let feed, let start)):
            reading = .idle
            answer(head, key: key, feed: feed, start: start, context: context)
        case (.end, _):
            reading = .idle
            context.fireChannelRead(data)
        case (.body, _):
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { awaitingRouter -= 1 }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, isAnswering {
            quiesceHeld = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private var isAnswering: Bool {
        if case .answering = reading { return true }
        return writing > 0
    }

    /// Writes the whole answer as bytes through the outlet: the render's encoded head for the
    /// variant, the Date, Server and Connection lines, and the body.
    private func answer(_ request: HTTPRequestHead, key: FeedKey, feed: RenderedFeed, start: ContinuousClock.Instant, context: ChannelHandlerContext) {
        guard let wire = outlet.context else { return }
        let conditions = FeedConditions(
            isHead: request.method == .HEAD, acceptEncoding: request.headers.first(name: "accept-encoding"),
            ifNoneMatch: request.headers.first(name: "if-none-match"), ifModifiedSince: request.headers.first(name: "if-modified-since"))
        let variant = FeedResponse(feed: feed).variant(for: conditions)
        let keepAlive = request.isKeepAlive
        var head = context.channel.allocator.buffer(capacity: 512)
        head.writeStaticString("HTTP/1.1 ")
        head.writeImmutableBuffer(feed.wireHead(variant))
        head.writeStaticString("Date: ")
        head.writeString(date.now())
        if let serverName = answers.serverName {
            head.writeStaticString("\r\nServer: ")
            head.writeString(serverName)
        }
        if !keepAlive {
            head.writeStaticString("\r\nConnection: close")
        } else if request.version.minor == 0 {
            head.writeStaticString("\r\nConnection: keep-alive")
        }
        head.writeStaticString("\r\n\r\n")
        let written = context.eventLoop.makePromise(of: Void.self)
        if variant.notModified || conditions.isHead {
            wire.writeAndFlush(outlet.wrapOutboundOut(.byteBuffer(head)), promise: written)
        } else {
            wire.write(outlet.wrapOutboundOut(.byteBuffer(head)), promise: nil)
            wire.writeAndFlush(outlet.wrapOutboundOut(.byteBuffer(feed.body(variant))), promise: written)
        }
        writing += 1
        answers.metrics.feedRequest(key.metricsKind, status: variant.status.code)
        answers.metrics.recordRequest(.now - start)
        written.futureResult.assumeIsolated().whenComplete { [self] _ in
            writing -= 1
            if !keepAlive {
                context.close(promise: nil)
            } else if quiesceHeld, !isAnswering {
                quiesceHeld = false
                context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            }
        }
    }
}

/// The first handler of the pipeline, next to the socket: `FeedFastPath` writes its finished
/// answers through it, past SwiftNIO's HTTP encoder, which keeps no state between responses.
final class WireOutlet: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private(set) var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }
}

/// The `Date` header, formatted once per second.
private struct DateHeader {
    private var second = 0
    private var text = ""

    mutating func now() -> String {
        let now = Int(Date().timeIntervalSince1970)
        if now != second {
            second = now
            text = HTTPDate.string(Date(timeIntervalSince1970: TimeInterval(now)))
        }
        return text
    }
}
