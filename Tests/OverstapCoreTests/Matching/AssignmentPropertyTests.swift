import OverstapCore
import TestRandom
import Testing

/// The solver against exhaustive search on several hundred small seeded instances.
struct AssignmentPropertyTests {
    /// A random instance of up to 8 workers and 4 sessions; some workers copy another's profile.
    static func instance(seed: UInt64) -> (workers: [MatchingWorker], sessions: [MatchingSession], pairs: [MatchingPair]) {
        var random = SeededRandom(seed: seed)
        let sessions = (0..<(1 + random.next(4))).map { _ in
            MatchingSession(freeSeats: random.next(8) == 0 ? 0 : 1 + random.next(3), startRank: random.next(4))
        }
        var workers: [MatchingWorker] = []
        var pairs: [MatchingPair] = []
        for worker in 0..<(1 + random.next(8)) {
            let status: MatchingStatus = random.next(2) == 0 ? .unemployed : .atRisk
            workers.append(MatchingWorker(status: status, priority: random.next(6)))
            if worker > 0, random.next(3) == 0 {
                copyProfile(of: random.next(worker), to: worker, workers: &workers, pairs: &pairs)
                continue
            }
            for session in sessions.indices where random.next(2) == 0 {
                pairs.append(MatchingPair(worker: worker, session: session, tailored: random.next(3) == 0))
                if random.next(10) == 0 {
                    pairs.append(MatchingPair(worker: worker, session: session, tailored: false))
                }
            }
        }
        return (workers, sessions, pairs)
    }

    @Test(arguments: 0..<400)
    func matchesExhaustiveSearch(seed: Int) {
        let (workers, sessions, pairs) = Self.instance(seed: UInt64(seed))
        let result = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        let brute = MatchingBruteForce(workers: workers, sessions: sessions, pairs: pairs)

        #expect(result.objective == brute.best)

        // The assignment is feasible and its objective is the one reported.
        var seatsUsed = [Int](repeating: 0, count: sessions.count)
        var recomputed = MatchingObjective.zero
        for placement in result.placements {
            let option = brute.options[placement.worker].first { $0.session == placement.session }
            #expect(option != nil, "worker \(placement.worker) placed in ineligible session \(placement.session)")
            #expect(option?.tailored == placement.tailored)
            #expect(result.session(of: placement.worker) == placement.session)
            seatsUsed[placement.session] += 1
            if workers[placement.worker].status == .unemployed { recomputed.unemployedPlaced += 1 } else { recomputed.atRiskPlaced += 1 }
            recomputed.tailoredPlacements += placement.tailored ? 1 : 0
            recomputed.startRankSum += sessions[placement.session].startRank
            recomputed.prioritySum += workers[placement.worker].priority
        }
        #expect(Set(result.placements.map(\.worker)).count == result.placements.count)
        #expect(result.placements.count == workers.indices.filter { result.session(of: $0) != nil }.count)
        for session in sessions.indices {
            #expect(seatsUsed[session] <= sessions[session].freeSeats)
        }
        #expect(recomputed == result.objective)

        // Each explanation agrees with the best assignment that forces the pair.
        for worker in workers.indices {
            for session in sessions.indices {
                let explanation = result.explain(worker: worker, session: session)
                let expected: AssignmentExplanation
                if !brute.options[worker].contains(where: { $0.session == session }) {
                    expected = .notEligible
                } else if result.session(of: worker) == session {
                    expected = .assigned
                } else if sessions[session].freeSeats == 0 {
                    expected = .noSeats
                } else if let forced = brute.bestWith[worker * sessions.count + session] {
                    if let level = forced.firstDifference(from: brute.best) {
                        expected = .decided(level: level, objective: forced)
                    } else {
                        expected = .tie
                    }
                } else {
                    Issue.record("exhaustive search found no assignment with worker \(worker) in session \(session)")
                    continue
                }
                #expect(explanation == expected, "worker \(worker), session \(session), seed \(seed)")
            }
        }
    }
}
