/// Minimum-cost flow by cost scaling: Goldberg's push–relabel refinement of ε-optimal flows.
///
/// Costs are exact 128-bit integers, multiplied by `nodeCount + 1`; a flow that is 1-optimal for
/// those costs is optimal for the original ones (Goldberg and Tarjan). Each refinement divides ε
/// by `scaleFactor`, saturates every arc of negative reduced cost and then pushes the excess of
/// active nodes, first in, first out, along admissible arcs, relabelling a node when none is left
/// and continuing along the arc that set its new price. The order of nodes and arcs fixes every
/// choice, so the same input gives the same flow.
struct CostScalingFlow {
    private(set) var network: ResidualNetwork
    /// Scaled cost per arc position; a reverse arc costs the negation of its partner.
    private var cost: [Int128]
    private var price: [Int128]
    /// Supply at the start, then excess (negative while a node still lacks inflow).
    private var excess: [Int32]
    private var current: [Int32]
    private let scaleFactor: Int128 = 8

    /// The largest absolute arc cost the solver accepts, so that prices cannot overflow 128 bits.
    static func maximumCost(nodeCount: Int) -> Int128 {
        // Prices move by less than 3 · nodes · ε per refinement and ε shrinks geometrically.
        Int128.max / 16 / Int128(nodeCount + 1) / Int128(nodeCount + 1)
    }

    /// Prepares a problem: `arcCosts[i]` is the cost of the i-th arc of `network`; supplies are
    /// positive, demands negative, and they sum to zero.
    init(network: ResidualNetwork, arcCosts: [Int128], supply: [Int32]) {
        precondition(arcCosts.count == network.position.count, "one cost per arc")
        precondition(supply.count == network.nodeCount, "one supply per node")
        precondition(supply.reduce(0) { $0 + Int($1) } == 0, "supplies must balance demands")
        let scale = Int128(network.nodeCount + 1)
        let limit = Self.maximumCost(nodeCount: network.nodeCount)
        var cost = [Int128](repeating: 0, count: network.head.count)
        for (index, arcCost) in arcCosts.enumerated() {
            precondition(arcCost.magnitude <= limit.magnitude, "arc cost \(arcCost) too large for exact scaling")
            let forward = Int(network.position[index])
            cost[forward] = arcCost * scale
            cost[Int(network.partner[forward])] = -arcCost * scale
        }
        self.network = network
        self.cost = cost
        price = [Int128](repeating: 0, count: network.nodeCount)
        excess = supply
        current = network.first
    }

    /// Computes a minimum-cost flow; the problem must be feasible.
    mutating func solve() {
        var epsilon = cost.reduce(Int128(1)) { Swift.max($0, $1 < 0 ? -$1 : $1) }
        repeat {
            epsilon = Swift.max(epsilon / scaleFactor, 1)
            refine(epsilon)
        } while epsilon > 1
    }

    /// Turns an ε·α-optimal flow into an ε-optimal one.
    private mutating func refine(_ epsilon: Int128) {
        let nodeCount = network.nodeCount
        for node in 0..<nodeCount {
            let nodePrice = price[node]
            for arc in Int(network.first[node])..<Int(network.first[node + 1]) where network.residual[arc] > 0 {
                let target = Int(network.head[arc])
                if cost[arc] + nodePrice - price[target] < 0 {
                    let amount = network.residual[arc]
                    network.push(amount, along: arc)
                    excess[node] -= amount
                    excess[target] += amount
                }
            }
        }
        var queue = ActiveQueue(capacity: nodeCount)
        for node in 0..<nodeCount {
            current[node] = network.first[node]
            if excess[node] > 0 { queue.append(node) }
        }
        while let node = queue.popFirst() {
            discharge(node, epsilon: epsilon, queue: &queue)
        }
    }

    /// Pushes all of a node's excess, relabelling it whenever no admissible arc is left.
    private mutating func discharge(_ node: Int, epsilon: Int128, queue: inout ActiveQueue) {
        let end = Int(network.first[node + 1])
        while excess[node] > 0 {
            let nodePrice = price[node]
            var arc = Int(current[node])
            while arc < end {
                if network.residual[arc] > 0 {
                    let target = Int(network.head[arc])
                    if cost[arc] + nodePrice - price[target] < 0 {
                        let amount = min(excess[node], network.residual[arc])
                        network.push(amount, along: arc)
                        excess[node] -= amount
                        let before = excess[target]
                        excess[target] += amount
                        if before <= 0, excess[target] > 0 { queue.append(target) }
                        if excess[node] == 0 { break }
                    }
                }
                arc += 1
            }
            current[node] = Int32(arc)
            if excess[node] > 0 { relabel(node, epsilon: epsilon) }
        }
    }

    /// Lowers a node's price just enough to make its cheapest residual arc admissible, and makes
    /// that arc the next one tried.
    private mutating func relabel(_ node: Int, epsilon: Int128) {
        var highest = Int128.min
        var highestArc = -1
        for arc in Int(network.first[node])..<Int(network.first[node + 1]) where network.residual[arc] > 0 {
            let candidate = price[Int(network.head[arc])] - cost[arc]
            if candidate > highest {
                highest = candidate
                highestArc = arc
            }
        }
        precondition(highestArc >= 0, "a node with excess has no residual arc: the flow problem is infeasible")
        price[node] = highest - epsilon
        current[node] = Int32(highestArc)
    }
}

/// First-in, first-out queue of active nodes; a node is in it at most once.
private struct ActiveQueue {
    private var ring: [Int32]
    private var head = 0
    private var count = 0

    init(capacity: Int) {
        ring = [Int32](repeating: 0, count: Swift.max(capacity, 1))
    }

    mutating func append(_ node: Int) {
        ring[(head + count) % ring.count] = Int32(node)
        count += 1
    }

    mutating func popFirst() -> Int? {
        guard count > 0 else { return nil }
        let node = Int(ring[head])
        head = (head + 1) % ring.count
        count -= 1
        return node
    }
}
