import Foundation
import Logging
import PostgresNIO
import Synchronization

/// How a PostgreSQL store learns that some process committed a change (`database.change_poll`).
public enum ChangeDetection: Sendable, Equatable {
    /// `LISTEN` on a connection of its own, outside the pool (the default).
    case listen
    /// Reads the change counter every interval: for a transaction-mode pooler (PgBouncer), where
    /// a notification cannot reach a listener.
    case poll(every: Duration)
}

/// The change counter of a PostgreSQL store, as `changeCounter()` returns it: a number of this
/// process that moves when another process (or this one) commits a change the daemon's feeds or
/// dispatcher depend on, and whenever the watch lost track (a reconnect, a failed poll), since a
/// change may have been missed meanwhile.
///
/// Which writes count is decided in the schema (migration `003_change_counter`): triggers on the
/// tables feeds show and on outbox rows that become due from outside the sender call
/// `note_change()`, which bumps the sequence `change_counter` and notifies channel
/// `overstap_changes`, once per transaction; a notification arrives only after its commit. The
/// dispatcher's own bookkeeping (claims, outcomes, lease renewals, sent sequences) fires none, so
/// it cannot wake the loop it runs in.
final class PostgresChanges: Sendable {
    /// The channel `note_change()` notifies.
    static let channel = "overstap_changes"
    /// The listening connection's `application_name`, so an operator can find it in `pg_stat_activity`.
    static let listenerName = "overstap change listener"

    private enum Watch {
        case idle
        case running(Task<Void, Never>)
        case stopped
    }

    private let count = Atomic(0)
    private let watch = Mutex(Watch.idle)
    private let run: @Sendable (PostgresChanges) async -> Void

    /// Counts notifications received on a connection made with `configuration`.
    init(listeningWith configuration: PostgresConnection.Configuration, logger: Logger) {
        var named = configuration
        named.options.additionalStartupParameters.append(("application_name", Self.listenerName))
        let listening = named
        run = { changes in await changes.listen(listening, logger: logger) }
    }

    /// Counts changes of the counter `read` returns, every `interval`.
    init(pollingEvery interval: Duration, logger: Logger, read: @escaping @Sendable () async throws -> ChangePoll.Reading) {
        run = { changes in await changes.poll(every: interval, read: read, logger: logger) }
    }

    /// The count now; the first call starts watching (only a daemon asks, so a CLI run opens no
    /// listening connection).
    func current() -> Int {
        watch.withLock { watch in
            guard case .idle = watch else { return }
            // A task of the store's own, like its connection pool: the watch lasts as long as the
            // store, which outlives every call into it; `stop()` ends it.
            watch = .running(Task { await self.run(self) })
        }
        return count.load(ordering: .sequentiallyConsistent)
    }

    /// Ends the watch for good.
    func stop() {
        watch.withLock { watch in
            if case .running(let task) = watch { task.cancel() }
            watch = .stopped
        }
    }

    private func noteChange() {
        count.add(1, ordering: .sequentiallyConsistent)
    }

    // MARK: LISTEN

