/// Solving a problem.
extension MatchingProblem {
    /// Computes a lexicographically optimal assignment; the same problem always gives the same result.
    public func solve() -> AssignmentResult {
        var solver = AssignmentSolver(graph: MatchingGraph(self))
        solver.run()
        return AssignmentResult(flow: solver.state)
    }
}
