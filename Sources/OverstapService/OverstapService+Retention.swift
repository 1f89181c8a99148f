import Foundation
import Mail
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What one retention run did (or, with `dryRun`, would do).
    public struct RetentionReport: Sendable, Equatable {
        /// People past `retention.personal_data`: erased, or with `dryRun` who would be.
        public var erased: Int
        public var dryRun: Bool
        /// The setting the run applied, as configured (`P18M`).
        public var period: String
    }

    /// Erases everyone past `retention.personal_data` (after their last session, outcome or
    /// import) as `worker remove` does: their rows, outbox messages, replies and `.eml` files go,
    /// and the database's traces are purged from disk. First, in the same write transaction, their
    /// part of every report figure is added to the stored anonymous aggregates, so reports of the
    /// periods they were in stay the same. Each person is decided again inside that transaction
    /// from what it reads there, so two runs at once (the daemon and the CLI) never count a person
    /// twice: the second finds them gone. With `dryRun` nothing changes; the count says who would go.
    public func runRetention(dryRun: Bool) async throws -> RetentionReport {
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let localDate: @Sendable (Date) -> LocalDate = { zone.local(of: $0).date }
        let today = try today()
        let rule = settings.retention
        let due = try await store.read { tx in
            try await tx.personActivity(workerID: nil, localDate: localDate).filter { rule.isPast($0.lastDay, today: today) }.map(\.workerID)
        }
        var report = RetentionReport(erased: 0, dryRun: dryRun, period: rule.description)
        if dryRun {
            report.erased = due.count
            return report
        }
        for start in stride(from: 0, to: due.count, by: Self.dueBatch) {
            let batch = Array(due[start..<min(start + Self.dueBatch, due.count)])
            // The files go first: a crash after this leaves the people, and a later run erases them.
            removeMailFiles(try await store.read { tx in try await Self.outboxMessageIDs(of: batch, tx) })
            let erased = try await store.write { tx -> (people: Int, messageIDs: [String]) in
                var people = 0
                var messageIDs: [String] = []
                for workerID in batch {
                    guard let activity = try await tx.personActivity(workerID: workerID, localDate: localDate).first,
                        rule.isPast(activity.lastDay, today: today)
                    else { continue }
                    messageIDs += try await Self.outboxMessageIDs(of: [workerID], tx)
                    try await tx.add(RetainedAggregates.of(try await tx.reportInput(workerID: workerID, localDate: localDate)))
                    try await tx.deleteWorker(id: workerID)
                    people += 1
                }
                return (people, messageIDs)
            }
            // Messages queued between the two transactions.
            removeMailFiles(erased.messageIDs)
            report.erased += erased.people
        }
        if report.erased > 0 { try await store.purgeErasedData() }
        return report
    }
}
