import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import NIOCore

/// One feed as served: the body, its gzip form (compressed once per render), their strong
/// ETags, when the content last changed, and its four answers' headers encoded for the wire.
public struct RenderedFeed: Sendable {
    public let body: ByteBuffer
    public let gzipped: ByteBuffer
    public let etag: String
    public let gzipETag: String
    public let lastModified: Date
    /// `lastModified` as an HTTP date, formatted once per render.
    let lastModifiedText: String
    /// The earliest If-Modified-Since that shows a client has this content: `lastModified`, or a
    /// second later when the content it replaced changed in the same second (HTTP dates have
    /// whole seconds, so a client sending back that date may hold either).
    let modifiedSinceFloor: Date
    let cacheControl: String
    /// By variant index: the status line's code and reason and the header lines of
    /// `FeedResponse.headers`, as `FeedFastPath` writes them. Set at the end of `init`.
    private var wireHeads: [ByteBuffer] = []

    init(text: String, lastModified: Date, cacheControl: String, replacing previous: RenderedFeed? = nil) throws {
        let bytes = Array(text.utf8)
        body = ByteBuffer(bytes: bytes)
        var source = body
        gzipped = try source.compress(with: .gzip)
        let digest = SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
        etag = "\"\(digest)\""
        gzipETag = "\"\(digest)-gz\""
        self.lastModified = lastModified
        lastModifiedText = HTTPDate.string(lastModified)
        modifiedSinceFloor = previous?.lastModified == lastModified ? lastModified.addingTimeInterval(1) : lastModified
        self.cacheControl = cacheControl
        wireHeads = FeedResponse.Variant.allCases.map(encodedHead)
    }

    func etag(_ variant: FeedResponse.Variant) -> String { variant.gzip ? gzipETag : etag }

    func body(_ variant: FeedResponse.Variant) -> ByteBuffer { variant.gzip ? gzipped : body }

    /// `200 OK\r\n` or `304 Not Modified\r\n`, then every header line of the variant.
    func wireHead(_ variant: FeedResponse.Variant) -> ByteBuffer { wireHeads[variant.index] }

    private func encodedHead(_ variant: FeedResponse.Variant) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("\(variant.status.code) \(variant.status.reasonPhrase)\r\n")
        for field in FeedResponse.headers(of: self, variant) {
            buffer.writeString("\(field.name.rawName): \(field.value)\r\n")
        }
        return buffer
    }

    /// The same content rendered again: keeps the old validators so caches stay valid.
    func isSameContent(as text: String) -> Bool {
        body.readableBytesView.elementsEqual(text.utf8)
    }
}
