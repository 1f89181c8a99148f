import Foundation
import Hummingbird
import NIOCore
import OverstapCore
import OverstapService

/// The daemon's own endpoints: `/healthz` for whoever watches the daemon and `/metrics` for
/// Prometheus.
struct DaemonRoutes: Sendable {
    let service: OverstapService
    let metrics: DaemonMetrics

    /// Adds `/healthz` and `/metrics`.
    func add(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in await health() }
        router.get("/metrics") { _, _ in try await metricsText() }
    }

    /// Whether this instance serves what it is for: 200 while it can read its database (so feeds
    /// and answer pages work), 503 when it cannot. Mail trouble is reported, not failed on: a
    /// restart by a health checker would take the feeds down and fix no mail server.
    private func health() async -> Response {
        let json: String
        do {
            let now = service.clock.now()
            let health = try await service.outboxHealth()
            let oldest = health.oldestDue.map { String(Int(max(0, now.timeIntervalSince($0)))) } ?? "null"
            // A message due whose last try failed: mail has been failing since it was due.
            let failingSince = try await service.outbox(state: .pending).filter { $0.lastError != nil && $0.dueAt <= now }.map(\.dueAt).min()
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

    private func metricsText() async throws -> Response {
        let health = try await service.outboxHealth()
        metrics.setBacklog(health.backlog, oldestWaitSeconds: health.oldestDue.map { max(0, service.clock.now().timeIntervalSince($0)) } ?? 0)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.text())))
    }
}
