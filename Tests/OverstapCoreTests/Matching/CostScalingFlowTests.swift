@testable import OverstapCore
import Testing

/// The minimum-cost flow under the matching solver, exact for costs far beyond 64 bits.
struct CostScalingFlowTests {
    func solvedFlow(nodeCount: Int, _ arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]) -> CostScalingFlow {
        let flow = CostScalingFlow(network: ResidualNetwork(nodeCount: nodeCount, arcs: arcs), arcCosts: costs, supply: supply)
        flow.solve()
        return flow
    }

    func minimumCostFlow(nodeCount: Int, _ arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]) -> [Int32] {
        let flow = solvedFlow(nodeCount: nodeCount, arcs, costs: costs, supply: supply)
        return arcs.indices.map { flow.flow(onArc: $0) }
    }

    /// Two workers, two seats: crossing over costs 4 more than the base, straight across 5 more.
    func crossingIsCheaper(base: Int128) -> CostScalingFlow {
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let costs = [base, base + 3, base + 1, base + 5]
        return solvedFlow(nodeCount: 4, arcs, costs: costs, supply: [1, 1, -1, -1])
    }

    @Test(arguments: [Int128(0), 1 << 40, 1 << 64, 1 << 100])
    func exactAtEveryMagnitude(base: Int128) {
        let flow = crossingIsCheaper(base: base)
        #expect((0..<4).map { flow.flow(onArc: $0) } == [0, 1, 1, 0])
    }

    @Test func stopsOnceNoResidualCycleHasNegativeCost() {
        // Scaling ε from about 2^100 down to 1 takes about 50 refinements; the flow is optimal
        // after the first few, and the check proves it.
        let flow = crossingIsCheaper(base: 1 << 100)
        #expect(flow.refinements < 10)
    }

    @Test func arcsSharingATableEntryShareItsCost() {
        // Four arcs, two costs: worker 0 prefers seat 3, worker 1 takes seat 2.
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let flow = CostScalingFlow(
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
}
