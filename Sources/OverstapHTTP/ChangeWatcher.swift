import Logging
import OverstapStore
import OverstapService
import ServiceLifecycle

/// Notices changes made by any process (the CLI beside the daemon, or the daemon itself) through
/// the store's change counter, within a quarter of a second, and tells whoever listens.
public struct ChangeWatcher: Service {
    let service: OverstapService
    let onChange: @Sendable () async -> Void
    let logger: Logger

    /// Creates a watcher calling `onChange` after each change.
    public init(service: OverstapService, logger: Logger, onChange: @escaping @Sendable () async -> Void) {
        self.service = service
        self.logger = logger
        self.onChange = onChange
    }

    public func run() async throws {
        var seen = try service.store.changeCounter()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            guard let now = try? service.store.changeCounter() else { continue }
            if now != seen {
                seen = now
                logger.debug("database changed")
                await onChange()
            }
        }
    }
}
