/// Minimum-cost flow by cost scaling: Goldberg's push–relabel refinement of ε-optimal flows.
///
/// Costs are exact integers of type `Cost` (64 bits when they fit, for half the memory traffic in
/// the inner loops, else 128), multiplied by `nodeCount + 1`; a flow that is 1-optimal for
/// those costs is optimal for the original ones (Goldberg and Tarjan). Each refinement divides ε
/// by `scaleFactor`, saturates every arc of negative reduced cost and then pushes the excess of
/// active nodes, first in, first out, along admissible arcs, relabelling a node when none is left
/// and continuing along the arc that set its new price. The order of nodes and arcs fixes every
/// choice, so the same input gives the same flow.
///
/// The flow is often optimal long before ε reaches 1: the last refinements only reshuffle ties.
/// When a refinement leaves the cost unchanged, or, once ε is below one unit of the original
/// costs, changes it by under 1% of what the refinement before changed, a shortest-path check
/// (Bellman–Ford from all nodes at once, within a work budget) looks for a residual cycle of
/// negative cost; if there is none, the flow is optimal and the solver stops, keeping those exact
/// prices.
///
/// A node's reverse arcs are kept split into those with residual capacity (the flow it holds)
/// and those without, so a node that a thousand sources could reach but a dozen fill scans a
/// dozen arcs. Arcs name their cost by an index into a table of distinct costs: millions of arcs
/// share a few thousand costs, and 4 bytes per arc instead of 16 keep the scans in cache. A single
/// unit (a node with a supply of one and no incoming arcs) remembers its three best arcs and how
/// high the rest reached, so most of its relabels skip the scan of all its arcs. The arrays live
/// in unsafe buffers: the inner loops run billions of times.
final class CostScalingFlow<Cost: FixedWidthInteger & SignedInteger> {
    private let nodeCount: Int
    /// The arcs added by the caller, at their forward positions.
    private let position: [Int32]
    private let first: UnsafeMutableBufferPointer<Int32>
    private let firstReverse: UnsafeMutableBufferPointer<Int32>
    /// Reverse arcs of node v in `firstReverse[v]..<liveEnd[v]` have residual capacity; the rest
    /// of its reverse arcs have none.
    private let liveEnd: UnsafeMutableBufferPointer<Int32>
    private let head: UnsafeMutableBufferPointer<Int32>
    private let partner: UnsafeMutableBufferPointer<Int32>
    private let residual: UnsafeMutableBufferPointer<Int32>
    /// Index of each arc position's cost in `costTable`.
    private let costIndex: UnsafeMutableBufferPointer<Int32>
    /// The scaled table costs, then their negations (the costs of reverse arcs).
    private let costTable: UnsafeMutableBufferPointer<Cost>
    private let price: UnsafeMutableBufferPointer<Cost>
    /// Supply at the start, then excess (negative while a node still lacks inflow).
    private let excess: UnsafeMutableBufferPointer<Int32>
    private let current: UnsafeMutableBufferPointer<Int32>
    /// Whether a node has a supply of one and no incoming arcs (a single unit): when it has
    /// excess, none of its arcs carries flow.
    private let isSingleUnit: UnsafeMutableBufferPointer<Bool>
    /// Per single-unit node, the `cachedArcCount` arcs that reached highest at its last full scan
    /// (-1 when fewer), and the highest any other arc reached then (`Cost.max`: no cache yet).
    private let cachedArcs: UnsafeMutableBufferPointer<Int32>
    private let cacheBound: UnsafeMutableBufferPointer<Cost>
    private let cachedArcCount = 3
    /// Scratch for the reaches of the arcs being cached during a full scan.
    private let cachedReach: UnsafeMutableBufferPointer<Cost>
    private let scaleFactor: Cost = 4
    /// Cost of the current pseudoflow, wrapping at the width of `Cost`, kept up to date by `push`;
    /// it only tells whether a refinement changed the cost, so wrapping cannot mislead the exact
    /// check.
    private var flowCost: Cost = 0
    /// Whether the prices are exact for the current flow and costs (set by the early stop).
    private var pricesAreExact = false
    /// Refinements run by `solve`; tests read it to see an early stop.
    private(set) var refinements = 0

    /// The largest absolute arc cost the solver accepts, so that prices cannot overflow `Cost`.
    static func maximumCost(nodeCount: Int) -> Int128 {
        // Prices move by less than 3 · nodes · ε per refinement and ε shrinks geometrically.
        Int128(Cost.max) / 16 / Int128(nodeCount + 1) / Int128(nodeCount + 1)
    }

