import Logging
import OverstapService
import ServiceLifecycle

/// Sends the outbox while the daemon runs: soon after every database change and at least every
/// `interval`. On shutdown it finishes the batch in flight and stops; nothing half-sent is
/// marked sent.
public actor OutboxDispatcher: Service {
    private let service: OverstapService
    private let logger: Logger
    private let interval: Duration
    private let metrics: DaemonMetrics
    private var woken = true

    /// Creates a dispatcher.
    public init(service: OverstapService, logger: Logger, metrics: DaemonMetrics, interval: Duration = .seconds(30)) {
        self.service = service
        self.logger = logger
        self.metrics = metrics
        self.interval = interval
    }

    /// Asks for a send soon (something changed).
    public func wake() {
        woken = true
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var lastSend = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if woken || clock.now - lastSend >= interval {
                woken = false
                await sendDue()
                lastSend = clock.now
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    private func sendDue() async {
        do {
            let report = try await service.sendDue(through: service.mailTransport())
            metrics.recordSend(sent: report.sent, deferred: report.deferred, failed: report.failed)
            if report.sent + report.deferred + report.failed > 0 || report.transportFailure != nil {
                logger.info(
                    "outbox sent", metadata: [
                        "sent": "\(report.sent)", "deferred": "\(report.deferred)", "failed": "\(report.failed)",
                        "transport_failure": "\(report.transportFailure ?? "none")",
                    ])
            }
        } catch {
            logger.error("outbox send failed", metadata: ["error": "\(type(of: error))"])
        }
    }
}
