import Foundation

/// Runs an async transaction body on the thread that holds the database connection.
///
/// GRDB hands out a connection only inside a synchronous closure on its own queue, while the
/// store's transaction bodies are async (so a PostgreSQL store can await its driver inside a
/// transaction). This executor bridges the two: the body runs as a task that prefers this
/// executor, and the connection's thread runs the task's jobs until the body returns. Every
/// nonisolated step of the body therefore runs on that thread, as GRDB requires; a step isolated
/// to an actor runs there and comes back through `enqueue`. The caller of `read`/`write` is
/// suspended meanwhile, and no cooperative thread is blocked: the connection's queue belongs to GRDB.
final class ThreadBoundExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var finished = false

    /// Lends `body` to `perform`, which runs it on a connection's thread with `TransactionBody.run`,
    /// and returns what it returned.
    nonisolated(nonsending) static func running<Access, T>(
        _ body: @escaping (Access) async throws -> T, _ perform: (TransactionBody<Access, T>) async throws -> Void
    ) async throws -> T {
        let transaction = TransactionBody(body)
        try await perform(transaction)
        return try transaction.takeResult()
    }

    /// Runs `job` to completion on the current thread.
    fileprivate static func runHere(_ job: @escaping @Sendable () async -> Void) {
        let executor = ThreadBoundExecutor()
        Task(executorPreference: executor) {
            await job()
            executor.finish()
        }
        executor.runJobsUntilFinished()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    private func runJobsUntilFinished() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// A transaction body on its way to the connection's thread, and its result on the way back. Only
/// one thread touches it at a time: the caller is suspended while the connection's thread runs it.
final class TransactionBody<Access, T>: @unchecked Sendable {
    private var body: ((Access) async throws -> T)?
    private var result: Result<T, any Error>?

    fileprivate init(_ body: @escaping (Access) async throws -> T) { self.body = body }

    /// Runs the body with `access` on the current thread (the connection's); rethrows its error so
    /// the transaction rolls back.
    func run(with access: Access) throws {
        let access = UncheckedAccess(value: access)
        ThreadBoundExecutor.runHere { [self] in await perform(access) }
        if case .failure(let error) = result { throw error }
    }

    private func perform(_ access: UncheckedAccess<Access>) async {
        guard let body else { preconditionFailure("a transaction body runs once") }
        self.body = nil
        do {
            result = .success(try await body(access.value))
        } catch {
            result = .failure(error)
        }
    }

    fileprivate func takeResult() throws -> T {
        guard let result else { preconditionFailure("the store ran no transaction") }
        return try result.get()
    }
}

/// The connection, handed to the task that runs on its own thread.
private struct UncheckedAccess<Access>: @unchecked Sendable {
    let value: Access
}