    /// Prepares a problem: `arcCosts[i]` is the cost of the i-th arc of `network`; supplies are
    /// positive, demands negative, and they sum to zero.
    convenience init(network: ResidualNetwork, arcCosts: [Int128], supply: [Int32]) {
        self.init(network: network, costTable: arcCosts, arcCostIndex: Array(0..<Int32(arcCosts.count)), supply: supply)
    }

    /// Prepares a problem whose i-th arc costs `costTable[arcCostIndex[i]]`; supplies are
    /// positive, demands negative, and they sum to zero.
    init(network: ResidualNetwork, costTable: [Int128], arcCostIndex: [Int32], supply: [Int32]) {
        precondition(arcCostIndex.count == network.position.count, "one cost per arc")
        precondition(supply.count == network.nodeCount, "one supply per node")
        precondition(supply.reduce(0) { $0 + Int($1) } == 0, "supplies must balance demands")
        precondition(costTable.count < Int(Int32.max) / 2, "too many distinct costs")
        let scale = Int128(network.nodeCount + 1)
        let limit = Self.maximumCost(nodeCount: network.nodeCount)
        nodeCount = network.nodeCount
        position = network.position
        first = Self.copy(network.first)
        firstReverse = Self.copy(network.firstReverse)
        liveEnd = Self.copy(network.firstReverse)
        head = Self.copy(network.head)
        partner = Self.copy(network.partner)
        residual = Self.copy(network.residual)
        self.costTable = .allocate(capacity: 2 * costTable.count)
        for (index, tableCost) in costTable.enumerated() {
            precondition(tableCost.magnitude <= limit.magnitude, "arc cost \(tableCost) too large for exact scaling")
            self.costTable[index] = Cost(tableCost * scale)
            self.costTable[costTable.count + index] = Cost(-tableCost * scale)
        }
        costIndex = .allocate(capacity: network.head.count)
        costIndex.initialize(repeating: 0)
        for (arc, index) in arcCostIndex.enumerated() {
            precondition(costTable.indices.contains(Int(index)), "arc \(arc) names cost \(index), which is not in the table")
            let forward = Int(network.position[arc])
            costIndex[forward] = index
            costIndex[Int(network.partner[forward])] = index + Int32(costTable.count)
        }
        price = .allocate(capacity: nodeCount)
        price.initialize(repeating: 0)
        excess = Self.copy(supply)
        current = Self.copy(network.first)
        isSingleUnit = .allocate(capacity: nodeCount)
        for node in 0..<nodeCount {
            isSingleUnit[node] = supply[node] == 1 && network.firstReverse[node] == network.first[node + 1]
        }
        cachedArcs = .allocate(capacity: cachedArcCount * nodeCount)
        cachedArcs.initialize(repeating: -1)
        cacheBound = .allocate(capacity: nodeCount)
        cacheBound.initialize(repeating: .max)
        cachedReach = .allocate(capacity: cachedArcCount)
        cachedReach.initialize(repeating: .min)
        for node in 0..<nodeCount {
            for arc in Int(firstReverse[node])..<Int(first[node + 1]) where residual[arc] > 0 {
                makeLive(arc, at: node)
            }
        }
    }

    private static func copy<Element>(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = buffer.initialize(from: array)
        return buffer
    }

    deinit {
        for buffer in [first, firstReverse, liveEnd, head, partner, residual, excess, current] {
            buffer.deallocate()
        }
        costIndex.deallocate()
        costTable.deallocate()
        price.deallocate()
        isSingleUnit.deallocate()
        cachedArcs.deallocate()
        cacheBound.deallocate()
        cachedReach.deallocate()
    }

    /// The scaled cost of the arc at a position.
    @inline(__always) private func cost(_ arc: Int) -> Cost {
        costTable[Int(costIndex[arc])]
    }

    /// The highest price the arc's tail could have with the arc still not admissible: the head's
    /// price minus the arc's cost (the arc is admissible exactly when the tail's price is lower).
    @inline(__always) private func reach(_ arc: Int) -> Cost {
        price[Int(head[arc])] - cost(arc)
    }

    /// Units the i-th added arc carries: what its partner could send back.
    func flow(onArc index: Int) -> Int32 {
        residual[Int(partner[Int(position[index])])]
    }

