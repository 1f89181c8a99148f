/// When the outbox dispatcher sends next, with no I/O: soon after a change, at least every
/// `interval`, and after a server failure (wrong password, nothing listening) not before an
/// exponentially growing back-off has passed, whatever wakes it meanwhile.
struct DispatchSchedule<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The longest wait between two sends while all is well.
    let interval: Duration
    /// The wait after the first failure; it doubles per failure up to `maximumBackOff`.
    let firstBackOff: Duration
    let maximumBackOff: Duration

    /// Server failures in a row.
    private(set) var failures = 0
    /// The earliest time of the next send unless woken (never earlier while backing off).
    private(set) var nextRun: Instant
    private var woken = true
    /// The store's change counter right after the last send: its own writes, not a reason to send.
    private var ownChange: Int?

    /// A schedule that sends at once.
    init(now: Instant, interval: Duration, firstBackOff: Duration, maximumBackOff: Duration) {
        self.interval = interval
        self.firstBackOff = firstBackOff
        self.maximumBackOff = maximumBackOff
        nextRun = now
    }

    /// Something changed (`changeCounter` as the watcher saw it, nil for an answer taken by the
    /// daemon itself). A change that is the dispatcher's own last write is ignored.
    mutating func woken(changeCounter: Int?) {
        if let changeCounter, changeCounter == ownChange { return }
        woken = true
    }

    /// Whether to send now.
    func isDue(at now: Instant) -> Bool {
        now >= nextRun || (woken && failures == 0)
    }

    /// A send starts: it takes whatever the wakes so far asked for. A wake during the send asks
    /// for another one.
    mutating func started() {
        woken = false
    }

    /// A send finished at `now`; `serverFailed` when the transport could not be used.
    /// `changeCounter` is the store's counter after the send's own writes.
    mutating func sent(at now: Instant, serverFailed: Bool, changeCounter: Int?) {
        ownChange = changeCounter
        if serverFailed {
            failures += 1
            nextRun = now.advanced(by: backOff(after: failures))
        } else {
            failures = 0
            nextRun = now.advanced(by: interval)
        }
    }

    /// Something falls due at `instant` (a reminder, an answer deadline): run then if that is
    /// sooner than planned. While backing off from a server failure the back-off holds.
    mutating func due(at instant: Instant) {
        guard failures == 0, instant < nextRun else { return }
        nextRun = instant
    }

    /// The wait after `failures` failures in a row: first, 2×first, 4×first… up to the maximum.
    func backOff(after failures: Int) -> Duration {
        var delay = firstBackOff
        for _ in 1..<max(1, failures) {
            delay *= 2
            if delay >= maximumBackOff { return maximumBackOff }
        }
        return min(delay, maximumBackOff)
    }
}
