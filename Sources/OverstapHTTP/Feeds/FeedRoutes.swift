import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OverstapCore
import OverstapService

/// The HTTP routes of `overstap serve`: partner feeds (token in the URL), public region feeds and
/// personal feeds, beside the daemon's own endpoints. A wrong token and an unknown partner get the
/// same 404. Every GET route, including those added to the router later, answers HEAD.
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

    /// A router with the feeds and the daemon's own endpoints (`DaemonRoutes`).
    public func router() -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.add(middleware: TimingMiddleware(metrics: metrics))
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/feeds/partners/{file}", method: method) { request, context in
                counted(.partner, try await partnerFeed(request, context))
            }
            router.on("/feeds/regions/{file}", method: method) { request, context in
                counted(.region, try await regionFeed(request, context))
            }
            router.on("/feeds/me/{file}", method: method) { request, context in
                guard let token = Self.feedName(context) else { return counted(.me, Self.notFound) }
                return counted(.me, respond(to: request, with: try await cache.feed(.personal(token))))
            }
        }
        DaemonRoutes(service: service, metrics: metrics).add(to: router)
        return router
    }

    private func partnerFeed(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let slug = Self.feedName(context), let token = request.uri.queryParameters.get("token"),
            let feed = try await cache.partnerFeed(slug: slug, token: token)
        else { return Self.notFound }
        return respond(to: request, with: feed)
    }

    private func regionFeed(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let region = Self.feedName(context) else { return Self.notFound }
        return respond(to: request, with: try await cache.feed(.region(region)))
    }

    private func respond(to request: Request, with feed: RenderedFeed?) -> Response {
        guard let feed else { return Self.notFound }
        return FeedResponse(feed: feed).response(to: request)
    }

    private func counted(_ kind: FeedKind, _ response: Response) -> Response {
        metrics.feedRequest(kind, status: response.status.code)
        return response
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