    /// Computes a minimum-cost flow; the problem must be feasible. The optimality check may scan
    /// `checkScansPerArc` times the arcs before it gives up, proving nothing.
    func solve(checkScansPerArc: Int = 16) {
        var epsilon = Cost(1)
        for tableCost in costTable {
            epsilon = Swift.max(epsilon, tableCost < 0 ? -tableCost : tableCost)
        }
        scale(from: epsilon, checkScansPerArc: checkScansPerArc)
    }

    /// Computes a minimum-cost flow from a start: `flow` units on each added arc (within its
    /// capacity) and a price per node, in cost units. ε starts at the most negative reduced cost
    /// a residual arc has then, and the first refinement repairs only such arcs: from a feasible
    /// flow with prices that suit most of it, far fewer pushes than from nothing. No residual arc
    /// may start more than `maximumCost` below zero, so that prices cannot overflow.
    func solve(from flow: [Int32], prices: [Int128], checkScansPerArc: Int = 16) {
        precondition(flow.count == position.count, "one flow per arc")
        precondition(prices.count == nodeCount, "one price per node")
        let costScale = Int128(nodeCount + 1)
        let limit = Self.maximumCost(nodeCount: nodeCount)
        for (node, nodePrice) in prices.enumerated() {
            precondition(nodePrice.magnitude <= limit.magnitude, "price \(nodePrice) too large for exact scaling")
            price[node] = Cost(nodePrice * costScale)
        }
        for (index, units) in flow.enumerated() where units > 0 {
            let forward = Int(position[index])
            precondition(units <= residual[forward], "arc \(index) cannot carry \(units) units")
            _ = push(units, along: forward, from: Int(head[Int(partner[forward])]))
        }
        var epsilon = Cost(1)
        for node in 0..<nodeCount {
            for arc in Int(first[node])..<Int(liveEnd[node]) where residual[arc] > 0 {
                epsilon = Swift.max(epsilon, reach(arc) - price[node])
            }
        }
        precondition(Int128(epsilon) <= limit * costScale, "the start is too far from optimal for exact scaling")
        scale(from: epsilon, checkScansPerArc: checkScansPerArc)
    }

    /// After `solve`, whether each added arc has reduced cost zero under exact optimal prices.
    ///
    /// Those prices certify every optimal flow (complementary slackness): an arc of negative
    /// reduced cost is full and one of positive reduced cost empty in all of them, so the optimal
    /// flows are exactly those that differ from this one on arcs of reduced cost zero alone.
    func arcsOfZeroReducedCost() -> [Bool] {
        // After an early stop the prices are exact already; after a refinement down to ε = 1
        // the flow is optimal but its prices are not, and one Bellman–Ford settles them.
        if !pricesAreExact {
            let settled = settleExactPrices(workBudget: .max)
            precondition(settled, "a negative cycle is left: solve first")
        }
        return position.map { forward in
            let arc = Int(forward)
            return cost(arc) + price[Int(head[Int(partner[arc])])] - price[Int(head[arc])] == 0
        }
    }

    /// Refines an ε-optimal flow (any flow at the largest cost) down to an optimal one.
    private func scale(from start: Cost, checkScansPerArc: Int) {
        var epsilon = start
        var previousChange: Cost.Magnitude?
        repeat {
            epsilon = Swift.max(epsilon / scaleFactor, 1)
            let costBefore = flowCost
            refine(epsilon)
            refinements += 1
            // Exact prices prove that no residual cycle has negative cost: the flow is optimal.
            // They are kept for `arcsOfZeroReducedCost`.
            let change = (flowCost &- costBefore).magnitude
            if epsilon > 1, looksConverged(epsilon: epsilon, change: change, previousChange: previousChange),
                settleExactPrices(workBudget: checkScansPerArc * Int(first[nodeCount])) {
                return
            }
            previousChange = change
        } while epsilon > 1
    }

    /// Whether a refinement to `epsilon` left the flow likely optimal, so that the exact check is
    /// worth its work: it changed nothing, or ε is below one unit of the original costs (a cycle
    /// of negative cost then needs at least 1/ε arcs, ε in those units) and the change was under
    /// 1% of the one before.
    func looksConverged(epsilon: Cost, change: Cost.Magnitude, previousChange: Cost.Magnitude?) -> Bool {
        if change == 0 { return true }
        guard epsilon < Cost(nodeCount + 1), let previousChange else { return false }
        return change <= previousChange / 100
    }

