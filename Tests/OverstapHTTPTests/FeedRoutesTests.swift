import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OverstapCore
import OverstapHTTP
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

/// How a test reaches the feeds: through Hummingbird's router test framework, or over a real
/// socket to the daemon's server, where every request after the first for a feed is answered by
/// the event-loop fast path.
enum FeedPath: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case router, server

    var setup: TestingSetup { self == .router ? .router : .live }
    var testDescription: String { rawValue }
}

/// The daemon's routes over a real SQLite file, through the router and through the server.
struct FeedRoutesTests {
    let directory = TemporaryDirectory()
    let service: OverstapService
    let cache: FeedCache
    let token: String

    init() async throws {
        (service, token) = try await HTTPTestData.service(in: directory, workersCSV: """
            email,name,sector,targets,region,languages,availability,status
            anouk.geheim@example.org,Anouk Geheimnaam,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed

            """)
        cache = FeedCache(service: service)
    }

    let metrics = DaemonMetrics()

    func app() -> some ApplicationProtocol {
        Application(
            router: FeedRoutes(service: service, cache: cache, metrics: metrics).router(),
            server: .feedServing(cache: cache, metrics: metrics, serverName: "overstap"))
    }

    var partnerFeed: String { "/feeds/partners/roc.ics?token=\(token)" }

    @Test(arguments: FeedPath.allCases)
    func aPartnerFeedNeedsItsTokenAndAWrongOneLooksLikeAnUnknownPartner(path: FeedPath) async throws {
        try await app().test(path.setup) { client in
            let ok = try await client.execute(uri: partnerFeed, method: .get)
            #expect(ok.status == .ok && ok.headers[.contentType] == "text/calendar; charset=utf-8")
            let body = String(buffer: ok.body)
            #expect(body.contains("METHOD:PUBLISH") && body.contains("Van keuken naar zorg"))
            #expect(!body.contains("anouk.geheim@example.org") && !body.contains("Geheimnaam"), "no participant data in a feed")
            let wrong = try await client.execute(uri: "/feeds/partners/roc.ics?token=\(token.dropLast())x", method: .get)
            let unknown = try await client.execute(uri: "/feeds/partners/nobody.ics?token=\(token)", method: .get)
            let missing = try await client.execute(uri: "/feeds/partners/roc.ics", method: .get)
            for response in [wrong, unknown, missing] {
                #expect(response.status == .notFound && String(buffer: response.body) == "no such feed\n")
            }
        }
    }

