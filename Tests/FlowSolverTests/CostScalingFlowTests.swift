@testable import FlowSolver
import TestRandom
import Testing

/// Minimum-cost flow by cost scaling, exact for costs far beyond 64 bits.
struct CostScalingFlowTests {
    func solvedFlow<Cost>(
        _: Cost.Type = Int128.self, nodeCount: Int, _ arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]
    ) -> CostScalingFlow<Cost> {
        let flow = CostScalingFlow<Cost>(network: ResidualNetwork(nodeCount: nodeCount, arcs: arcs), arcCosts: costs, supply: supply)
        flow.solve()
        return flow
    }

    func minimumCostFlow(nodeCount: Int, _ arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]) -> [Int32] {
        let flow = solvedFlow(Int64.self, nodeCount: nodeCount, arcs, costs: costs, supply: supply)
        return arcs.indices.map { flow.flow(onArc: $0) }
    }

    /// Two workers, two seats: crossing over costs 4 more than the base, straight across 5 more.
    func crossingIsCheaper(base: Int128, checkScansPerArc: Int = 16) -> CostScalingFlow<Int128> {
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let costs = [base, base + 3, base + 1, base + 5]
        let flow = CostScalingFlow<Int128>(network: ResidualNetwork(nodeCount: 4, arcs: arcs), arcCosts: costs, supply: [1, 1, -1, -1])
        flow.solve(checkScansPerArc: checkScansPerArc)
        return flow
    }

    @Test(arguments: [Int128(0), 1 << 40, 1 << 64, 1 << 100])
    func exactAtEveryMagnitude(base: Int128) {
        let flow = crossingIsCheaper(base: base)
        #expect((0..<4).map { flow.flow(onArc: $0) } == [0, 1, 1, 0])
    }

    @Test(arguments: [Int128(0), 1 << 40, 1 << 64, 1 << 100])
    func theSolverChoosesAWidthThatHoldsTheCosts(base: Int128) {
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let network = ResidualNetwork(nodeCount: 4, arcs: arcs)
        let costs = [base, base + 3, base + 1, base + 5]
        let optimum = MinimumCostFlow(network: network, arcCosts: costs, supply: [1, 1, -1, -1])
        #expect(optimum.flow == [0, 1, 1, 0])
        #expect(optimum.arcIsTight.contains(false))
        let started = MinimumCostFlow(
            network: network, arcCosts: costs, supply: [1, 1, -1, -1], start: .init(flow: [1, 0, 0, 1], prices: [0, 0, base, base])
        )
        #expect(started.flow == [0, 1, 1, 0])
    }

    @Test func stopsOnceNoResidualCycleHasNegativeCost() {
        // Scaling ε from about 2^100 down to 1 takes about 50 refinements; the flow is optimal
        // after the first few, and the check proves it.
        let flow = crossingIsCheaper(base: 1 << 100)
        #expect(flow.refinements < 10)
    }

    @Test func aCheckThatRunsOutOfWorkProvesNothingAndScalingGoesOn() {
        // With no work allowed the check always gives up, so ε is scaled all the way down.
        let flow = crossingIsCheaper(base: 1 << 100, checkScansPerArc: 0)
        #expect(flow.refinements > 40)
        #expect((0..<4).map { flow.flow(onArc: $0) } == [0, 1, 1, 0])
    }

    @Test func theExactCheckRunsAfterNoChangeOrAFinalSmallChange() {
        // Four nodes: one unit of the original costs is 5 after scaling.
        let flow = crossingIsCheaper(base: 0)
        #expect(flow.looksConverged(epsilon: 1_000, change: 0, previousChange: nil))
        #expect(flow.looksConverged(epsilon: 4, change: 9, previousChange: 900))
        #expect(!flow.looksConverged(epsilon: 4, change: 10, previousChange: 900))
        #expect(!flow.looksConverged(epsilon: 5, change: 1, previousChange: 900), "ε of a whole unit: too early")
        #expect(!flow.looksConverged(epsilon: 4, change: 1, previousChange: nil), "the first refinement changed something")
    }

    @Test func arcsSharingATableEntryShareItsCost() {
        // Four arcs, two costs: worker 0 prefers seat 3, worker 1 takes seat 2.
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let flow = CostScalingFlow<Int64>(
            network: ResidualNetwork(nodeCount: 4, arcs: arcs), costTable: [10, 0], arcCostIndex: [0, 1, 1, 0], supply: [1, 1, -1, -1]
        )
        flow.solve()
        #expect((0..<4).map { flow.flow(onArc: $0) } == [0, 1, 1, 0])
    }

    @Test func flowFollowsTheCheapestOfManyPathsThroughASharedBottleneck() {
        // Three sources of one unit reach one sink through a middle node that passes two units,
        // or directly at a higher cost; the two cheapest sources take the middle.
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 3, capacity: 1), .init(tail: 1, head: 3, capacity: 1), .init(tail: 2, head: 3, capacity: 1),
            .init(tail: 3, head: 4, capacity: 2),
            .init(tail: 0, head: 4, capacity: 1), .init(tail: 1, head: 4, capacity: 1), .init(tail: 2, head: 4, capacity: 1),
        ]
        let costs: [Int128] = [7, 1, 2, 0, 8, 9, 10]
        #expect(minimumCostFlow(nodeCount: 5, arcs, costs: costs, supply: [1, 1, 1, 0, -3]) == [0, 1, 1, 2, 1, 0, 0])
    }

    /// A transportation problem shaped like an assignment: single workers with many arcs to
    /// capacitated sessions and an "unplaced" sink, so the best-arc cache of single workers is
    /// exercised well beyond its three entries.
    static func transportation(seed: UInt64) -> (nodeCount: Int, arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]) {
        var random = SeededRandom(seed: seed)
        let workers = 5 + random.next(40)
        let sessions = 2 + random.next(10)
        let unplaced = workers + sessions
        let placed = unplaced + 1
        var arcs: [ResidualNetwork.Arc] = []
        var costs: [Int128] = []
        for session in 0..<sessions {
            let capacity = random.next(4)
            arcs.append(.init(tail: Int32(workers + session), head: Int32(placed), capacity: Int32(capacity)))
            costs.append(0)
        }
        var supply = [Int32](repeating: 0, count: placed + 1)
        for worker in 0..<workers {
            supply[worker] = 1
            arcs.append(.init(tail: Int32(worker), head: Int32(unplaced), capacity: 1))
            costs.append(-Int128(random.next(50)))
            for session in 0..<sessions where random.next(3) > 0 {
                arcs.append(.init(tail: Int32(worker), head: Int32(workers + session), capacity: 1))
                costs.append(Int128(random.next(100)) - 60)
            }
        }
        // Feasible whatever the arcs: whoever finds no seat stays unplaced.
        arcs.append(.init(tail: Int32(unplaced), head: Int32(placed), capacity: Int32(workers)))
        costs.append(0)
        supply[placed] = -Int32(workers)
        return (placed + 1, arcs, costs, supply)
    }

    /// A least-cost flow by successive shortest paths (Bellman–Ford), for comparison: its cost
    /// and the units on each arc.
    static func referenceFlow(
        nodeCount: Int, arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]
    ) -> (cost: Int128, flow: [Int32]) {
        var network = ResidualNetwork(nodeCount: nodeCount + 2, arcs: arcs + supply.indices.map { node in
            supply[node] > 0
                ? .init(tail: Int32(nodeCount), head: Int32(node), capacity: supply[node])
                : .init(tail: Int32(node), head: Int32(nodeCount + 1), capacity: -supply[node])
        })
        var arcCost = [Int128](repeating: 0, count: network.head.count)
        for (index, cost) in costs.enumerated() {
            arcCost[Int(network.position[index])] = cost
            arcCost[Int(network.partner[Int(network.position[index])])] = -cost
        }
        var total: Int128 = 0
        while true {
            var distance = [Int128?](repeating: nil, count: nodeCount + 2)
            var via = [Int](repeating: -1, count: nodeCount + 2)
            distance[nodeCount] = 0
            for _ in 0..<(nodeCount + 2) {
                for node in 0..<(nodeCount + 2) {
                    guard let reach = distance[node] else { continue }
                    for arc in Int(network.first[node])..<Int(network.first[node + 1]) where network.residual[arc] > 0 {
                        let target = Int(network.head[arc])
                        if distance[target].map({ reach + arcCost[arc] < $0 }) ?? true {
                            distance[target] = reach + arcCost[arc]
                            via[target] = arc
                        }
                    }
                }
            }
            guard let pathCost = distance[nodeCount + 1] else {
                return (total, arcs.indices.map { network.flow(onArc: $0) })
            }
            var node = nodeCount + 1
            var path: [Int] = []
            while node != nodeCount {
                path.append(via[node])
                node = Int(network.head[Int(network.partner[via[node]])])
            }
            let amount = path.map { network.residual[$0] }.min()!
            for arc in path {
                network.push(amount, along: arc)
            }
            total += Int128(amount) * pathCost
        }
    }

    @Test(arguments: 0..<300)
    func matchesSuccessiveShortestPathsOnWorkerShapedProblems(seed: Int) {
        let problem = Self.transportation(seed: UInt64(seed))
        let reference = Self.referenceFlow(nodeCount: problem.nodeCount, arcs: problem.arcs, costs: problem.costs, supply: problem.supply)
        func cost(of flow: CostScalingFlow<some FixedWidthInteger & SignedInteger>) -> Int128 {
            problem.arcs.indices.reduce(Int128(0)) { $0 + Int128(flow.flow(onArc: $1)) * problem.costs[$1] }
        }
        // The same problem with 64-bit and with 128-bit costs.
        #expect(cost(of: solvedFlow(Int64.self, nodeCount: problem.nodeCount, problem.arcs, costs: problem.costs, supply: problem.supply)) == reference.cost)
        #expect(cost(of: solvedFlow(Int128.self, nodeCount: problem.nodeCount, problem.arcs, costs: problem.costs, supply: problem.supply)) == reference.cost)
    }

    @Test(arguments: 0..<300)
    func startingFromAFeasibleFlowAndAnyPricesReachesTheOptimum(seed: Int) {
        // Everyone unplaced is feasible; random prices make some arcs violate and others not.
        let problem = Self.transportation(seed: UInt64(seed))
        var random = SeededRandom(seed: UInt64(seed) + 7_000)
        let unplaced = Int32(problem.nodeCount - 2)
        let start = problem.arcs.map { arc in arc.head == unplaced ? Int32(1) : arc.tail == unplaced ? arc.capacity : 0 }
        let prices = (0..<problem.nodeCount).map { _ in Int128(random.next(200)) - 100 }
        let flow = CostScalingFlow<Int64>(network: ResidualNetwork(nodeCount: problem.nodeCount, arcs: problem.arcs), arcCosts: problem.costs, supply: problem.supply)
        flow.solve(from: start, prices: prices)
        let cost = problem.arcs.indices.reduce(Int128(0)) { $0 + Int128(flow.flow(onArc: $1)) * problem.costs[$1] }
        #expect(cost == Self.referenceFlow(nodeCount: problem.nodeCount, arcs: problem.arcs, costs: problem.costs, supply: problem.supply).cost)
    }

    @Test func startingFromAnOptimalFlowWithExactPricesRefinesOnce() {
        // Worker 0 to seat 3 and worker 1 to seat 2 is optimal, and these prices prove it.
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let flow = CostScalingFlow<Int64>(network: ResidualNetwork(nodeCount: 4, arcs: arcs), arcCosts: [0, 3, 1, 5], supply: [1, 1, -1, -1])
        flow.solve(from: [0, 1, 1, 0], prices: [0, -1, 0, 3])
        #expect(flow.refinements == 1)
        #expect((0..<4).map { flow.flow(onArc: $0) } == [0, 1, 1, 0])
    }

    @Test(arguments: 0..<300)
    func anotherOptimalFlowDiffersOnlyOnArcsOfZeroReducedCost(seed: Int) {
        // Exact optimal prices certify every optimal flow: one found another way may differ from
        // the solver's only where the reduced cost is zero, and so may any arc partly used.
        let problem = Self.transportation(seed: UInt64(seed))
        let flow = solvedFlow(Int64.self, nodeCount: problem.nodeCount, problem.arcs, costs: problem.costs, supply: problem.supply)
        let isTight = flow.arcsOfZeroReducedCost()
        let reference = Self.referenceFlow(nodeCount: problem.nodeCount, arcs: problem.arcs, costs: problem.costs, supply: problem.supply)
        for arc in problem.arcs.indices where !isTight[arc] {
            #expect(flow.flow(onArc: arc) == reference.flow[arc], "arc \(arc), seed \(seed)")
            #expect(flow.flow(onArc: arc) == 0 || flow.flow(onArc: arc) == problem.arcs[arc].capacity)
        }
    }

    @Test func whenEveryAssignmentCostsTheSameEveryArcHasZeroReducedCost() {
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let flow = solvedFlow(Int64.self, nodeCount: 4, arcs, costs: [7, 7, 7, 7], supply: [1, 1, -1, -1])
        #expect(flow.arcsOfZeroReducedCost() == [true, true, true, true])
    }

    @Test func afterScalingAllTheWayDownThePricesAreSettledFirst() {
        // Swapping the two seats costs 1 more, so not all four arcs can have reduced cost zero.
        let flow = crossingIsCheaper(base: 1 << 100, checkScansPerArc: 0)
        #expect(flow.arcsOfZeroReducedCost().contains(false))
    }
}