    /// Replaces the prices by exact ones, under which no residual arc has a negative reduced cost;
    /// answers false, changing nothing, when arc scans exceed `workBudget` (a negative cycle never
    /// settles).
    ///
    /// Computes shortest distances from a virtual source joined to every node (first in, first
    /// out Bellman–Ford over reduced costs) and adds them to the prices; they settle exactly when
    /// there is no negative cycle.
    private func settleExactPrices(workBudget: Int) -> Bool {
        let distance = UnsafeMutableBufferPointer<Cost>.allocate(capacity: nodeCount)
        distance.initialize(repeating: 0)
        let queued = UnsafeMutableBufferPointer<Bool>.allocate(capacity: nodeCount)
        queued.initialize(repeating: true)
        defer {
            distance.deallocate()
            queued.deallocate()
        }
        var queue = ActiveQueue(capacity: nodeCount)
        for node in 0..<nodeCount {
            queue.append(node)
        }
        var remainingWork = workBudget
        while let node = queue.popFirst() {
            queued[node] = false
            let end = Int(liveEnd[node])
            remainingWork -= end - Int(first[node])
            if remainingWork < 0 { return false }
            let base = distance[node] + price[node]
            for arc in Int(first[node])..<end where residual[arc] > 0 {
                let target = Int(head[arc])
                let candidate = base - reach(arc)
                if candidate < distance[target] {
                    distance[target] = candidate
                    if !queued[target] {
                        queued[target] = true
                        queue.append(target)
                    }
                }
            }
        }
        for node in 0..<nodeCount {
            price[node] += distance[node]
        }
        pricesAreExact = true
        return true
    }

    /// Turns an ε·α-optimal flow into an ε-optimal one.
    private func refine(_ epsilon: Cost) {
        pricesAreExact = false
        for node in 0..<nodeCount {
            let nodePrice = price[node]
            var arc = Int(first[node])
            while arc < Int(liveEnd[node]) {
                let amount = residual[arc]
                if amount > 0, nodePrice < reach(arc) {
                    // A drained reverse arc leaves the live part: another takes its place.
                    if push(amount, along: arc, from: node) { continue }
                }
                arc += 1
            }
        }
        var queue = ActiveQueue(capacity: nodeCount)
        for node in 0..<nodeCount {
            current[node] = first[node]
            if excess[node] > 0 { queue.append(node) }
        }
        while let node = queue.popFirst() {
            discharge(node, epsilon: epsilon, queue: &queue)
        }
    }

    /// Pushes all of a node's excess, relabelling it whenever no admissible arc is left.
    private func discharge(_ node: Int, epsilon: Cost, queue: inout ActiveQueue) {
        if isSingleUnit[node] {
            dischargeSingleUnit(node, epsilon: epsilon, queue: &queue)
            return
        }
        while excess[node] > 0 {
            var arc = Int(current[node])
            while arc < Int(liveEnd[node]) {
                let available = residual[arc]
                if available > 0, price[node] < reach(arc) {
                    let target = Int(head[arc])
                    let before = excess[target]
                    let drainedReverse = push(min(excess[node], available), along: arc, from: node)
                    if before <= 0, excess[target] > 0 { queue.append(target) }
                    if excess[node] == 0 { break }
                    if drainedReverse { continue }
                }
                arc += 1
            }
            current[node] = Int32(arc)
            if excess[node] > 0 {
                precondition(relabel(node, epsilon: epsilon), "a node with excess has no residual arc: the flow problem is infeasible")
            }
        }
    }

    /// Sends a single unit along its best arc, relabelling first if that arc is not
    /// admissible (Goldberg and Kennedy's k-best heuristic).
    ///
    /// Prices only fall, so since the last full scan no other arc can have risen above the bound
    /// it left; while a cached arc still reaches that bound, it is the best of all and the scan of
    /// every arc is skipped. When the node has excess none of its arcs carries flow, so every arc
    /// with capacity is residual.
    private func dischargeSingleUnit(_ node: Int, epsilon: Cost, queue: inout ActiveQueue) {
        var (arc, reach) = bestArc(ofSingleUnit: node)
        var target = Int(head[arc])
        // Push look-ahead (Goldberg): a node without excess and without an admissible arc would
        // only send the unit back, so lower its price first and choose again.
        while excess[target] >= 0, !hasAdmissibleArc(target), relabel(target, epsilon: epsilon) {
            (arc, reach) = bestArc(ofSingleUnit: node)
            target = Int(head[arc])
        }
        if price[node] >= reach { price[node] = reach - epsilon }
        let before = excess[target]
        _ = push(1, along: arc, from: node)
        if before <= 0, excess[target] > 0 { queue.append(target) }
    }

