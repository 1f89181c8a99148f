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

    /// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); a weak match counts (§13.1.2).
    private func notModified(etag: String, request: Request) -> Bool {
        if let match = request.headers[.ifNoneMatch] {
            let tag = etag.utf8
            return HTTPListElements(match).contains { element in
                if element.elementsEqual(tag) || element.elementsEqual("*".utf8) { return true }
                return element.starts(with: "W/".utf8) && element.dropFirst(2).elementsEqual(tag)
            }
        }
        if let since = request.headers[.ifModifiedSince] {
            // The usual case is the client sending back our own Last-Modified: no parsing needed.
            return since == feed.lastModifiedText || HTTPDate.parse(since).map { feed.lastModified <= $0 } ?? false
        }
        return false
    }

    /// True when `gzip` (or `*`) is listed without a weight of zero (RFC 9110 §12.5.3).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        return HTTPListElements(header).contains { element in
            var parts = HTTPListElements(element, separator: UInt8(ascii: ";"))
            guard let coding = parts.next(), coding.equalsIgnoringASCIICase("gzip") || coding.elementsEqual("*".utf8) else {
                return false
            }
            while let parameter = parts.next() {
                if parameter.starts(with: "q=".utf8) || parameter.starts(with: "Q=".utf8), isZeroWeight(parameter.dropFirst(2)) {
                    return false
                }
            }
            return true
        }
    }

    /// `0`, `0.`, `0.0`, `0.00` or `0.000`: the weight that refuses a coding.
    private static func isZeroWeight(_ weight: Substring.UTF8View) -> Bool {
        guard weight.first == UInt8(ascii: "0"), weight.count <= 5 else { return false }
        let fraction = weight.dropFirst()
        return fraction.isEmpty || (fraction.first == UInt8(ascii: ".") && fraction.dropFirst().allSatisfy { $0 == UInt8(ascii: "0") })
    }
}
