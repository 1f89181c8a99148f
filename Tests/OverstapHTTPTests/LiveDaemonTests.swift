import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OverstapCore
import OverstapHTTP
import OverstapService
import OverstapTestSupport
import Testing

/// The daemon's server on a real port (the fast path in front of SwiftNIO's decoder and the
/// router), spoken to over raw sockets as a careless or hostile client would.
struct LiveDaemonTests {
    let fixture: AnswerRoutesTests
    let region = "/feeds/regions/midden-utrecht.ics"

    init() async throws {
        fixture = try await AnswerRoutesTests()
    }

    /// The routes of `serve` behind the feed-serving server. The limits are generous unless a
    /// test is about them: a loaded machine can stall a connection's first bytes for a second.
    func app(headTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(10)) throws -> some ApplicationProtocol {
        let metrics = DaemonMetrics()
        let router = FeedRoutes(service: fixture.service, cache: fixture.cache, metrics: metrics).router()
        AnswerRoutes(service: fixture.service, pages: try WebPages(folder: Repository.templatesFolder)).add(to: router)
        return Application(
            router: router,
            server: .feedServing(cache: fixture.cache, metrics: metrics, serverName: "overstap", headTimeout: headTimeout, idleTimeout: idleTimeout))
    }

    /// Sends `request` on a new connection and returns what came back within 5 s.
    func exchange(_ port: Int, _ request: String) async throws -> (text: String, closed: Bool) {
        let connection = try RawConnection(port: port)
        connection.send(request)
        return await connection.receive(waitingUpTo: 5)
    }

    @Test func aHeadThatNeverEndsIsClosedAfterTheHeadTimeout() async throws {
        try await app(headTimeout: .seconds(1), idleTimeout: .seconds(2)).test(.live) { client in
            let port = try #require(client.port)
            for partial in ["GET \(region) HTTP/1.1\r\nHost: x\r\n", "GET /rsvp/1.x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nX-Slow: a", ""] {
                let started = ContinuousClock.now
                let answer = try await exchange(port, partial)
                #expect(answer.closed && answer.text.isEmpty, "closed without an answer: \(partial.debugDescription)")
                #expect(ContinuousClock.now - started < .seconds(4), "by the head timeout, not by the test's own limit")
            }
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await app(headTimeout: .seconds(1), idleTimeout: .seconds(2)).test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = await connection.receive(waitingUpTo: 5)
            #expect(RawConnection.statuses(answer.text) == [200] && answer.closed, "answered, then closed once idle")
        }
    }

    @Test func aBareLFRequestGetsAnAnswer() async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            _ = try await client.execute(uri: region, method: .get)
            let answer = try await exchange(port, "GET \(region) HTTP/1.1\nHost: x\n\n")
            #expect(RawConnection.statuses(answer.text) == [400] && answer.closed, "SwiftNIO refuses it, and says so: \(answer.text)")
        }
    }

    @Test(arguments: ["X-Bad: a\u{1}b", "X-Bad: a\u{7F}b"])
    func aControlCharacterInAHeaderValueIsRefusedOnBothPaths(field: String) async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            _ = try await client.execute(uri: region, method: .get)
            for target in [region, "/healthz"] {
                let answer = try await exchange(port, "GET \(target) HTTP/1.1\r\nHost: x\r\n\(field)\r\n\r\n")
                #expect(RawConnection.statuses(answer.text) == [400], "\(target)")
            }
        }
    }

    @Test(arguments: ["GET %@ HTTP/1.1\r\n\r\n", "GET %@ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "GET %@ HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"])
    func aRequestWithoutExactlyOneHostGets400OnBothPaths(template: String) async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            _ = try await client.execute(uri: region, method: .get)
            for target in [region, "/healthz"] {
                let answer = try await exchange(port, template.replacingOccurrences(of: "%@", with: target))
                #expect(RawConnection.statuses(answer.text) == [400] && answer.closed, "\(target)")
                #expect(answer.text.contains("exactly one Host"))
            }
        }
    }

    @Test func anHTTP10RequestWithoutHostIsAnsweredAlikeOnBothPaths() async throws {
        try await app().test(.live) { client in
            let port = try #require(client.port)
            let first = try await exchange(port, "GET \(region) HTTP/1.0\r\n\r\n")
            let second = try await exchange(port, "GET \(region) HTTP/1.0\r\n\r\n")
            #expect(RawConnection.statuses(first.text) == [200] && RawConnection.statuses(second.text) == [200])
            #expect(first.closed && second.closed, "an HTTP/1.0 answer ends its connection")
            #expect(first.text.contains("\r\nConnection: close\r\n"))
            #expect(first.text.components(separatedBy: "\r\n\r\n").last == second.text.components(separatedBy: "\r\n\r\n").last)
        }
    }

    @Test func onlyTheCanonicalSpellingOfAnAnswerTokenOpensThePage() async throws {
        let path = try await fixture.path(of: "anouk@example.org")
        let token = String(path.dropFirst("/rsvp/".count))
        let parts = token.split(separator: ".")
        let (id, signature) = (parts[0], parts[1])
        try await app().test(.live) { client in
            let port = try #require(client.port)
            let canonical = try await exchange(port, "GET /rsvp/\(token) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(RawConnection.statuses(canonical.text) == [200])
            let last = signature.last!
            let sameBytes = "AQgw".contains(last) ? "AQgw".filter { $0 != last }.first! : "A"
            let variants = [
                "0\(id).\(signature)", "+\(id).\(signature)", "\(id).\(signature)=", "\(id).\(signature)==",
                "\(id).\(signature.replacingOccurrences(of: "-", with: "%2B").replacingOccurrences(of: "_", with: "%2F"))",
                "\(id).\(signature.dropLast())\(sameBytes)",
            ]
            for variant in variants {
                let answer = try await exchange(port, "GET /rsvp/\(variant) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(RawConnection.statuses(answer.text) == [404], "\(variant)")
            }
        }
    }

    @Test func everyGETRouteAnswersHEADWithTheSameStatusAndHeadersButNoBody() async throws {
        let partnerToken = try await fixture.service.rotateFeedToken(slug: "roc")
        fixture.cache.invalidate()
        let personal = try #require(try fixture.service.personalFeedLink(workerID: 1)).dropFirst("https://overstap.example.org".count)
        let routes = [
            (region, 200), ("/feeds/partners/roc.ics?token=\(partnerToken)", 200), (String(personal), 200), ("/healthz", 200),
            ("/metrics", 200), await (try fixture.path(of: "anouk@example.org"), 200), ("/feeds/regions/mars.ics", 404), ("/rsvp/1.wrong", 404),
        ]
        try await app().test(.live) { client in
            let port = try #require(client.port)
            for (route, status) in routes {
                let get = try await exchange(port, "GET \(route) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let head = try await exchange(port, "HEAD \(route) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(RawConnection.statuses(get.text) == [status] && RawConnection.statuses(head.text) == [status], "\(route)")
                #expect(head.text.hasSuffix("\r\n\r\n"), "HEAD \(route) has no body")
                let type = { (text: String) in text.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("content-type:") } }
                #expect(type(get.text) == type(head.text), "\(route)")
            }
        }
    }
}