    /// A single unit's arc that reaches highest, from the cache when it can prove it.
    private func bestArc(ofSingleUnit node: Int) -> (arc: Int, reach: Cost) {
        let cache = cachedArcCount * node
        var best = Cost.min
        var bestArc = -1
        if cacheBound[node] != .max {
            for slot in cache..<cache + cachedArcCount {
                let arc = Int(cachedArcs[slot])
                guard arc >= 0 else { break }
                let reach = reach(arc)
                if reach > best {
                    best = reach
                    bestArc = arc
                }
            }
            if best < cacheBound[node] { bestArc = -1 }
        }
        if bestArc < 0 {
            // Full scan: the best arcs in order (earlier arcs first among equals), and the best
            // reach of the rest.
            var filled = 0
            var bound = Cost.min
            for arc in Int(first[node])..<Int(liveEnd[node]) where residual[arc] > 0 {
                let reach = reach(arc)
                if filled == cachedArcCount {
                    guard reach > cachedReach[cachedArcCount - 1] else {
                        bound = Swift.max(bound, reach)
                        continue
                    }
                    bound = Swift.max(bound, cachedReach[cachedArcCount - 1])
                } else {
                    filled += 1
                }
                var slot = filled - 1
                while slot > 0, cachedReach[slot - 1] < reach {
                    cachedReach[slot] = cachedReach[slot - 1]
                    cachedArcs[cache + slot] = cachedArcs[cache + slot - 1]
                    slot -= 1
                }
                cachedReach[slot] = reach
                cachedArcs[cache + slot] = Int32(arc)
            }
            precondition(filled > 0, "a node with excess has no residual arc: the flow problem is infeasible")
            for slot in filled..<cachedArcCount {
                cachedArcs[cache + slot] = -1
            }
            cacheBound[node] = bound
            best = cachedReach[0]
            bestArc = Int(cachedArcs[cache])
        }
        return (bestArc, best)
    }

    /// Whether a node has an admissible arc, moving its current arc to the first one.
    private func hasAdmissibleArc(_ node: Int) -> Bool {
        let nodePrice = price[node]
        var arc = Int(current[node])
        while arc < Int(liveEnd[node]) {
            if residual[arc] > 0, nodePrice < reach(arc) {
                current[node] = Int32(arc)
                return true
            }
            arc += 1
        }
        current[node] = Int32(arc)
        return false
    }

    /// Lowers a node's price just enough to make its best residual arc admissible, and makes that
    /// arc its current one; answers false, changing nothing, when it has no residual arc.
    private func relabel(_ node: Int, epsilon: Cost) -> Bool {
        var highest = Cost.min
        var highestArc = -1
        for arc in Int(first[node])..<Int(liveEnd[node]) where residual[arc] > 0 {
            let reach = reach(arc)
            if reach > highest {
                highest = reach
                highestArc = arc
            }
        }
        guard highestArc >= 0 else { return false }
        price[node] = highest - epsilon
        current[node] = Int32(highestArc)
        return true
    }

    /// Sends `amount` of excess along `arc`, which leaves `tail`, and keeps the live parts in
    /// order. Returns whether the arc was a reverse arc that is now drained and so left the live part.
    private func push(_ amount: Int32, along arc: Int, from tail: Int) -> Bool {
        flowCost &+= Cost(amount) &* cost(arc)
        excess[tail] -= amount
        excess[Int(head[arc])] += amount
        let back = Int(partner[arc])
        let backWasEmpty = residual[back] == 0
        residual[arc] -= amount
        residual[back] += amount
        if arc >= Int(firstReverse[tail]) {
            guard residual[arc] == 0 else { return false }
            let last = Int(liveEnd[tail]) - 1
            swapArcs(arc, last)
            liveEnd[tail] = Int32(last)
            return true
        }
        if backWasEmpty { makeLive(back, at: Int(head[arc])) }
        return false
    }

    /// Moves a reverse arc of `node` that just gained residual capacity into the live part.
    private func makeLive(_ arc: Int, at node: Int) {
        let end = Int(liveEnd[node])
        swapArcs(arc, end)
        liveEnd[node] = Int32(end + 1)
    }

    /// Exchanges the arcs at two positions of one node, keeping partners pointing at each other.
    private func swapArcs(_ lhs: Int, _ rhs: Int) {
        guard lhs != rhs else { return }
        head.swapAt(lhs, rhs)
        partner.swapAt(lhs, rhs)
        residual.swapAt(lhs, rhs)
        costIndex.swapAt(lhs, rhs)
        partner[Int(partner[lhs])] = Int32(lhs)
        partner[Int(partner[rhs])] = Int32(rhs)
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
