import FlowSolver
import OverstapCore
import TestRandom
import Testing

/// Level 5 on instances too large for exhaustive search: the solver against one minimum-cost flow
/// over a cost that weighs all five levels (no stages, no groups, no exchange).
struct AssignmentPriorityTests {
    /// Up to 60 workers and 8 sessions, a third of them copies of an earlier worker's profile,
    /// with seats for about half of them: long exchange paths, groups and unfilled seats.
    static func instance(seed: UInt64) -> (workers: [MatchingWorker], sessions: [MatchingSession], pairs: [MatchingPair]) {
        var random = SeededRandom(seed: seed)
        let workerCount = 10 + random.next(51)
        let sessions = (0..<(2 + random.next(7))).map { _ in
            MatchingSession(freeSeats: random.next(2 * workerCount / 8 + 1), startRank: random.next(5))
        }
        var workers: [MatchingWorker] = []
        var pairs: [MatchingPair] = []
        for worker in 0..<workerCount {
            let status: MatchingStatus = random.next(3) == 0 ? .atRisk : .unemployed
            workers.append(MatchingWorker(status: status, priority: random.next(3 * workerCount)))
            if worker > 0, random.next(3) == 0 {
                copyProfile(of: random.next(worker), to: worker, workers: &workers, pairs: &pairs)
                continue
            }
            for session in sessions.indices where random.next(3) == 0 {
                pairs.append(MatchingPair(worker: worker, session: session, tailored: random.next(3) == 0))
            }
        }
        return (workers, sessions, pairs)
    }

    /// The least total of one cost per placement that makes each level outweigh all below it.
    static func weightedOptimum(workers: [MatchingWorker], sessions: [MatchingSession], pairs: [MatchingPair]) -> Int128 {
        let weights = Weights(workers: workers, sessions: sessions)
        let sink = workers.count + sessions.count
        var arcs: [ResidualNetwork.Arc] = []
        var costs: [Int128] = []
        for worker in workers.indices {
            arcs.append(.init(tail: Int32(worker), head: Int32(sink), capacity: 1))
            costs.append(0)
        }
        for pair in pairs {
            arcs.append(.init(tail: Int32(pair.worker), head: Int32(workers.count + pair.session), capacity: 1))
            costs.append(weights.cost(worker: workers[pair.worker], session: sessions[pair.session], tailored: pair.tailored))
        }
        for (session, details) in sessions.enumerated() {
            arcs.append(.init(tail: Int32(workers.count + session), head: Int32(sink), capacity: Int32(details.freeSeats)))
            costs.append(0)
        }
        let supply = workers.map { _ in Int32(1) } + sessions.map { _ in 0 } + [-Int32(workers.count)]
        let optimum = MinimumCostFlow(network: ResidualNetwork(nodeCount: sink + 1, arcs: arcs), arcCosts: costs, supply: supply)
        return zip(optimum.flow, costs).reduce(Int128(0)) { $0 + Int128($1.0) * $1.1 }
    }

    struct Weights {
        let priority: Int128 = 1
        let rank: Int128
        let tailored: Int128
        let atRisk: Int128
        let unemployed: Int128

        init(workers: [MatchingWorker], sessions: [MatchingSession]) {
            let count = Int128(workers.count)
            rank = count * Int128(workers.map(\.priority).max() ?? 0) + 1
            tailored = rank * (count * Int128(sessions.map(\.startRank).max() ?? 0) + 1)
            atRisk = tailored * (count + 1)
            unemployed = atRisk * (count + 1)
        }

        func cost(worker: MatchingWorker, session: MatchingSession, tailored isTailored: Bool) -> Int128 {
            (worker.status == .unemployed ? -unemployed : -atRisk) - (isTailored ? tailored : 0)
                + rank * Int128(session.startRank) + priority * Int128(worker.priority)
        }

        func cost(of objective: MatchingObjective) -> Int128 {
            -unemployed * Int128(objective.unemployedPlaced) - atRisk * Int128(objective.atRiskPlaced)
                - tailored * Int128(objective.tailoredPlacements) + rank * Int128(objective.startRankSum)
                + priority * Int128(objective.prioritySum)
        }
    }

    @Test(arguments: 0..<150)
    func matchesOneWeightedMinimumCostFlow(seed: Int) {
        let (workers, sessions, pairs) = Self.instance(seed: UInt64(seed))
        let result = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        let weights = Weights(workers: workers, sessions: sessions)
        #expect(weights.cost(of: result.objective) == Self.weightedOptimum(workers: workers, sessions: sessions, pairs: pairs), "seed \(seed)")
    }

    @Test func aBetterWorkerTakesThePlaceAlongAChainOfSwaps() {
        // Worker 0 (waited longest) fits only session 0, held by worker 1; worker 1 can move to
        // session 1, held by worker 2, who can move to nowhere: worker 2 gives up the place.
        let workers = [0, 1, 2].map { MatchingWorker(status: .unemployed, priority: $0) }
        let sessions = [MatchingSession(freeSeats: 1, startRank: 0), MatchingSession(freeSeats: 1, startRank: 0)]
        let pairs = [
            MatchingPair(worker: 0, session: 0, tailored: false),
            MatchingPair(worker: 1, session: 0, tailored: false), MatchingPair(worker: 1, session: 1, tailored: false),
            MatchingPair(worker: 2, session: 1, tailored: false),
        ]
        let result = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        #expect(result.session(of: 0) == 0)
        #expect(result.session(of: 1) == 1)
        #expect(result.session(of: 2) == nil)
    }

    @Test func anExchangeNeverCostsATailoredPlacement() {
        // Worker 0 waited longest but worker 1's place is tailored: swapping would lose level 3.
        let workers = [0, 1].map { MatchingWorker(status: .unemployed, priority: $0) }
        let sessions = [MatchingSession(freeSeats: 1, startRank: 0)]
        let pairs = [MatchingPair(worker: 0, session: 0, tailored: false), MatchingPair(worker: 1, session: 0, tailored: true)]
        let result = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        #expect(result.session(of: 1) == 0)
        #expect(result.session(of: 0) == nil)
    }
}
