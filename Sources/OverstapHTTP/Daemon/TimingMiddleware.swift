import Hummingbird

/// Records how long every request takes, without its path (paths carry tokens).
struct TimingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: DaemonMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        defer { metrics.recordRequest(ContinuousClock.now - start) }
        return try await next(request, context)
    }
}
