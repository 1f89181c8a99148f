import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import OverstapHTTP
import OverstapService
import OverstapTestSupport
import Testing

/// The event-loop fast path on SwiftNIO's own HTTP/1 codec in an embedded channel, with a
/// recorder standing in for Hummingbird behind it: what it answers itself, what it hands on, and
/// in which order answers leave.
struct FeedFastPathTests {
    let directory = TemporaryDirectory()
    let service: OverstapService
    let cache: FeedCache
    let token: String
    let region = "/feeds/regions/midden-utrecht.ics"
    let limits = ConnectionTimeouts.Limits(head: .seconds(10), idle: .seconds(60))

    init() async throws {
        (service, token) = try await HTTPTestData.service(in: directory, workersCSV: """
            email,name,sector,targets,region,languages,availability,status
            anouk.geheim@example.org,Anouk Geheimnaam,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed

            """)
        cache = FeedCache(service: service)
    }

    /// A channel with SwiftNIO's HTTP/1 server codec, the fast path and a recorder behind it.
    func channel() throws -> (EmbeddedChannel, RouterStandIn) {
        let channel = EmbeddedChannel()
        let standIn = RouterStandIn()
        let pipeline = channel.pipeline.syncOperations
        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: false)
        try FeedServingChannel.addFastPath(
            CachedFeedAnswers(cache: cache, metrics: DaemonMetrics(), serverName: "overstap"), limits: limits, to: pipeline)
        try pipeline.addHandler(standIn)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        return (channel, standIn)
    }

    @Test(arguments: [
        ("plain", [:]), ("gzip", ["Accept-Encoding": "gzip"]), ("HEAD", [:]), ("304", ["If-None-Match": "current"]),
        ("gzip 304", ["Accept-Encoding": "gzip", "If-None-Match": "current gzip"]),
    ] as [(String, [String: String])])
    func aCachedFeedIsAnsweredWithTheRoutersHeadersAndBody(variant: String, headers: [String: String]) async throws {
        let feed = try await #require(try cache.feed(.region("midden-utrecht")))
        var fields = HTTPFields()
        for (name, value) in headers {
            fields[HTTPField.Name(name)!] = ["current": feed.etag, "current gzip": feed.gzipETag][value] ?? value
        }
        let method: HTTPRequest.Method = variant == "HEAD" ? .head : .get
        let requestFields = fields
        let routed = try await Application(router: FeedRoutes(service: service, cache: cache).router()).test(.router) { client in
            try await client.execute(uri: region, method: method, headers: requestFields)
        }
        let (channel, standIn) = try channel()
        let lines = fields.map { "\($0.name.rawName): \($0.value)\r\n" }.joined()
        let answers = try ask(channel, "\(method.rawValue) \(region) HTTP/1.1\r\nHost: x\r\n\(lines)\r\n")
        #expect(standIn.heads.isEmpty, "answered on the event loop")
        let answer = try #require(answers.first)
        #expect(answers.count == 1 && answer.status == routed.status.code)
        for name in [HTTPField.Name.contentType, .eTag, .lastModified, .cacheControl, .vary, .contentLength, .contentEncoding] {
            #expect(answer.headers[name.rawName.lowercased()] == routed.headers[name], "\(name) of \(variant)")
        }
        #expect(answer.headers["server"] == "overstap" && answer.headers["date"] != nil)
        #expect(answer.body == Array(routed.body.readableBytesView))
    }

    @Test func whatTheFastPathCannotAnswerGoesOnToTheRouter() async throws {
        let (channel, standIn) = try channel()
        let partner = "/feeds/partners/roc.ics?token=\(token)"
        let first = try ask(channel, "GET \(partner) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(first.isEmpty && standIn.heads.map(\.uri) == [partner], "not rendered yet: the router renders it")
        standIn.answerAll()
        _ = try channel.readAllOutbound()
        _ = try await #require(try cache.partnerFeed(slug: "roc", token: token))
        let handedOn = [
            "/feeds/partners/roc.ics?token=\(token.dropLast())x", "/feeds/partners/roc.ics", "/feeds/partners/roc.ics?token=a%2Bb",
            "/feeds/regions/midden%2Dutrecht.ics", "/feeds/regions/.ics", "/feeds/regions/a/b.ics", "/feeds/elsewhere/x.ics", "/healthz",
        ]
        for uri in handedOn {
            #expect(try ask(channel, "GET \(uri) HTTP/1.1\r\nHost: x\r\n\r\n").isEmpty, "\(uri)")
            standIn.answerAll()
            _ = try channel.readAllOutbound()
        }
        #expect(try ask(channel, "POST \(partner) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").isEmpty)
        #expect(standIn.heads.map(\.uri) == [partner] + handedOn + [partner])
        standIn.answerAll()
        _ = try channel.readAllOutbound()
        #expect(try ask(channel, "GET \(partner) HTTP/1.1\r\nHost: x\r\n\r\n").first?.status == 200, "now rendered: answered here")
    }

    @Test func pipelinedAnswersLeaveInTheOrderTheRequestsCame() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        let request = "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n"
        let early = try ask(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + request)
        #expect(early.isEmpty, "the feed waits behind the router's answer")
        #expect(standIn.heads.map(\.uri) == ["/healthz", region], "so it is handed on too")
        standIn.answerAll()
        let later = try ask(channel, request)
        #expect(standIn.heads.count == 2, "nothing awaits the router any more: answered here")
        let all = try parse(Array(early.flatMap(\.raw)) + later.flatMap(\.raw))
        #expect(all.map(\.status) == [202, 202, 200])
    }

    @Test func connectionCloseIsHonouredOnceTheAnswerIsWritten() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (keptOpen, _) = try channel()
        let old = try #require(try ask(keptOpen, "GET \(region) HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").first)
        #expect(old.headers["connection"] == "keep-alive" && keptOpen.isActive)
        for request in ["GET \(region) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET \(region) HTTP/1.0\r\n\r\n"] {
            let (channel, _) = try channel()
            let answer = try #require(try ask(channel, request).first)
            #expect(answer.status == 200 && answer.headers["connection"] == "close")
            #expect(!channel.isActive, "closed after the answer")
        }
    }

    @Test func aShutdownReachesHummingbirdWhenNothingIsBeingAnswered() async throws {
        let (channel, standIn) = try channel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(standIn.quiesceEvents == 1)
    }

    @Test func aCachedPartnerFeedOpensOnlyForItsCurrentToken() async throws {
        let wrong = String(token.dropLast()) + (token.hasSuffix("x") ? "y" : "x")
        await #expect(try cache.partnerFeed(slug: "roc", token: token) != nil)
        #expect(cache.cachedPartnerFeed(slug: "roc", token: token) != nil)
        #expect(cache.cachedPartnerFeed(slug: "roc", token: wrong) == nil, "one byte off")
        let rotated = try await service.rotateFeedToken(slug: "roc")
        cache.invalidate()
        await #expect(try cache.partnerFeed(slug: "roc", token: token) == nil, "the old token no longer opens it")
        await #expect(try cache.partnerFeed(slug: "roc", token: rotated) != nil)
        #expect(cache.cachedPartnerFeed(slug: "roc", token: token) == nil && cache.cachedPartnerFeed(slug: "roc", token: rotated) != nil)
    }

    @Test func theFeedAConnectionRemembersIsAnsweredOnlyWhileItsRenderIsCurrent() async throws {
        let partner = "/feeds/partners/roc.ics?token=\(token)"
        let request = "GET \(partner) HTTP/1.1\r\nHost: x\r\n\r\n"
        _ = try await cache.partnerFeed(slug: "roc", token: token)
        let (channel, standIn) = try channel()
        #expect(try ask(channel, request).map(\.status) == [200])
        #expect(try ask(channel, request).map(\.status) == [200], "the same target again")
        _ = try await service.rotateFeedToken(slug: "roc")
        cache.invalidate()
        #expect(try ask(channel, request).isEmpty, "the data changed: the router decides")
        #expect(standIn.heads.map(\.uri) == [partner])
    }

    @Test func aRequestArrivingInPiecesIsAnsweredOnceItIsWhole() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(try ask(channel, "GET \(region) HTTP/1.1\r\nHo").isEmpty)
        #expect(try ask(channel, "st: x\r\n").isEmpty)
        let answers = try ask(channel, "\r\n")
        #expect(answers.map(\.status) == [200] && standIn.heads.isEmpty)
    }

    @Test(arguments: [
        "GET /feeds/regions/midden-utrecht.ics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nAccept-Encoding: gzip\r\n\r\n",
        "GET /feeds/regions/midden-utrecht.ics HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n",
        "GET /feeds/regions/midden-utrecht.ics HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n",
        "GET /feeds/regions/midden-utrecht.ics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
        "OPTIONS /feeds/regions/midden-utrecht.ics HTTP/1.1\r\nHost: x\r\n\r\n",
    ])
    func aRequestTheFastPathWouldReadOnlyInPartGoesToTheRouter(request: String) async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(try ask(channel, request).isEmpty)
        #expect(standIn.heads.map(\.uri) == [region])
        standIn.answerAll()
        _ = try channel.readAllOutbound()
        let next = try ask(channel, "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(next.map(\.status) == [200], "the next request is framed and answered here again")
    }

    @Test(arguments: [
        "POST /rsvp/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "p", count: RequestFraming.maxHeadBytes))\r\n\r\n",
    ])
    func bytesThatCannotBeFramedStrictlyGoToTheDecoderWithEverythingAfterThem(request: String) async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        let feedRequest = "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(try ask(channel, request + feedRequest).isEmpty)
        #expect(standIn.heads.count == 2 && standIn.heads.last?.uri == region)
        standIn.answerAll()
        _ = try channel.readAllOutbound()
        #expect(try ask(channel, feedRequest).isEmpty, "the decoder keeps the connection")
        #expect(standIn.heads.count == 3)
    }

    @Test func aRequestHandedOnThatEndsTheConnectionIsItsLast() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(try ask(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").isEmpty)
        standIn.answerAll()
        _ = try channel.readAllOutbound()
        #expect(!channel.isActive, "the connection ends with the answer")
        _ = try? channel.writeInbound(ByteBuffer(string: "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try channel.readAllOutbound().isEmpty && standIn.heads.map(\.uri) == ["/healthz"])
    }

    @Test func afterAShutdownRequestsGoToHummingbird() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(try ask(channel, "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n").map(\.status) == [200])
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(standIn.quiesceEvents == 1, "passed on once the answers before it were written")
        #expect(try ask(channel, "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n").isEmpty)
        #expect(standIn.heads.map(\.uri) == [region])
    }

    @Test(arguments: ["GET /healthz HTTP/1.1\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "GET /healthz HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n"])
    func aRequestWithoutOneHostGets400AndTheConnectionEnds(request: String) async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        let answers = try ask(channel, request + "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(answers.map(\.status) == [400] && answers.first?.headers["connection"] == "close")
        #expect(standIn.heads.isEmpty && !channel.isActive, "neither the router nor the fast path answers anything after it")
    }

    @Test func aRequestWithoutHostWaitsForTheAnswersBeforeIt() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(try ask(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET \(region) HTTP/1.1\r\n\r\n").isEmpty)
        standIn.answerAll()
        #expect(try parse(channel.readAllOutbound()).map(\.status) == [202, 400])
    }

    @Test func aFeedFetchOverHTTP10WithoutHostIsAnsweredAsTheRouterWould() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(try ask(channel, "GET \(region) HTTP/1.0\r\n\r\n").map(\.status) == [200] && standIn.heads.isEmpty)
    }

    @Test(arguments: ["GET \(feedPath) HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{1}b\r\n\r\n", "GET \(feedPath) HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{7F}b\r\n\r\n"])
    func aControlCharacterInAHeaderValueIsRefusedBySwiftNIOAndNotAnsweredHere(request: String) async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(throws: (any Error).self, "SwiftNIO's decoder refuses it") { try channel.writeInbound(ByteBuffer(string: request)) }
        #expect(try channel.readAllOutbound().isEmpty && standIn.heads.isEmpty)
    }

    @Test func aBareLFRequestIsHandedOnToSwiftNIOAtOnce() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        #expect(throws: (any Error).self, "SwiftNIO's decoder refuses it (Hummingbird answers 400)") {
            try channel.writeInbound(ByteBuffer(string: "GET \(region) HTTP/1.1\nHost: x\n\n"))
        }
        #expect(try channel.readAllOutbound().isEmpty && standIn.heads.isEmpty)
    }

    static let feedPath = "/feeds/regions/midden-utrecht.ics"

    @Test func aHeadNotWholeInTimeClosesTheConnection() async throws {
        let (channel, _) = try channel()
        try channel.writeInbound(ByteBuffer(string: "GET \(region) HTTP/1.1\r\nHo"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        try channel.writeInbound(ByteBuffer(string: "st: x\r\n"))
        #expect(channel.isActive, "more bytes do not move the limit")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheHeadTimeout() async throws {
        let (channel, _) = try channel()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(9_999))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(!channel.isActive)
    }

    @Test func aHeadHandedOnToTheDecoderMustAlsoBeWholeInTime() async throws {
        let (channel, _) = try channel()
        try channel.writeInbound(ByteBuffer(string: "GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Slow: "))
        channel.embeddedEventLoop.advanceTime(by: .seconds(10))
        #expect(!channel.isActive)
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeoutAndABusyOneIsNot() async throws {
        _ = try await cache.feed(.region("midden-utrecht"))
        let (channel, standIn) = try channel()
        for _ in 0..<3 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(5))
            #expect(try ask(channel, "GET \(region) HTTP/1.1\r\nHost: x\r\n\r\n").map(\.status) == [200])
            channel.embeddedEventLoop.advanceTime(by: .seconds(50))
            #expect(channel.isActive, "between requests the idle limit runs, not the head limit")
        }
        #expect(try ask(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").isEmpty)
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "no limit runs while the router owes an answer")
        standIn.answerAll()
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive, "idle for 60 s after the last answer")
    }

    /// Sends raw request bytes and parses every answer written so far.
    private func ask(_ channel: EmbeddedChannel, _ request: String) throws -> [Answer] {
        try channel.writeInbound(ByteBuffer(string: request))
        return try parse(channel.readAllOutbound())
    }
}