    @Test(arguments: FeedPath.allCases)
    func conditionalRequestsGet304AndHEADHasNoBody(path: FeedPath) async throws {
        try await app().test(path.setup) { client in
            let first = try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .get)
            let etag = try #require(first.headers[.eTag])
            let modified = try #require(first.headers[.lastModified])
            #expect(first.headers[.cacheControl] == "public, max-age=300" && first.headers[.vary] == "Accept-Encoding")
            let byTag = try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .get, headers: [.ifNoneMatch: etag])
            #expect(byTag.status == .notModified && byTag.body.readableBytes == 0 && byTag.headers[.eTag] == etag)
            #expect(byTag.headers[.contentLength] == nil, "a 304 claims no length (RFC 9110 §8.6)")
            let byDate = try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .get, headers: [.ifModifiedSince: modified])
            #expect(byDate.status == .notModified)
            let stale = try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .get, headers: [.ifNoneMatch: "\"other\""])
            #expect(stale.status == .ok)
            let head = try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            #expect(head.headers[.contentLength] == String(first.body.readableBytes) && head.headers[.eTag] == etag)
            let unknown = try await client.execute(uri: "/feeds/regions/mars.ics", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test(arguments: FeedPath.allCases)
    func gzipIsServedWhenAcceptedWithItsOwnETag(path: FeedPath) async throws {
        try await app().test(path.setup) { client in
            let plain = try await client.execute(uri: partnerFeed, method: .get)
            let zipped = try await client.execute(uri: partnerFeed, method: .get, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(zipped.headers[.contentEncoding] == "gzip" && zipped.headers[.eTag] != plain.headers[.eTag])
            #expect(zipped.body.readableBytes < plain.body.readableBytes)
            var compressed = zipped.body
            #expect(try compressed.decompress(with: .gzip) == plain.body)
            let refused = try await client.execute(uri: partnerFeed, method: .get, headers: [.acceptEncoding: "gzip;q=0"])
            #expect(refused.headers[.contentEncoding] == nil)
            let conditional = try await client.execute(
                uri: partnerFeed, method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: zipped.headers[.eTag] ?? ""])
            #expect(conditional.status == .notModified)
        }
    }

    @Test(arguments: [
        ("GZIP", true), (" deflate ,\tgzip ; q=0.5", true), ("gzip;q=0.001", true), ("*", true), ("br, *;q=1", true),
        ("gzip;q=0", false), ("gzip; Q=0.000", false), ("deflate, gzip;q=0.", false), ("*;q=0", false), ("br", false),
        ("x-gzip", false), ("", false), (",,", false),
    ], FeedPath.allCases)
    func gzipFollowsTheWeightsOfAcceptEncoding(weights: (header: String, expectsGzip: Bool), path: FeedPath) async throws {
        let (header, expectsGzip) = weights
        try await app().test(path.setup) { client in
            _ = try await client.execute(uri: partnerFeed, method: .get)
            let response = try await client.execute(uri: partnerFeed, method: .get, headers: [.acceptEncoding: header])
            #expect(response.status == .ok)
            #expect((response.headers[.contentEncoding] == "gzip") == expectsGzip, "Accept-Encoding: \(header)")
        }
    }

    @Test(arguments: FeedPath.allCases)
    func ifNoneMatchTakesListsWeakTagsAndAStar(path: FeedPath) async throws {
        try await app().test(path.setup) { client in
            let etag = try #require(try await client.execute(uri: partnerFeed, method: .get).headers[.eTag])
            for current in ["\"old\", \(etag)", "W/\(etag)", "\"old\",W/\(etag) ", "*"] {
                let response = try await client.execute(uri: partnerFeed, method: .get, headers: [.ifNoneMatch: current])
                #expect(response.status == .notModified, "If-None-Match: \(current)")
            }
            for stale in ["\"old\", \"older\"", "W/\"old\"", "\(etag.dropLast())", ","] {
                let response = try await client.execute(uri: partnerFeed, method: .get, headers: [.ifNoneMatch: stale])
                #expect(response.status == .ok, "If-None-Match: \(stale)")
            }
        }
    }

    @Test(arguments: FeedPath.allCases)
    func feedsAreRenderedAgainOnlyAfterAChange(path: FeedPath) async throws {
        try await app().test(path.setup) { client in
            let first = try await client.execute(uri: partnerFeed, method: .get).headers[.eTag]
            var moved = SessionOptions()
            moved.start = "2027-02-09 19:00"
            _ = try await service.updateSession(id: 1, moved)
            #expect(try await client.execute(uri: partnerFeed, method: .get).headers[.eTag] == first, "not rendered per request")
            cache.invalidate()
            let changed = try await client.execute(uri: partnerFeed, method: .get)
            #expect(changed.headers[.eTag] != first && String(buffer: changed.body).contains("20270209T190000"))
            cache.invalidate()
            #expect(try await client.execute(uri: partnerFeed, method: .get).headers[.eTag] == changed.headers[.eTag], "same bytes, same ETag")
        }
    }

    private static let httpDateFormat: DateFormatter = {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return format
    }()

    private static func httpDate(_ text: String) -> Date? { httpDateFormat.date(from: text) }
    private static func httpText(_ date: Date) -> String { httpDateFormat.string(from: date) }

    /// The clock stands still here, as when a change and the next render fall in one second.
    @Test(arguments: FeedPath.allCases)
    func aFeedChangedInTheSecondOfItsLastModifiedIsNotAnswered304ByThatDate(path: FeedPath) async throws {
        try await app().test(path.setup) { client in
            let first = try await client.execute(uri: partnerFeed, method: .get)
            let modified = try #require(first.headers[.lastModified])
            #expect(try await client.execute(uri: partnerFeed, method: .get, headers: [.ifModifiedSince: modified]).status == .notModified)
            var moved = SessionOptions()
            moved.start = "2027-02-09 19:00"
            _ = try await service.updateSession(id: 1, moved)
            cache.invalidate()
            // The client may hold either feed: the date cannot tell, the ETag can.
            let changed = try await client.execute(uri: partnerFeed, method: .get, headers: [.ifModifiedSince: modified])
            #expect(changed.status == .ok && String(buffer: changed.body).contains("20270209T190000"))
            #expect(changed.headers[.lastModified] == modified)
            let etag = try #require(changed.headers[.eTag])
            let byTag = try await client.execute(uri: partnerFeed, method: .get, headers: [.ifNoneMatch: etag, .ifModifiedSince: modified])
            #expect(byTag.status == .notModified)
            let second = try #require(Self.httpDate(modified)).addingTimeInterval(1)
            let byLaterDate = try await client.execute(uri: partnerFeed, method: .get, headers: [.ifModifiedSince: Self.httpText(second)])
            #expect(byLaterDate.status == .notModified, "a date after that second shows the new feed")
        }
    }

    @Test func theHealthCheckReportsTheOutboxBacklog() async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            #expect(json?["database"] as? String == "ok" && json?["outbox_backlog"] as? Int == 1)
            #expect(json?["oldest_due_age_seconds"] as? Int == 0 && json?["mail"] as? String == "ok")
        }
    }

    /// `/healthz` tells whether this instance serves what it is for (feeds, answer pages: the
    /// database answers), so a failing mail server is reported in it and does not turn it red.
    @Test(arguments: FeedPath.allCases)
    func whileMailFailsTheHealthCheckSaysSinceWhenAndStaysOKLikeTheFeeds(path: FeedPath) async throws {
        let directory = TemporaryDirectory()
        let closedPort = try await Self.closedPort()
        let (service, _) = try await HTTPTestData.service(
            in: directory, settings: ["mail.transport": "smtp", "smtp.host": "127.0.0.1", "smtp.port": String(closedPort), "smtp.tls": "none"],
            workersCSV: "email,name,sector,targets,region,languages,availability,status\nanouk@example.org,Anouk,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n")
        let report = try await service.sendDue(through: service.mailTransport())
        #expect(report.transportFailure != nil, "nothing listens on port \(closedPort)")
        let cache = FeedCache(service: service)
        let app = Application(router: FeedRoutes(service: service, cache: cache).router(), server: .feedServing(cache: cache, metrics: metrics, serverName: nil))
        try await app.test(path.setup) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            let json = try JSONSerialization.jsonObject(with: Data(String(buffer: health.body).utf8)) as? [String: Any]
            #expect(health.status == .ok && json?["database"] as? String == "ok")
            #expect(json?["mail"] as? String == "failing since 2027-01-10T08:00:00Z", "the invitation was due at the fixed now")
            #expect(try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .get).status == .ok)
        }
    }

    /// A database that cannot answer turns the health check red (503), so a supervisor restarts
    /// or replaces this instance.
    @Test func aDatabaseThatCannotAnswerMakesTheHealthCheckFail() async throws {
        let directory = TemporaryDirectory()
        let (service, _) = try await HTTPTestData.service(
            in: directory, settings: [:],
            workersCSV: "email,name,sector,targets,region,languages,availability,status\nanouk@example.org,Anouk,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n")
        let cache = FeedCache(service: service)
        let app = Application(router: FeedRoutes(service: service, cache: cache).router())
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            // Another process breaks the schema under the running daemon.
            try DatabaseShell.execute(TestDatabase.isSQLite ? "DROP TABLE outbox" : "DROP TABLE outbox CASCADE", in: try TestDatabase(in: directory))
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .serviceUnavailable)
            #expect(String(buffer: health.body) == "{\"database\":\"failing\"}\n")
        }
    }

    /// A local port with nothing listening on it.
    static func closedPort() async throws -> Int {
        try #require(Int(try CLI.shell("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            .trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}

struct MetricsRouteTests {
    @Test(arguments: FeedPath.allCases)
    func metricsCountFeedRequestsByKindAndStatusWithoutPathsOrTokens(path: FeedPath) async throws {
        let fixture = try await FeedRoutesTests()
        try await fixture.app().test(path.setup) { client in
            _ = try await client.execute(uri: fixture.partnerFeed, method: .get)
            _ = try await client.execute(uri: fixture.partnerFeed, method: .get)
            _ = try await client.execute(uri: "/feeds/partners/roc.ics?token=wrong", method: .get)
            _ = try await client.execute(uri: "/feeds/regions/midden-utrecht.ics", method: .get)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(text.contains("overstap_feed_requests_total{feed=\"partner\",status=\"200\"} 2"))
            #expect(text.contains("overstap_feed_requests_total{feed=\"partner\",status=\"404\"} 1"))
            #expect(text.contains("overstap_feed_requests_total{feed=\"region\",status=\"200\"} 1"))
            #expect(text.contains("overstap_outbox_backlog 1"))
            #expect(text.contains("overstap_http_request_duration_seconds_count"))
            #expect(!text.contains(fixture.token) && !text.contains("/feeds/"))
        }
    }
}
