import Logging
import OverstapCore
import OverstapStore
import ServiceLifecycle

/// Runs what is due (`OverstapService.runDue`) and sends the outbox while the daemon runs: soon
/// after a change, at the next instant something falls due, at least every `interval`, and
/// after a server failure (wrong password, nothing listening) only after an exponential back-off,
/// so a team's mail account is never hammered into a lock-out. A failure is logged once, and
/// again only when it changes or mail flows again. On shutdown it starts no new batch; the
/// service group cancels a batch stuck on a slow server, which closes its connections and leaves
/// the messages pending.
public actor OutboxDispatcher<C: Clock>: Service where C.Duration == Duration {
    /// One send of everything due.
    public typealias Send = @Sendable () async throws -> OverstapService.SendReport

    private let send: Send
    private let changeCounter: @Sendable () async -> Int?
    private let hasDueWork: @Sendable () async -> Bool
    private let nextDue: @Sendable () async -> Duration?
    private let onReport: @Sendable (OverstapService.SendReport) -> Void
    private let logger: Logger
    private let clock: C
    private let pollInterval: Duration
    private var schedule: DispatchSchedule<C.Instant>
    /// The failure being backed off from, and how many tries it has lasted.
    private var failing: (reason: String, tries: Int)?

    /// A dispatcher sending `service`'s outbox through its configured transport; `onReport`
    /// sees every run's counts (for metrics).
    public init(
        service: OverstapService, logger: Logger, clock: C, interval: Duration = .seconds(30),
        onReport: @escaping @Sendable (OverstapService.SendReport) -> Void = { _ in }
    ) {
        // Retention scans every person; it is decided by whole days, so the daemon runs it on the
        // first send of each day rather than on every wake (an answer, a CLI change, 30 s).
        let retentionChecked = DailyCheck()
        self.init(
            logger: logger, clock: clock, interval: interval, changeCounter: { try? await service.store.changeCounter() },
            hasDueWork: { ((try? await service.outboxHealth().backlog) ?? 0) > 0 },
            nextDue: {
                guard let seconds = try? await service.secondsUntilNextDue() else { return nil }
                return .seconds(seconds)
            },
            onReport: onReport
        ) {
            let today = try service.retentionDay()
            let due = try await service.runDue(retention: await retentionChecked.isDue(today))
            await retentionChecked.done(today)
            if due.nudged + due.expired + due.erased > 0 {
                logger.info("due work done", metadata: ["nudged": "\(due.nudged)", "expired": "\(due.expired)", "erased": "\(due.erased)"])
            }
            return try await service.sendDue(through: service.mailTransport())
        }
    }

    /// A dispatcher running `send`; `changeCounter` reads the store's change counter, so the
    /// dispatcher's own writes do not wake it again, and `hasDueWork` tells whether messages are
    /// due right after a send (queued by another process while it sent), and `nextDue` how long
    /// until something falls due (a reminder, a deadline), so it runs then rather than at the next interval.
    public init(
        logger: Logger, clock: C, interval: Duration = .seconds(30), firstBackOff: Duration = .seconds(30),
        maximumBackOff: Duration = .seconds(15 * 60), pollInterval: Duration = .milliseconds(200),
        changeCounter: @escaping @Sendable () async -> Int?, hasDueWork: @escaping @Sendable () async -> Bool = { false },
        nextDue: @escaping @Sendable () async -> Duration? = { nil },
        onReport: @escaping @Sendable (OverstapService.SendReport) -> Void = { _ in },
        send: @escaping Send
    ) {
        self.send = send
        self.changeCounter = changeCounter
        self.hasDueWork = hasDueWork
        self.nextDue = nextDue
        self.onReport = onReport
        self.logger = logger
        self.clock = clock
        self.pollInterval = pollInterval
        schedule = DispatchSchedule(now: clock.now, interval: interval, firstBackOff: firstBackOff, maximumBackOff: maximumBackOff)
    }

    /// Asks for a send soon: something changed (`changeCounter` as the change watcher saw it), or
    /// an answer was taken. While backing off from a server failure it waits for its turn.
    public func wake(changeCounter: Int? = nil) {
        schedule.woken(changeCounter: changeCounter)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if schedule.isDue(at: clock.now) { await sendDue() }
            try? await clock.sleep(for: pollInterval)
        }
    }

    private func sendDue() async {
        schedule.started()
        var failure: String?
        do {
            let report = try await send()
            onReport(report)
            failure = report.transportFailure
            if report.sent + report.deferred + report.failed > 0 {
                logger.info(
                    "outbox sent", metadata: ["sent": "\(report.sent)", "deferred": "\(report.deferred)", "failed": "\(report.failed)"])
            }
            if report.lost > 0 {
                logger.warning(
                    "outbox: another daemon took over messages after this one's lease lapsed; their outcome is its to store",
                    metadata: ["messages": "\(report.lost)"])
            }
        } catch {
            // An unexpected error may carry library internals: its type only.
            failure = "outbox send failed (\(type(of: error)))"
        }
        schedule.sent(at: clock.now, serverFailed: failure != nil, changeCounter: await changeCounter())
        // A commit by another process between the send's last claim and the counter read above
        // carries that very counter, so its wake would be taken for the send's own write: ask the
        // outbox itself (after the counter read, so no commit falls between the two).
        if failure == nil, await hasDueWork() { schedule.woken(changeCounter: nil) }
        if failure == nil, let wait = await nextDue() { schedule.due(at: clock.now.advanced(by: max(wait, Self.shortestWait))) }
        note(failure)
    }

    /// The least wait for something due: a clock a little behind the store's never spins the loop.
    static var shortestWait: Duration { .seconds(1) }

    /// Logs a failure when it starts or changes, and the recovery; repeated tries only at debug level.
    private func note(_ failure: String?) {
        guard let failure else {
            if let failing {
                logger.info("outbox: mail is flowing again", metadata: ["failed_tries": "\(failing.tries)"])
                self.failing = nil
            }
            return
        }
        let retry = "\(schedule.backOff(after: schedule.failures).components.seconds) s"
        if let failing, failing.reason == failure {
            self.failing = (failure, failing.tries + 1)
            logger.debug("outbox: still failing", metadata: ["tries": "\(failing.tries + 1)", "next_try_in": "\(retry)"])
            return
        }
        failing = (failure, 1)
        logger.error(
            "outbox: mail cannot be sent; messages wait and the dispatcher tries again with growing pauses (logged once)",
            metadata: ["reason": "\(failure)", "next_try_in": "\(retry)"])
    }
}

/// Remembers the last day a once-a-day check completed.
actor DailyCheck {
    private var lastDone: LocalDate?

    /// True until `done` was called for `day`.
    func isDue(_ day: LocalDate) -> Bool { lastDone != day }

    /// The check completed for `day`.
    func done(_ day: LocalDate) { lastDone = day }
}
