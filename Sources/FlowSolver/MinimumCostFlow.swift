/// A minimum-cost flow of a network, exact for integer costs far beyond 64 bits, with the arcs
/// that exact optimal prices leave at reduced cost zero.
///
/// Solved by cost scaling (`CostScalingFlow`) with 64-bit costs when they cannot overflow, else
/// with 128-bit costs; both give the same flow. The same input always gives the same flow.
public struct MinimumCostFlow: Sendable {
    /// Units on each added arc of the network.
    public let flow: [Int32]
    /// Whether each added arc has reduced cost zero under exact optimal prices.
    ///
    /// Those prices certify every optimal flow: the optimal flows are exactly those that differ
    /// from `flow` only on these arcs (complementary slackness).
    public let arcIsTight: [Bool]

    /// A feasible flow to start from, and a price per node in cost units: from a start close to
    /// optimal, far fewer pushes than from nothing.
    public struct Start: Sendable {
        /// Units on each added arc, within its capacity, meeting every supply and demand.
        public var flow: [Int32]
        /// A price per node.
        public var prices: [Int128]

        /// Creates a start from a flow and prices.
        public init(flow: [Int32], prices: [Int128]) {
            self.flow = flow
            self.prices = prices
        }
    }

    /// Solves a feasible problem whose i-th arc costs `costTable[arcCostIndex[i]]` (millions of
    /// arcs may share a few costs); supplies are positive, demands negative, and they sum to zero.
    public init(network: ResidualNetwork, costTable: [Int128], arcCostIndex: [Int32], supply: [Int32], start: Start? = nil) {
        let largestCost = costTable.map(\.magnitude).max() ?? 0
        let largestPrice = start?.prices.map(\.magnitude).max() ?? 0
        // A reduced cost is the arc's cost plus the difference of two prices.
        let largestReducedCost = largestCost + 2 * largestPrice
        if largestReducedCost <= CostScalingFlow<Int64>.maximumCost(nodeCount: network.nodeCount).magnitude {
            (flow, arcIsTight) = Self.solve(Int64.self, network, costTable, arcCostIndex, supply, start)
        } else {
            (flow, arcIsTight) = Self.solve(Int128.self, network, costTable, arcCostIndex, supply, start)
        }
    }

    /// Solves a feasible problem whose i-th arc costs `arcCosts[i]`.
    public init(network: ResidualNetwork, arcCosts: [Int128], supply: [Int32], start: Start? = nil) {
        self.init(network: network, costTable: arcCosts, arcCostIndex: Array(0..<Int32(arcCosts.count)), supply: supply, start: start)
    }

    private static func solve<Cost>(
        _: Cost.Type, _ network: ResidualNetwork, _ costTable: [Int128], _ arcCostIndex: [Int32], _ supply: [Int32], _ start: Start?
    ) -> (flow: [Int32], arcIsTight: [Bool]) where Cost: FixedWidthInteger & SignedInteger {
        let solver = CostScalingFlow<Cost>(network: network, costTable: costTable, arcCostIndex: arcCostIndex, supply: supply)
        if let start {
            solver.solve(from: start.flow, prices: start.prices)
        } else {
            solver.solve()
        }
        return ((0..<network.arcCount).map { solver.flow(onArc: $0) }, solver.arcsOfZeroReducedCost())
    }
}
