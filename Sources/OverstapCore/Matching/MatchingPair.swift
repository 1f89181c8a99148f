/// One (worker, session) combination, by position in the problem's arrays: eligible in a
/// problem, placed in its result.
public struct MatchingPair: Sendable, Hashable {
    /// Position of the worker in `MatchingProblem.workers`.
    public var worker: Int
    /// Position of the session in `MatchingProblem.sessions`.
    public var session: Int
    /// Whether the session is tailored to this worker (their former sector is in its audience).
    public var tailored: Bool

    /// Creates a pair.
    public init(worker: Int, session: Int, tailored: Bool) {
        self.worker = worker
        self.session = session
        self.tailored = tailored
    }
}
