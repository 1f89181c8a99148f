/// One worker placed in one session by the solver.
public struct MatchingPlacement: Sendable, Hashable {
    /// Position of the worker in `MatchingProblem.workers`.
    public var worker: Int
    /// Position of the session in `MatchingProblem.sessions`.
    public var session: Int
    /// Whether the pair was eligible as tailored.
    public var tailored: Bool

    /// Creates a placement.
    public init(worker: Int, session: Int, tailored: Bool) {
        self.worker = worker
        self.session = session
        self.tailored = tailored
    }
}
