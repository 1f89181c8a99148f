import Logging
import OverstapService
import OverstapTestSupport
import Synchronization
import Testing

/// Keeps what a logger was told, to count how often a failure is reported.
final class LogRecorder: Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String)]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }

    func count(_ level: Logger.Level, containing text: String) -> Int {
        entries.withLock { $0.filter { $0.level == level && $0.message.contains(text) }.count }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.entries.withLock { $0.append((event.level, "\(event.message)")) }
        }
    }
}

/// The daemon's dispatcher and change watcher on a manual clock: a store whose change counter
/// moves with every write the dispatcher makes, and a mail server that works or does not.
final class DispatcherBench: Sendable {
    let clock = ManualClock()
    let log = LogRecorder()
    /// The store's change counter; every send writes (claims, outcomes) and so moves it.
    private let counter = Atomic<Int>(0)
    private let sendTimes = Mutex<[Duration]>([])
    private let failure = Mutex<String?>(nil)

    /// Makes the server fail with `reason`, or work again with nil.
    func serverFails(_ reason: String?) { failure.withLock { $0 = reason } }

    /// Another process commits a change.
    func somethingChanged() { counter.add(1, ordering: .relaxed) }

    /// Messages another process queues while a send runs, committed after its last claim.
    private let queuedDuringSend = Mutex<Int>(0)
    private let due = Mutex<Int>(0)
    /// When something falls due (a reminder, an answer deadline), as an offset of the clock.
    private let dueAt = Mutex<Duration?>(nil)

    /// Something falls due at this offset of the clock; a send at or after it does it.
    func fallsDue(at offset: Duration) { dueAt.withLock { $0 = offset } }

    /// The next send's last claim finds nothing, and then another process queues `count` messages
    /// before the send reads the change counter.
    func queueDuringNextSend(_ count: Int) { queuedDuringSend.withLock { $0 = count } }

    /// When each send started, as offsets of the clock.
    var sends: [Duration] { sendTimes.withLock { $0 } }

    /// Runs dispatcher and watcher while `body` drives the clock, then stops both.
    func run(_ body: (OutboxDispatcher<ManualClock>) async throws -> Void) async throws {
        let dispatcher = OutboxDispatcher(
            logger: log.logger, clock: clock, changeCounter: { [self] in counter.load(ordering: .relaxed) },
            hasDueWork: { [self] in due.withLock { $0 > 0 } },
            nextDue: { [self] in dueAt.withLock { $0 }.map { $0 - clock.now.offset } }
        ) { [self] in
            sendTimes.withLock { $0.append(clock.now.offset) }
            dueAt.withLock { if let at = $0, at <= clock.now.offset { $0 = nil } }
            due.withLock { $0 = 0 }
            counter.add(1, ordering: .relaxed)
            let queued = queuedDuringSend.withLock { count in
                defer { count = 0 }
                return count
            }
            if queued > 0 {
                due.withLock { $0 = queued }
                counter.add(1, ordering: .relaxed)
            }
            var report = OverstapService.SendReport()
            report.transportFailure = failure.withLock { $0 }
            return report
        }
        let watcher = ChangeWatcher(changeCounter: { [self] in counter.load(ordering: .relaxed) }, clock: clock, logger: log.logger) {
            await dispatcher.wake(changeCounter: $0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await dispatcher.run() }
            group.addTask { try await watcher.run() }
            await clock.waitForSleepers(2)
            try await body(dispatcher)
            group.cancelAll()
        }
    }

    /// Lets `duration` pass in small steps, each time until both services sleep again.
    func pass(_ duration: Duration) async {
        let step = Duration.milliseconds(50)
        var passed = Duration.zero
        while passed < duration {
            clock.advance(by: step)
            await clock.waitForSleepers(2)
            passed += step
        }
    }
}

struct OutboxDispatcherTests {
    /// Offsets in whole seconds, for comparing schedules at the polling granularity.
    func seconds(_ offsets: [Duration]) -> [Int64] { offsets.map { $0.components.seconds } }

    @Test func aFailingServerIsTriedAfterGrowingPausesNotSeveralTimesASecond() async throws {
        let bench = DispatcherBench()
        bench.serverFails("smtp.example.org:587 refused the login for user team (server said: 535 5.7.8 bad credentials)")
        try await bench.run { _ in await bench.pass(.seconds(5 * 60)) }
        #expect(seconds(bench.sends) == [0, 30, 90, 210], "30 s, 60 s, 120 s between tries")
    }

    @Test func aRepeatedFailureIsLoggedOnceAndTheRecoveryOnce() async throws {
        let bench = DispatcherBench()
        bench.serverFails("cannot connect to smtp.example.org:587: connection refused; check host, port and network")
        try await bench.run { _ in
            await bench.pass(.seconds(4 * 60))
            bench.serverFails(nil)
            await bench.pass(.seconds(4 * 60))
        }
        #expect(bench.sends.count > 4)
        #expect(bench.log.count(.error, containing: "mail cannot be sent") == 1)
        #expect(bench.log.count(.info, containing: "mail is flowing again") == 1)
    }

    @Test func changesDuringABackOffDoNotCutItShort() async throws {
        let bench = DispatcherBench()
        bench.serverFails("cannot connect to smtp.example.org:587")
        try await bench.run { dispatcher in
            await bench.pass(.seconds(10))
            bench.somethingChanged()
            await dispatcher.wake()
            await bench.pass(.seconds(10))
        }
        #expect(seconds(bench.sends) == [0])
    }

    @Test func theDispatchersOwnWritesDoNotWakeItButOtherChangesDo() async throws {
        let bench = DispatcherBench()
        try await bench.run { _ in
            await bench.pass(.seconds(65))
            bench.somethingChanged()
            await bench.pass(.seconds(1))
        }
        let sends = bench.sends
        #expect(seconds(Array(sends.prefix(3))) == [0, 30, 60], "the 30 s cycle, not a send after each of its own writes")
        #expect(sends.count == 4)
        #expect(sends.last.map { $0 >= .seconds(65) && $0 <= .milliseconds(65_500) } == true, "a change by another process is seen at once")
    }

    @Test func somethingThatFallsDueBetweenTwoCyclesIsDoneAtItsTimeNotAtTheNextCycle() async throws {
        let bench = DispatcherBench()
        bench.fallsDue(at: .seconds(12))
        try await bench.run { _ in
            await bench.pass(.seconds(50))
        }
        #expect(seconds(bench.sends) == [0, 12, 42], "a reminder or deadline at 12 s runs then; the cycle restarts from it")
    }

    @Test func mailQueuedByAnotherProcessDuringASendLeavesAtOnceNotAfterTheCycle() async throws {
        let bench = DispatcherBench()
        try await bench.run { _ in
            await bench.pass(.seconds(5))
            bench.queueDuringNextSend(3)
            bench.somethingChanged()
            await bench.pass(.seconds(10))
        }
        let sends = seconds(bench.sends)
        #expect(sends.count == 3, "\(sends)")
        #expect(sends.dropFirst().allSatisfy { $0 < 10 }, "the second send's late arrivals go out right after it, not at 30 s: \(sends)")
    }
}