/// One HTTP/1 answer as it left the channel.
struct Answer {
    let status: Int
    /// By lower-cased name.
    let headers: [String: String]
    let body: [UInt8]
    let raw: [UInt8]
}

/// Splits written bytes into answers, each framed by its Content-Length. A 304 has no body, and
/// neither has an answer to HEAD: the tests send HEAD alone, so its answer ends the bytes.
private func parse(_ bytes: [UInt8]) throws -> [Answer] {
    var answers: [Answer] = []
    var rest = bytes[...]
    let separator = Array("\r\n\r\n".utf8)
    while !rest.isEmpty {
        guard let end = rest.indices.first(where: { rest[$0...].starts(with: separator) }) else { throw ParseFailure() }
        let head = String(decoding: rest[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = end + separator.count
        let available = rest.endIndex - bodyStart
        let length = min(Int(headers["content-length"] ?? "0") ?? 0, available)
        let bodyEnd = status == 304 || available == 0 ? bodyStart : bodyStart + length
        answers.append(Answer(status: status, headers: headers, body: Array(rest[bodyStart..<bodyEnd]), raw: Array(rest[..<bodyEnd])))
        rest = rest[bodyEnd...]
    }
    return answers
}

private struct ParseFailure: Error {}

extension EmbeddedChannel {
    /// Every byte written towards the socket so far.
    func readAllOutbound() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let data = try readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { continue }
            bytes += buffer.readableBytesView
        }
        return bytes
    }
}

/// Stands in for Hummingbird: records the requests handed on and answers them with `202` when told.
final class RouterStandIn: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private(set) var heads: [HTTPRequestHead] = []
    private(set) var quiesceEvents = 0
    private var unanswered = 0
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            heads.append(head)
            unanswered += 1
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent { quiesceEvents += 1 }
    }

    /// Answers every request handed on so far, in order.
    func answerAll() {
        guard let context else { return }
        while unanswered > 0 {
            unanswered -= 1
            let head = HTTPResponseHead(version: .http1_1, status: .accepted, headers: ["Content-Length": "0"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
