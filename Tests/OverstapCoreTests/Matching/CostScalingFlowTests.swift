@testable import OverstapCore
import Testing

/// The minimum-cost flow under the matching solver, exact for costs far beyond 64 bits.
struct CostScalingFlowTests {
    func minimumCostFlow(nodeCount: Int, _ arcs: [ResidualNetwork.Arc], costs: [Int128], supply: [Int32]) -> [Int32] {
        let flow = CostScalingFlow(network: ResidualNetwork(nodeCount: nodeCount, arcs: arcs), arcCosts: costs, supply: supply)
        flow.solve()
        return arcs.indices.map { flow.flow(onArc: $0) }
    }

    /// Two workers, two seats: crossing over costs 4 more than the base, straight across 5 more.
    func crossingIsCheaper(base: Int128) -> [Int32] {
        let arcs: [ResidualNetwork.Arc] = [
            .init(tail: 0, head: 2, capacity: 1), .init(tail: 0, head: 3, capacity: 1),
            .init(tail: 1, head: 2, capacity: 1), .init(tail: 1, head: 3, capacity: 1),
        ]
        let costs = [base, base + 3, base + 1, base + 5]
        return minimumCostFlow(nodeCount: 4, arcs, costs: costs, supply: [1, 1, -1, -1])
    }

    @Test(arguments: [Int128(0), 1 << 40, 1 << 64, 1 << 100])
    func exactAtEveryMagnitude(base: Int128) {
        #expect(crossingIsCheaper(base: base) == [0, 1, 1, 0])
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
