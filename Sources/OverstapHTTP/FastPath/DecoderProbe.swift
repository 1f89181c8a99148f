import NIOCore
import NIOEmbedded
import NIOHTTP1

/// SwiftNIO's request decoder in an embedded channel, configured as Hummingbird configures it,
/// recording the heads and request ends it reads.
final class DecoderProbe {
    private let channel = EmbeddedChannel()
    private let recorder = Recorder()
    private(set) var error: String?

    var heads: [HTTPRequestHead] { recorder.heads }

    init() {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldCount = 1000
        let decoder = HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop, limitConfiguration: limits)
        try? channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(decoder))
        try? channel.pipeline.syncOperations.addHandler(recorder)
    }

    /// Closes the channel, which breaks its pipeline's references so the probe is freed.
    func finish() {
        _ = try? channel.finish()
    }

    /// Feeds bytes; tells how many requests ended during them and whether the decoder refused.
    func feed(_ bytes: [UInt8]) -> (ends: Int, refused: Bool) {
        guard error == nil else { return (0, true) }
        let before = recorder.ends
        do {
            try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        } catch {
            self.error = "\(error)"
        }
        return (recorder.ends - before, error != nil)
    }

    private final class Recorder: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        var heads: [HTTPRequestHead] = []
        var ends = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): heads.append(head)
            case .body: break
            case .end: ends += 1
            }
        }
    }
}
