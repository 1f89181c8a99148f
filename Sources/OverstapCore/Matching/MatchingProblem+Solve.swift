/// Solving a problem.
extension MatchingProblem {
    /// Computes a lexicographically optimal assignment; the same problem always gives the same result.
    public func solve() -> AssignmentResult {
        AssignmentResult(problem: self, solver: AssignmentSolver(graph: MatchingGraph(self)))
    }

    /// The same problem with `worker` already seated in `session`: the worker has no pairs left
    /// and the session one seat less.
    func seating(worker: Int, in session: Int) -> MatchingProblem {
        var sessions = sessions
        sessions[session].freeSeats -= 1
        var problem = MatchingProblem(workers: workers, sessions: sessions)
        problem.reservePairs(pairCount)
        for key in packedPairs where Int(key >> 32) != worker {
            problem.addPair(worker: Int(key >> 32), session: Int(UInt32(truncatingIfNeeded: key) >> 1), tailored: key & 1 == 1)
        }
        return problem
    }
}
