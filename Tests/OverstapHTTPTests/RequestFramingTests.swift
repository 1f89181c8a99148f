@testable import OverstapHTTP
import Testing

/// `RequestFraming.frame` on its own: where a request ends, and which bytes it leaves to
/// SwiftNIO's decoder.
struct RequestFramingTests {
    /// What `frame` made of `text`: `framed N`, `incomplete` or `unframeable`.
    static func verdict(_ text: String) -> String {
        let bytes = Array(text.utf8)
        return switch bytes.withUnsafeBufferPointer({ RequestFraming.frame($0) }) {
        case .framed(let request): "framed \(request.length)"
        case .incomplete: "incomplete"
        case .unframeable: "unframeable"
        }
    }

    static func request(_ text: String) -> FramedRequest? {
        let bytes = Array(text.utf8)
        guard case .framed(let request) = bytes.withUnsafeBufferPointer({ RequestFraming.frame($0) }) else { return nil }
        return request
    }

    static let feed = "GET /feeds/regions/midden-utrecht.ics HTTP/1.1\r\nHost: x\r\n\r\n"

    @Test(arguments: [
        (feed, "framed \(feed.utf8.count)"),
        (feed + "GET /healthz HTTP/1.1\r\n", "framed \(feed.utf8.count)"),
        ("POST /rsvp/1.x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET", "framed 58"),
        ("GET /healthz HTTP/1.0\r\n\r\n", "framed 25"),
        ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Tab:\ta\tb \r\n\r\n", "framed 47"),
        ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Text: caf\u{E9}\r\n\r\n", "framed 49"),
    ])
    func aWellFormedRequestEndsAfterItsBlankLineAndBody(text: String, expected: String) {
        #expect(Self.verdict(text) == expected)
    }

    @Test(arguments: [
        "", "G", "GET", "GET /feeds/regions/midden-utrecht.ics HTTP/1.1\r", "GET /healthz HTTP/1.1\r\nHost: x\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r", "POST /rsvp/1.x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab",
    ])
    func aRequestNotYetWholeWaitsForMoreBytes(text: String) {
        #expect(Self.verdict(text) == "incomplete")
    }

    @Test(arguments: [
        "GET /healthz HTTP/1.1\nHost: x\n\n", "GET /healthz HTTP/1.1\r\nHost: x\n\r\n", "GET /healthz HTTP/1.1\nHost: x\r\n",
        "GET /healthz HTTP/1.1\rHost: x\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{1}b\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{7F}b\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u{0}b\r\n",
        "GET /healthz HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "GET /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        "GET /healthz HTTP/1.1\r\nContent-Length: +1\r\n\r\nx", "FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "get /healthz HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.2\r\n\r\n", "GET  /healthz HTTP/1.1\r\n\r\n", "GET /a\u{7F}b HTTP/1.1\r\n\r\n", "\r\nGET /healthz HTTP/1.1\r\n\r\n",
        "XYZ", "GET /healthz HTTP/1.1\r\nBad Name: x\r\n", "GET healthz HTTP/1.1\r\nHost: x\r\n\r\n", "GET healthz",
        "GET * HTTP/1.1\r\nHost: x\r\n\r\n", "GET /healthz HTTP/1.1\r\nContent-Length: 0\r\nContent-Length:",
        "GET /healthz HTTP/1\r", "POST /rsvp/1.x HTTP/1.1\r\nContent-Length: 3 3", "POST /rsvp/1.x HTTP/1.1\r\nContent-Length: 3\t\r\n\r\nabc",
        "GET /healthz HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: RequestFraming.maxFieldCount + 1) + "\r\n",
        "GET /healthz HTTP/1.1\r\nX-Long: " + String(repeating: "p", count: RequestFraming.maxHeadBytes),
    ])
    func bytesTheFastPathCannotReadStrictlyAreLeftToTheDecoder(text: String) {
        #expect(Self.verdict(text) == "unframeable")
    }

    @Test(arguments: [
        ("GET \(feedPath) HTTP/1.1\r\nHost: x\r\n\r\n", true),
        ("HEAD \(feedPath) HTTP/1.1\r\nHost: x\r\n\r\n", true),
        ("GET \(feedPath) HTTP/1.0\r\n\r\n", true),
        ("GET \(feedPath) HTTP/1.0\r\nHost: x\r\n\r\n", true),
        ("GET \(feedPath) HTTP/1.1\r\n\r\n", false),
        ("GET \(feedPath) HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", false),
        ("GET \(feedPath) HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n", false),
        ("POST \(feedPath) HTTP/1.1\r\nHost: x\r\n\r\n", false),
        ("GET \(feedPath) HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx", false),
        ("GET \(feedPath) HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n", false),
        ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", false),
    ])
    func onlyAPlainFetchOfAFeedWithOneHostMayBeAnsweredByTheFastPath(text: String, answerable: Bool) throws {
        let request = try #require(Self.request(text))
        #expect(request.mayBeAnsweredHere == answerable)
    }

    static let feedPath = "/feeds/regions/midden-utrecht.ics"

    @Test(arguments: [
        ("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", true), ("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        ("GET /healthz HTTP/1.0\r\n\r\n", false), ("GET /healthz HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
    ])
    func keepAliveFollowsTheVersionAndConnectionField(text: String, keepAlive: Bool) throws {
        #expect(try #require(Self.request(text)).keepAlive == keepAlive)
    }

    @Test func theFastPathAndSwiftNIOsDecoderAgreeOnTwoThousandGeneratedRequests() {
        let summary = FramingDifferential.run(seed: 2027, count: 2_000)
        #expect(summary.disagreements.isEmpty, "\(summary.disagreements.prefix(5).map(\.description).joined(separator: "\n"))")
        #expect(
            summary.framed > 800 && summary.answerable > 100 && summary.handedOn > 100 && summary.refused > 100,
            "the inputs cover every case: \(summary.framed) framed, \(summary.answerable) answerable, \(summary.handedOn) handed on, \(summary.refused) refused")
    }
}
