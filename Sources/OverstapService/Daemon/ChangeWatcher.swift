import Logging
import OverstapStore
import ServiceLifecycle

/// Notices changes made by any process (the CLI beside the daemon, or the daemon itself) through
/// the store's change counter, within `pollInterval`, and tells whoever listens the new counter
/// (the dispatcher uses it to tell its own writes from others').
public struct ChangeWatcher<C: Clock>: Service where C.Duration == Duration {
    let changeCounter: @Sendable () async throws -> Int
    let onChange: @Sendable (Int) async -> Void
    let clock: C
    let pollInterval: Duration
    let logger: Logger

    /// A watcher of `service`'s store.
    public init(service: OverstapService, clock: C, logger: Logger, onChange: @escaping @Sendable (Int) async -> Void) {
        self.init(changeCounter: { try await service.store.changeCounter() }, clock: clock, logger: logger, onChange: onChange)
    }

    /// A watcher of any change counter.
    public init(
        changeCounter: @escaping @Sendable () async throws -> Int, clock: C, pollInterval: Duration = .milliseconds(250), logger: Logger,
        onChange: @escaping @Sendable (Int) async -> Void
    ) {
        self.changeCounter = changeCounter
        self.clock = clock
        self.pollInterval = pollInterval
        self.logger = logger
        self.onChange = onChange
    }

    public func run() async throws {
        var seen = try await changeCounter()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await clock.sleep(for: pollInterval)
            guard let now = try? await changeCounter() else { continue }
            if now != seen {
                seen = now
                logger.debug("database changed")
                await onChange(now)
            }
        }
    }
}
