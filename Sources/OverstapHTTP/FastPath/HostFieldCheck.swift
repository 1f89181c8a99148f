import NIOCore
import NIOHTTP1

/// Answers 400 to a request that RFC 9112 §3.2 says a server must refuse: an HTTP/1.1 request
/// without `Host`, or any request with more than one. Sits right behind SwiftNIO's decoder, so
/// requests the fast path hands on and those the decoder reads alone are checked the same way;
/// the fast path never answers such a request itself. The refusal leaves after the answers to the
/// requests before it, and ends the connection.
final class HostFieldCheck: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Requests passed on whose answer has not been written to the end yet.
    private var unanswered = 0
    /// Whether a refused request was read: nothing after it is passed on.
    private var refusing = false

    /// Whether a request with this head must be refused.
    static func refuses(_ head: HTTPRequestHead) -> Bool {
        let hosts = head.headers["Host"].count
        return hosts > 1 || (hosts == 0 && (head.version.major, head.version.minor) >= (1, 1))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refusing else { return }
        let part = unwrapInboundIn(data)
        if case .head(let head) = part, Self.refuses(head) {
            refusing = true
            if unanswered == 0 { refuse(context: context) }
            return
        }
        if case .head = part { unanswered += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .end = unwrapOutboundIn(data) else { return }
        unanswered -= 1
        if refusing, unanswered == 0 { refuse(context: context) }
    }

    private func refuse(context: ChannelHandlerContext) {
        let body = "a request needs exactly one Host header (RFC 9112 §3.2)\n"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
