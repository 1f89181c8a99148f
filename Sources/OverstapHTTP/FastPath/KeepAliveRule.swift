import NIOCore
import NIOHTTP1

/// Ends the connection after the answer to a request that did not ask to keep it (HTTP/1.0
/// without `Connection: keep-alive`, or `Connection: close`), and says so in that answer.
/// Hummingbird's HTTP/1 channel drops a request's version, so without this an HTTP/1.0 client
/// reading to the end of the connection would wait for the idle timeout. The fast path keeps the
/// same rule for the requests it answers itself.
final class KeepAliveRule: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether each request passed on and not yet answered to the end may keep the connection, oldest first.
    private var keepAlive: [Bool] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) { keepAlive.append(head.isKeepAlive) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let closing = keepAlive.first == false
        switch unwrapOutboundIn(data) {
        case .head(var head) where closing:
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end where !keepAlive.isEmpty:
            keepAlive.removeFirst()
            context.write(data, promise: promise)
            if closing { context.flush(); context.close(promise: nil) }
        default:
            context.write(data, promise: promise)
        }
    }
}
