import OverstapCore

/// Exhaustive search over all assignments of a tiny problem, for checking the solver.
struct MatchingBruteForce {
    let workers: [MatchingWorker]
    let sessions: [MatchingSession]
    /// Eligible sessions per worker with their tailored flag.
    let options: [[(session: Int, tailored: Bool)]]

    /// Best objective overall.
    private(set) var best: MatchingObjective = .zero
    /// Best objective among assignments that place worker w in session s, keyed w * sessions + s.
    private(set) var bestWith: [MatchingObjective?]

    init(workers: [MatchingWorker], sessions: [MatchingSession], pairs: [MatchingPair]) {
        self.workers = workers
        self.sessions = sessions
        var options = [[(session: Int, tailored: Bool)]](repeating: [], count: workers.count)
        for pair in pairs {
            if let index = options[pair.worker].firstIndex(where: { $0.session == pair.session }) {
                options[pair.worker][index].tailored = options[pair.worker][index].tailored || pair.tailored
            } else {
                options[pair.worker].append((pair.session, pair.tailored))
            }
        }
        self.options = options
        bestWith = Array(repeating: nil, count: workers.count * sessions.count)
        var seats = sessions.map(\.freeSeats)
        var chosen = [Int?](repeating: nil, count: workers.count)
        search(worker: 0, seats: &seats, chosen: &chosen, objective: .zero)
    }

    private mutating func search(worker: Int, seats: inout [Int], chosen: inout [Int?], objective: MatchingObjective) {
        guard worker < workers.count else {
            if objective.isBetter(than: best) { best = objective }
            for (placed, session) in chosen.enumerated() {
                guard let session else { continue }
                let key = placed * sessions.count + session
                if bestWith[key].map({ objective.isBetter(than: $0) }) ?? true { bestWith[key] = objective }
            }
            return
        }
        chosen[worker] = nil
        search(worker: worker + 1, seats: &seats, chosen: &chosen, objective: objective)
        for option in options[worker] where seats[option.session] > 0 {
            var next = objective
            if workers[worker].status == .unemployed { next.unemployedPlaced += 1 } else { next.atRiskPlaced += 1 }
            next.tailoredPlacements += option.tailored ? 1 : 0
            next.startRankSum += sessions[option.session].startRank
            next.prioritySum += workers[worker].priority
            seats[option.session] -= 1
            chosen[worker] = option.session
            search(worker: worker + 1, seats: &seats, chosen: &chosen, objective: next)
            chosen[worker] = nil
            seats[option.session] += 1
        }
    }
}
