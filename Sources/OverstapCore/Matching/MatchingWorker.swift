/// A worker as the assignment solver sees it.
///
/// The solver identifies workers by their position in `MatchingProblem.workers`; that position is
/// the opaque index the caller maps back to its own records.
public struct MatchingWorker: Sendable, Hashable {
    /// Unemployed workers are placed before workers at risk.
    public var status: MatchingStatus
    /// Waiting rank, 0 = waited longest; the last tie-breaker. Must lie in `0...Int32.max`.
    public var priority: Int

    /// Creates a worker with a status and a waiting rank.
    public init(status: MatchingStatus, priority: Int) {
        self.status = status
        self.priority = priority
    }
}
