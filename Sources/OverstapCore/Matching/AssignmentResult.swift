/// An optimal assignment, its objective, and what is needed to explain it.
public struct AssignmentResult: Sendable {
    /// The objective vector of the assignment.
    public let objective: MatchingObjective
    /// Session of each worker, -1 when unplaced.
    private let sessionOfWorker: [Int32]
    /// The problem, kept for explanations.
    let problem: MatchingProblem
    /// The graph the problem was solved on: eligibility and tailoring per pair.
    let graph: MatchingGraph

    init(problem: MatchingProblem, solver: AssignmentSolver) {
        let graph = solver.graph
        var sessionOfWorker = [Int32](repeating: -1, count: graph.workerCount)
        var objective = MatchingObjective.zero
        var used: [Int] = []
        for group in 0..<graph.groupCount {
            // Within a group the placed members are its best-priority ones; which of them gets
            // which of the group's sessions does not change the objective, so the longest waiting
            // get the earliest sessions.
            used.removeAll(keepingCapacity: true)
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) where solver.arcFlow[arc] > 0 {
                used.append(arc)
            }
            used.sort { (graph.sessionRank[graph.arcSession($0)], $0) < (graph.sessionRank[graph.arcSession($1)], $1) }
            var member = Int(graph.memberStart[group])
            for arc in used {
                let session = graph.arcSession(arc)
                for _ in 0..<Int(solver.arcFlow[arc]) {
                    let worker = Int(graph.members[member])
                    member += 1
                    sessionOfWorker[worker] = Int32(session)
                    if graph.groupIsUnemployed[group] {
                        objective.unemployedPlaced += 1
                    } else {
                        objective.atRiskPlaced += 1
                    }
                    objective.tailoredPlacements += Int(graph.arcEntry[arc] & 1)
                    objective.startRankSum += Int(graph.sessionRank[session])
                    objective.prioritySum += Int(graph.workerPriority[worker])
                }
            }
        }
        self.objective = objective
        self.sessionOfWorker = sessionOfWorker
        self.problem = problem
        self.graph = graph
    }

    /// The session a worker was placed in, or nil if the worker stays unplaced.
    public func session(of worker: Int) -> Int? {
        let session = sessionOfWorker[worker]
        return session < 0 ? nil : Int(session)
    }

    /// All placements, ordered by worker.
    public var placements: [MatchingPair] {
        sessionOfWorker.indices.compactMap { worker in
            let session = Int(sessionOfWorker[worker])
            guard session >= 0, let arc = graph.arc(group: Int(graph.groupOfWorker[worker]), session: session) else {
                return nil
            }
            return MatchingPair(worker: worker, session: session, tailored: graph.arcEntry[arc] & 1 == 1)
        }
    }

    /// Number of distinct worker profiles the solver collapsed the workers into.
    public var profileCount: Int { graph.groupCount }
}
