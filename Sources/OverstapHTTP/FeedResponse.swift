import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Turns a rendered feed into the answer for one request: gzip when accepted, 304 when the
/// client's copy is current, headers only for HEAD.
struct FeedResponse {
    let feed: RenderedFeed
    let cacheControl: String

    func response(to request: Request) -> Response {
        let gzip = Self.acceptsGzip(request.headers[.acceptEncoding])
        let etag = gzip ? feed.gzipETag : feed.etag
        var headers: HTTPFields = [
            .contentType: "text/calendar; charset=utf-8", .eTag: etag, .lastModified: feed.lastModifiedText,
            .cacheControl: cacheControl, .vary: "Accept-Encoding",
        ]
        if notModified(etag: etag, request: request) {
            return Response(status: .notModified, headers: headers)
        }
        let body = gzip ? feed.gzipped : feed.body
        if gzip { headers[.contentEncoding] = "gzip" }
        headers[.contentLength] = String(body.readableBytes)
        if request.method == .head { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    private func notModified(etag: String, request: Request) -> Bool {
        if let match = request.headers[.ifNoneMatch] {
            return match.split(separator: ",").contains { tag in
                let trimmed = tag.trimmingCharacters(in: .whitespaces)
                return trimmed == "*" || trimmed == etag || trimmed == "W/" + etag
            }
        }
        if let since = request.headers[.ifModifiedSince] {
            // The usual case is the client sending back our own Last-Modified: no parsing needed.
            return since == feed.lastModifiedText || HTTPDate.parse(since).map { feed.lastModified <= $0 } ?? false
        }
        return false
    }

    /// True when `gzip` is listed without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return header.split(separator: ",").contains { entry in
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            return !parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" }
        }
    }
}
