import Prometheus
import Synchronization

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
    /// Feed request counters by kind and status, made once each: the registry's lookup builds the
    /// name and labels as strings, which cost more than the rest of a 304.
    private let feedCounters = Mutex<[FeedRequestKey: Counter]>([:])

    private struct FeedRequestKey: Hashable {
        let kind: FeedKind
        let status: Int
    }

    /// Creates the metrics with every series at zero.
    public init() {
        sent = registry.makeCounter(descriptor: Self.name("messages_sent", unit: "total", help: "Messages delivered to the mail server or folder."))
        failed = registry.makeCounter(descriptor: Self.name("messages_failed", unit: "total", help: "Messages that failed for good."))
        retried = registry.makeCounter(descriptor: Self.name("messages_retried", unit: "total", help: "Temporary failures (4xx) that will be tried again."))
        backlog = registry.makeGauge(descriptor: Self.name("outbox_backlog", unit: "", help: "Messages due now and not yet sent."))
        oldestDue = registry.makeGauge(descriptor: Self.name("outbox_oldest_due", unit: "seconds", help: "How long the oldest due message has waited."))
        requestDuration = registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration", unit: "seconds", help: "Time to answer an HTTP request."),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)])
    }

    /// A metric name in the `overstap` namespace.
    private static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "overstap", metricName: metric, unitName: unit, helpText: help)
    }

    /// Counts a feed request by kind (`partner`, `region`, `me`) and status code.
    func feedRequest(_ kind: FeedKind, status: Int) {
        let key = FeedRequestKey(kind: kind, status: status)
        let counter = feedCounters.withLock { counters in
            if let known = counters[key] { return known }
            let made = registry.makeCounter(
                descriptor: Self.name("feed_requests", unit: "total", help: "Feed requests by kind of feed and status code."),
                labels: [("feed", kind.rawValue), ("status", String(status))])
            counters[key] = made
            return made
        }
        counter.increment()
    }

    /// Counts what one outbox run did.
    public func recordSend(sent: Int, deferred: Int, failed: Int) {
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
