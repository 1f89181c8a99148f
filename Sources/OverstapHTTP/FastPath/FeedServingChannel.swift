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
    private let limits: ConnectionTimeouts.Limits

    /// Hummingbird's HTTP/1 channel over `responder`, with cached feeds answered from `cache`;
    /// a request head must be whole within `headTimeout`, the next request start within `idleTimeout`.
    public init(
        responder: @escaping HTTPChannelHandler.Responder, cache: FeedCache, metrics: DaemonMetrics, serverName: String?,
        headTimeout: Duration, idleTimeout: Duration
    ) {
        http1 = HTTP1Channel(responder: responder)
        answers = CachedFeedAnswers(cache: cache, metrics: metrics, serverName: serverName)
        limits = ConnectionTimeouts.Limits(head: TimeAmount(headTimeout), idle: TimeAmount(idleTimeout))
    }

    /// Sets up Hummingbird's pipeline, then adds the fast path.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let (answers, limits) = (answers, limits)
        return http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try Self.addFastPath(answers, limits: limits, to: channel.pipeline.syncOperations)
            return value
        }
    }

    /// Puts the fast path first, next to the socket, and right behind SwiftNIO's HTTP/1 decoder
    /// the counter of the router's requests and answers, the check of the Host field, then the
    /// keep-alive rule.
    static func addFastPath(_ answers: CachedFeedAnswers, limits: ConnectionTimeouts.Limits, to pipeline: ChannelPipeline.SynchronousOperations) throws {
        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        let fastPath = FeedFastPath(answers: answers, limits: limits)
        try pipeline.addHandler(fastPath, position: .first)
        let counter = RouterAnswerCounter(fastPath: fastPath, context: try pipeline.context(handler: fastPath))
        try pipeline.addHandler(counter, position: .after(decoder))
        let hostCheck = HostFieldCheck()
        try pipeline.addHandler(hostCheck, position: .after(counter))
        try pipeline.addHandler(KeepAliveRule(), position: .after(hostCheck))
    }

    /// Hummingbird's request loop, for the requests the fast path hands on.
    public func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1 server with cached feeds answered on the event loop and the
    /// connection time limits (defaults: those of `http.head_timeout` and `http.idle_timeout`).
    public static func feedServing(
        cache: FeedCache, metrics: DaemonMetrics, serverName: String?, headTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            FeedServingChannel(
                responder: responder, cache: cache, metrics: metrics, serverName: serverName, headTimeout: headTimeout, idleTimeout: idleTimeout)
        }
    }
}

/// Finds the cached feed a request asks for and counts what was answered.
struct CachedFeedAnswers: Sendable {
    let cache: FeedCache
    let metrics: DaemonMetrics
    let serverName: String?

    /// The feed a plain feed URL names, when a current render is cached (and for a partner feed,
    /// the token opens it); nil sends the request to the router.
    func feed(at target: PlainFeedTarget) -> RenderedFeed? {
        if case .partner(let slug) = target.key {
            return target.token.flatMap { cache.cachedPartnerFeed(slug: slug, token: $0) }
        }
        return cache.cachedFeed(target.key)
    }
}

/// `/feeds/KIND/NAME.ics[?…token=…]` read on its bytes, once for each new target a connection
/// asks for; anything escaped, nested or otherwise unusual is left to the router.
struct PlainFeedTarget {
    let key: FeedKey
    /// The first `token` parameter, when it needs no decoding.
    let token: String?

    init?(_ target: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(target) else { return nil }
        self = parsed
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
        var start = query.startIndex
        while start < query.endIndex {
            let end = query[start...].firstIndex(of: UInt8(ascii: "&")) ?? query.endIndex
            let parameter = query[start..<end]
            if parameter.starts(with: key) {
                let value = parameter.dropFirst(key.count)
                let escaped = value.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }
                return escaped ? nil : String(decoding: value, as: UTF8.self)
            }
            start = end + 1
        }
        return nil
    }
}

/// The `Date` header, formatted once per second.
struct DateHeader {
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
