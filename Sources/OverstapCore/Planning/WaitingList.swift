import Foundation

/// Who still waits for a session: the people `plan suggest` and `plan demand` count. One rule for
/// both, so the two commands never disagree about who is waiting.
public struct WaitingList: Sendable {
    /// People not placed in an upcoming session whose mail reaches them and whose
    /// `available_until` has not passed, in the order they were given.
    public var workers: [Worker]
    /// People with a seat they still expect to take: an active enrollment in a session that has
    /// not ended.
    public var placed: Int
    /// Not placed, but a mail server refused their address for good: no invitation reaches them.
    public var undeliverable: Int
    /// Not placed, and the last day they said they are available lies before today.
    public var availableUntilPassed: Int

    /// Sorts `workers` (only those of `region` when given) into the waiting and the left out.
    /// `sessions` are used to tell upcoming ones (last meeting ending at or after `now`) from
    /// those that ended; `today` is the local date of `now` in the team's zone.
    public init(
        workers: [Worker], sessions: [StoredSession], enrollments: [Enrollment], now: Date, today: LocalDate, region: String? = nil
    ) {
        let upcoming = Set(sessions.lazy.filter { $0.endsAt >= now }.map(\.id))
        let placedIDs = Set(enrollments.lazy.filter { $0.state.isActive && upcoming.contains($0.sessionID) }.map(\.workerID))
        var waiting: [Worker] = []
        waiting.reserveCapacity(workers.count)
        var placed = 0
        var undeliverable = 0
        var availableUntilPassed = 0
        for worker in workers where region == nil || worker.region == region {
            if placedIDs.contains(worker.id ?? -1) {
                placed += 1
            } else if worker.undeliverableSince != nil {
                undeliverable += 1
            } else if let until = worker.availableUntil, until < today {
                availableUntilPassed += 1
            } else {
                waiting.append(worker)
            }
        }
        self.workers = waiting
        self.placed = placed
        self.undeliverable = undeliverable
        self.availableUntilPassed = availableUntilPassed
    }
}
