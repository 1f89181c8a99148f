import Prometheus

/// What `/metrics` reports, in the Prometheus text format. Labels never carry paths or tokens:
/// only the kind of feed and the status code.
public final class DaemonMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let sent: Counter
    let failed: Counter
    let retried: Counter
    let backlog: Gauge
    let oldestDue: Gauge
    let requestDuration: DurationHistogram

    /// Creates the metrics with every series at zero.
    public init() {
        sent = registry.makeCounter(name: "overstap_messages_sent_total", help: "Messages delivered to the mail server or folder.")
        failed = registry.makeCounter(name: "overstap_messages_failed_total", help: "Messages that failed for good.")
        retried = registry.makeCounter(name: "overstap_messages_retried_total", help: "Temporary failures (4xx) that will be tried again.")
        backlog = registry.makeGauge(name: "overstap_outbox_backlog", help: "Messages due now and not yet sent.")
        oldestDue = registry.makeGauge(name: "overstap_outbox_oldest_due_seconds", help: "How long the oldest due message has waited.")
        requestDuration = registry.makeDurationHistogram(
            name: "overstap_http_request_duration_seconds",
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)],
            help: "Time to answer an HTTP request.")
    }

    /// Counts a feed request by kind (`partner`, `region`, `me`) and status code.
    func feedRequest(_ kind: String, status: Int) {
        registry.makeCounter(name: "overstap_feed_requests_total", labels: [("feed", kind), ("status", String(status))]).increment()
    }

    /// Counts what one outbox run did.
    func recordSend(sent: Int, deferred: Int, failed: Int) {
        self.sent.increment(by: Int64(sent))
        retried.increment(by: Int64(deferred))
        self.failed.increment(by: Int64(failed))
    }

    /// Records how long one request took.
    func recordRequest(_ duration: Duration) {
        requestDuration.record(duration)
    }

    /// The outbox backlog as of now.
    func setBacklog(_ count: Int, oldestWaitSeconds: Double) {
        backlog.set(to: Double(count))
        oldestDue.set(to: oldestWaitSeconds)
    }

    /// The text exposition.
    func text() -> String { registry.emitToString() }
}
