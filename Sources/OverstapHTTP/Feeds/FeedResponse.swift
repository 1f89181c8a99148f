import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What the answer to a feed request depends on besides the feed: its method and the headers
/// that choose the encoding and make it conditional.
struct FeedConditions {
    var isHead = false
    var acceptEncoding: String?
    var ifNoneMatch: String?
    var ifModifiedSince: String?
}

/// Turns a rendered feed into the answer for one request: gzip when accepted, 304 when the
/// client's copy is current, headers only for HEAD. The router answers through it, and the
/// event-loop path of `FeedServingChannel` sends the same headers, encoded once per render.
struct FeedResponse {
    let feed: RenderedFeed

    /// Which of a render's four answers a request gets.
    struct Variant: CaseIterable {
        var gzip: Bool
        var notModified: Bool

        /// In the order of `index`.
        static let allCases = [Variant(gzip: false, notModified: false), Variant(gzip: false, notModified: true),
                               Variant(gzip: true, notModified: false), Variant(gzip: true, notModified: true)]

        /// Its place in `allCases`.
        var index: Int { (gzip ? 2 : 0) + (notModified ? 1 : 0) }
    }

    func response(to request: Request) -> Response {
        let conditions = FeedConditions(
            isHead: request.method == .head, acceptEncoding: request.headers[.acceptEncoding],
            ifNoneMatch: request.headers[.ifNoneMatch], ifModifiedSince: request.headers[.ifModifiedSince])
        let variant = variant(for: conditions)
        let headers = Self.headers(of: feed, variant)
        if variant.notModified {
            // Hummingbird adds `Content-Length: 0` to an empty answer; on a 304 that would claim the
            // 200's length is 0 (RFC 9110 §8.6), and some clients then wait for a body.
            var response = Response(status: .notModified, headers: headers)
            response.headers[.contentLength] = nil
            return response
        }
        if conditions.isHead { return Response(status: .ok, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: feed.body(variant)))
    }

    func variant(for request: FeedConditions) -> Variant {
        let gzip = Self.acceptsGzip(request.acceptEncoding)
        return Variant(gzip: gzip, notModified: notModified(etag: gzip ? feed.gzipETag : feed.etag, request: request))
    }

    /// The headers of one variant of a render.
    static func headers(of content: RenderedFeed, _ variant: Variant) -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: "text/calendar; charset=utf-8", .eTag: content.etag(variant), .lastModified: content.lastModifiedText,
            .cacheControl: content.cacheControl, .vary: "Accept-Encoding",
        ]
        if !variant.notModified {
            if variant.gzip { headers[.contentEncoding] = "gzip" }
            headers[.contentLength] = String(content.body(variant).readableBytes)
        }
        return headers
    }

    /// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); a weak match counts (§13.1.2).
    private func notModified(etag: String, request: FeedConditions) -> Bool {
        if let match = request.ifNoneMatch {
            let tag = etag.utf8
            return HTTPListElements(match).contains { element in
                if element.elementsEqual(tag) || element.elementsEqual("*".utf8) { return true }
                return element.starts(with: "W/".utf8) && element.dropFirst(2).elementsEqual(tag)
            }
        }
        if let since = request.ifModifiedSince {
            // The usual case is the client sending back our own Last-Modified: no parsing needed.
            guard let date = since == feed.lastModifiedText ? feed.lastModified : HTTPDate.parse(since) else { return false }
            return feed.modifiedSinceFloor <= date
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

extension FeedResponse.Variant {
    var status: HTTPResponse.Status { notModified ? .notModified : .ok }
}
