import CompressNIO
import Crypto
import Foundation
import NIOCore

/// One feed as served: the body, its gzip form (compressed once per render), their strong
/// ETags and when the content last changed.
public struct RenderedFeed: Sendable {
    public let body: ByteBuffer
    public let gzipped: ByteBuffer
    public let etag: String
    public let gzipETag: String
    public let lastModified: Date
    /// `lastModified` as an HTTP date, formatted once per render.
    let lastModifiedText: String

    init(text: String, lastModified: Date) throws {
        let bytes = Array(text.utf8)
        body = ByteBuffer(bytes: bytes)
        var source = body
        gzipped = try source.compress(with: .gzip)
        let digest = SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
        etag = "\"\(digest)\""
        gzipETag = "\"\(digest)-gz\""
        self.lastModified = lastModified
        lastModifiedText = HTTPDate.string(lastModified)
    }

    /// The same content rendered again: keeps the old validators so caches stay valid.
    func isSameContent(as text: String) -> Bool {
        body.readableBytesView.elementsEqual(text.utf8)
    }
}
