import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OverstapCore
import OverstapService

/// The HTTP routes of `overstap serve`: partner feeds (token in the URL), public region feeds and
/// the health check. A wrong token and an unknown partner get the same 404. Every GET route,
/// including those added to the router later, answers HEAD.
public struct FeedRoutes: Sendable {
    let service: OverstapService
    let cache: FeedCache
    let metrics: DaemonMetrics

    /// Creates the routes over a service, its feed cache and the daemon's metrics.
    public init(service: OverstapService, cache: FeedCache, metrics: DaemonMetrics = DaemonMetrics()) {
        self.service = service
        self.cache = cache
        self.metrics = metrics
    }

    /// A router with every route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: TimingMiddleware(metrics: metrics))
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/feeds/partners/{file}", method: method) { request, context in
                counted(.partner, try partnerFeed(request, context))
            }
            router.on("/feeds/regions/{file}", method: method) { request, context in
                counted(.region, try regionFeed(request, context))
            }
            router.on("/feeds/me/{file}", method: method) { request, context in
                guard let token = Self.feedName(context) else { return counted(.me, Self.notFound) }
                return counted(.me, respond(to: request, with: try cache.feed(.personal(token))))
            }
        }
        router.get("/healthz") { _, _ in health() }
        router.get("/metrics") { _, _ in try metricsText() }
        return router
    }

    private func partnerFeed(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let slug = Self.feedName(context), let token = request.uri.queryParameters.get("token"),
            let feed = try cache.partnerFeed(slug: slug, token: token)
        else { return Self.notFound }
        return respond(to: request, with: feed)
    }

    private func regionFeed(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        guard let region = Self.feedName(context) else { return Self.notFound }
        return respond(to: request, with: try cache.feed(.region(region)))
    }

    private func respond(to request: Request, with feed: RenderedFeed?) -> Response {
        guard let feed else { return Self.notFound }
        return FeedResponse(feed: feed).response(to: request)
    }

    /// Whether this instance serves what it is for: 200 while it can read its database (so feeds
    /// and answer pages work), 503 when it cannot. Mail trouble is reported, not failed on: a
    /// restart by a health checker would take the feeds down and fix no mail server.
    private func health() -> Response {
        let json: String
        do {
            let now = service.clock.now()
            let health = try service.outboxHealth()
            let oldest = health.oldestDue.map { String(Int(max(0, now.timeIntervalSince($0)))) } ?? "null"
            // A message due whose last try failed: mail has been failing since it was due.
            let failingSince = try service.outbox(state: .pending).filter { $0.lastError != nil && $0.dueAt <= now }.map(\.dueAt).min()
            let mail = failingSince.map { "failing since \(Self.timestamp($0))" } ?? "ok"
            json = "{\"database\":\"ok\",\"mail\":\"\(mail)\",\"outbox_backlog\":\(health.backlog),\"oldest_due_age_seconds\":\(oldest)}\n"
        } catch {
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"database\":\"failing\"}\n")))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private func counted(_ kind: FeedKind, _ response: Response) -> Response {
        metrics.feedRequest(kind, status: response.status.code)
        return response
    }

    private func metricsText() throws -> Response {
        let health = try service.outboxHealth()
        metrics.setBacklog(health.backlog, oldestWaitSeconds: health.oldestDue.map { max(0, service.clock.now().timeIntervalSince($0)) } ?? 0)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.text())))
    }

    /// `name.ics` → `name`; anything else is no feed.
    private static func feedName(_ context: BasicRequestContext) -> String? {
        guard let file = context.parameters.get("file"), file.hasSuffix(".ics") else { return nil }
        let name = String(file.dropLast(4))
        return name.isEmpty ? nil : name
    }

    private static var notFound: Response {
        Response(
            status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: "no such feed\n")))
    }
}