    /// Listens until cancelled, reconnecting with a growing pause; every (re)connection counts as
    /// a change, since whatever was committed while nobody listened was not notified to us.
    private func listen(_ configuration: PostgresConnection.Configuration, logger: Logger) async {
        var backOff = ReconnectBackOff()
        var connectionID = 0
        var lost = false
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: connectionID, logger: logger)
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        noteChange()
                        backOff.reset()
                        if lost { logger.info("change listener: listening again; everything counts as changed") }
                        lost = false
                        try await Self.consume(notifications, on: connection, logger: logger) { self.noteChange() }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                if !lost {
                    // The error's type only: a driver's text may carry connection details.
                    logger.warning(
                        "change listener: lost the database connection; reconnecting (changes are noticed again once it is back)",
                        metadata: ["reason": "\(type(of: error))"])
                }
                lost = true
            }
            try? await Task.sleep(for: backOff.next())
        }
    }

    /// Counts notifications until the connection ends; a heartbeat every 30 s notices a
    /// connection that died without closing (a failed-over server, a dropped network path).
    private static func consume(
        _ notifications: PostgresNotificationSequence, on connection: PostgresConnection, logger: Logger,
        changed: @escaping @Sendable () -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await _ in notifications { changed() }
                throw ListenerClosed()
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(30))
                    try await heartbeat(connection, logger: logger)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// `SELECT 1` on the listening connection; a connection that does not answer within 10 s is closed.
    private static func heartbeat(_ connection: PostgresConnection, logger: Logger) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await connection.query("SELECT 1", logger: logger).collect() }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                // Closing fails the hanging query, so the group can end.
                try? await connection.close()
                throw ListenerClosed()
            }
            try await group.next()
            group.cancelAll()
        }
    }

    // MARK: Polling

    /// One poll on `connection`: the counter first (0 until the sequence's first `nextval`, whose
    /// `last_value` is its start value both before and after), then (a statement later) the
    /// transactions of this database that hold a transaction id, that is, that may have written.
    /// Two autocommit statements, so a transaction-mode pooler may run them on different server
    /// connections.
    static func reading(on connection: PostgresConnection, logger: Logger) async throws -> ChangePoll.Reading {
        var counter: Int64 = 0
        for try await value in try await connection.query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_counter", logger: logger).decode(Int64.self) {
            counter = value
        }
        var running = Set<Int64>()
        let writers = "SELECT backend_xid::text::bigint FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL"
        for try await transaction in try await connection.query(PostgresQuery(unsafeSQL: writers), logger: logger).decode(Int64.self) {
            running.insert(transaction)
        }
        return ChangePoll.Reading(counter: counter, running: running)
    }

    /// Reads the counter every `interval` until cancelled; a failed read counts the next good one as a change.
    private func poll(every interval: Duration, read: @Sendable () async throws -> ChangePoll.Reading, logger: Logger) async {
        var state = ChangePoll()
        var failing = false
        while !Task.isCancelled {
            do {
                if state.changed(after: try await read()) { noteChange() }
                if failing { logger.info("change poll: reading the database again; everything counts as changed") }
                failing = false
            } catch {
                if Task.isCancelled { return }
                state.lostTrack()
                if !failing {
                    logger.warning("change poll: cannot read the change counter; trying again", metadata: ["reason": "\(type(of: error))"])
                }
                failing = true
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// The listening connection ended.
struct ListenerClosed: Error {}

/// The pause before the next attempt to reconnect: 250 ms, doubling per failure up to 30 s, back
/// to the start once listening again.
struct ReconnectBackOff: Sendable, Equatable {
    static let first = Duration.milliseconds(250)
    static let maximum = Duration.seconds(30)
    private var failures = 0

    /// The pause after one more failure.
    mutating func next() -> Duration {
        failures += 1
        var delay = Self.first
        for _ in 1..<failures {
            delay *= 2
            if delay >= Self.maximum { return Self.maximum }
        }
        return delay
    }

    /// Listening again: the next failure starts from the first pause.
    mutating func reset() { failures = 0 }
}

/// Decides, with no I/O, whether a poll of the change counter shows a change.
///
/// The counter is a sequence, and a sequence moves when a transaction bumps it, before that
/// transaction commits: a poll can see the new value while the change is not visible yet. So a
/// reading is taken in two steps, the counter first and then the transactions of this database
/// that may have written: any transaction that bumped the value read is either committed already
/// or among those. When some were running, the change is reported once more when every one of
/// them has ended, so whoever re-read too early reads again. Only this database's transactions
/// count, so a long write in another database of the same server delays nothing.
struct ChangePoll: Sendable, Equatable {
    /// One poll: the counter, then the ids of the writing transactions running in this database.
    struct Reading: Sendable, Equatable {
        var counter: Int64
        var running: Set<Int64>
    }

    private var lastCounter: Int64?
    /// Report once more when none of these transactions runs any longer.
    private var waitingFor: Set<Int64> = []

    /// Whether `reading` shows a change since the last one (the first reading always does).
    mutating func changed(after reading: Reading) -> Bool {
        var changed = false
        if !waitingFor.isEmpty && waitingFor.isDisjoint(with: reading.running) {
            changed = true
            waitingFor = []
        }
        if reading.counter != lastCounter {
            changed = true
            lastCounter = reading.counter
            // Transactions waited for that still run are in `running` too.
            waitingFor = reading.running
        }
        return changed
    }

    /// A poll failed: a change may be missed, so the next reading counts as one.
    mutating func lostTrack() { lastCounter = nil }
}
