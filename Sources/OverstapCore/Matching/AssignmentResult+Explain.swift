/// Explanations: what placing a given worker in a given session would cost.
extension AssignmentResult {
    /// Explains why `worker` is or is not in `session`, by the best assignment that puts it there:
    /// the worker's contribution plus the optimum of everyone else with one seat less in the session.
    public func explain(worker: Int, session: Int) -> AssignmentExplanation {
        precondition(problem.workers.indices.contains(worker), "worker \(worker) does not exist")
        precondition(problem.sessions.indices.contains(session), "session \(session) does not exist")
        guard let arc = graph.arc(group: Int(graph.groupOfWorker[worker]), session: session) else { return .notEligible }
        if self.session(of: worker) == session { return .assigned }
        guard problem.sessions[session].freeSeats > 0 else { return .noSeats }
        var forced = problem.seating(worker: worker, in: session).solve().objective
        if problem.workers[worker].status == .unemployed {
            forced.unemployedPlaced += 1
        } else {
            forced.atRiskPlaced += 1
        }
        forced.tailoredPlacements += Int(graph.arcEntry[arc] & 1)
        forced.startRankSum += problem.sessions[session].startRank
        forced.prioritySum += problem.workers[worker].priority
        guard let level = forced.firstDifference(from: objective) else { return .tie }
        return .decided(level: level, objective: forced)
    }

    /// The most important level that keeps `worker` out of `session`, or nil when nothing does
    /// (assigned, a tie, not eligible, or no seats).
    public func decidingLevel(worker: Int, session: Int) -> MatchingLevel? {
        if case .decided(let level, _) = explain(worker: worker, session: session) { level } else { nil }
    }
}
