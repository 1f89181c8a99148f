/// Solves the lexicographic assignment exactly, in two stages.
///
/// Levels 1 and 2 depend on the worker alone, and the sets of workers that can be placed together
/// form a matroid, so a maximum flow from the unemployed, augmented by workers at risk, reaches the
/// best counts (U, A). Every flow that places exactly U unemployed and A at risk is then optimal on
/// both levels; the second stage fixes those counts through the demands of two "unplaced" sinks
/// (and the placed sink) and minimises levels 3–5, weighted so that each outweighs everything below
/// it, as one exact 128-bit cost with cost scaling: levels 3–4 alone first, then the whole cost
/// from their exact optimal prices.
struct AssignmentSolver {
    let graph: MatchingGraph
    /// Units on each arc of the graph in the optimum; a group's placed units go to its
    /// best-priority members.
    private(set) var arcFlow: [Int32]

    init(graph: MatchingGraph) {
        self.graph = graph
        arcFlow = [Int32](repeating: 0, count: graph.arcEntry.count)
        let (unemployed, atRisk) = bestPlacementCounts()
        if unemployed + atRisk > 0 {
            placeCheapest(unemployed: unemployed, atRisk: atRisk)
        }
    }

    /// Stage 1: the most unemployed workers that can be placed, then the most workers at risk.
    private func bestPlacementCounts() -> (unemployed: Int, atRisk: Int) {
        let source = graph.groupCount + graph.sessionCount
        let sink = source + 1
        var arcs: [ResidualNetwork.Arc] = []
        arcs.reserveCapacity(graph.groupCount + graph.arcEntry.count + graph.sessionCount)
        var atRiskSources: [(arc: Int, members: Int32)] = []
        for group in 0..<graph.groupCount {
            let members = Int32(graph.memberCount(of: group))
            if !graph.groupIsUnemployed[group] { atRiskSources.append((arcs.count, members)) }
            arcs.append(.init(tail: Int32(source), head: Int32(group), capacity: graph.groupIsUnemployed[group] ? members : 0))
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                arcs.append(.init(tail: Int32(group), head: Int32(graph.groupCount + graph.arcSession(arc)), capacity: members))
            }
        }
        for session in 0..<graph.sessionCount {
            arcs.append(.init(tail: Int32(graph.groupCount + session), head: Int32(sink), capacity: graph.sessionSeats[session]))
        }
        var network = ResidualNetwork(nodeCount: sink + 1, arcs: arcs)
        let unemployed = network.augmentToMaximumFlow(from: source, to: sink)
        for source in atRiskSources {
            network.raiseCapacity(ofArc: source.arc, by: source.members)
        }
        let atRisk = network.augmentToMaximumFlow(from: source, to: sink)
        return (unemployed, atRisk)
    }

    /// Stage 2: places exactly `unemployed` and `atRisk` workers at the least cost on levels 3–5.
    ///
    /// A group with one member is one node; a larger group has a supply node and a placement node
    /// joined by one arc per member at that member's priority, so its best members are placed
    /// first. Unplaced units drain into one sink per status, whose demands fix the counts.
    ///
    /// A single worker's unit leaves by exactly one arc, so its priority can sit on its "unplaced"
    /// arc, negated, instead of on every session arc: the totals differ by a constant. Session arcs
    /// then cost what their session and tailoring cost, and millions of arcs share 2 · sessions
    /// table entries.
    private mutating func placeCheapest(unemployed: Int, atRisk: Int) {
        let groupCount = graph.groupCount
        var placementNode = [Int32](repeating: 0, count: groupCount)
        var nextNode = groupCount
        for group in 0..<groupCount {
            if graph.memberCount(of: group) > 1 {
                placementNode[group] = Int32(nextNode)
                nextNode += 1
            } else {
                placementNode[group] = Int32(group)
            }
        }
        let firstSession = nextNode
        let unplacedUnemployed = firstSession + graph.sessionCount
        let unplacedAtRisk = unplacedUnemployed + 1
        let placedSink = unplacedAtRisk + 1
        let nodeCount = placedSink + 1

        let weights = LevelWeights(graph: graph, unemployed: unemployed, atRisk: atRisk)
        // Table entry 0 costs nothing; entry 1 + (session << 1 | tailored) is a session arc's cost.
        // The major table holds levels 3–4 alone: the same entries without the priorities.
        var costTable: [Int128] = [0]
        var majorTable: [Int128] = [0]
        costTable.reserveCapacity(1 + 2 * graph.sessionCount + graph.workerCount)
        majorTable.reserveCapacity(costTable.capacity)
        for entry in 0..<UInt32(2 * graph.sessionCount) {
            costTable.append(weights.sessionCost(arcEntry: entry))
            majorTable.append(weights.majorSessionCost(arcEntry: entry))
        }
        var arcs: [ResidualNetwork.Arc] = []
        var costIndex: [Int32] = []
        arcs.reserveCapacity(graph.arcEntry.count + 2 * graph.workerCount + graph.sessionCount)
        costIndex.reserveCapacity(arcs.capacity)
        func addArc(_ arc: ResidualNetwork.Arc, priorityCost: Int128) {
            arcs.append(arc)
            costIndex.append(Int32(costTable.count))
            costTable.append(priorityCost)
            majorTable.append(0)
        }
        var supply = [Int32](repeating: 0, count: nodeCount)
        var members = [0, 0]
        for group in 0..<groupCount where graph.arcStart[group + 1] > graph.arcStart[group] {
            members[graph.groupIsUnemployed[group] ? 0 : 1] += graph.memberCount(of: group)
        }
        // Units of each status that stay unplaced; a sink that takes none gets no arcs.
        let unplacedCount = [members[0] - unemployed, members[1] - atRisk]
        var firstSessionArc = [Int](repeating: 0, count: groupCount)
        for group in 0..<groupCount where graph.arcStart[group + 1] > graph.arcStart[group] {
            let count = graph.memberCount(of: group)
            let firstMember = Int(graph.members[Int(graph.memberStart[group])])
            let unemployedGroup = graph.groupIsUnemployed[group]
            supply[group] = Int32(count)
            if unplacedCount[unemployedGroup ? 0 : 1] > 0 {
                let unplaced = ResidualNetwork.Arc(
                    tail: Int32(group), head: Int32(unemployedGroup ? unplacedUnemployed : unplacedAtRisk), capacity: Int32(count)
                )
                addArc(unplaced, priorityCost: count > 1 ? 0 : -weights.priorityCost(worker: firstMember))
            }
            if count > 1 {
                for offset in 0..<count {
                    let member = Int(graph.members[Int(graph.memberStart[group]) + offset])
                    addArc(.init(tail: Int32(group), head: placementNode[group], capacity: 1), priorityCost: weights.priorityCost(worker: member))
                }
            }
            firstSessionArc[group] = arcs.count
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                let session = graph.arcSession(arc)
                // An arc into a session without seats must still exist (its flow is read back),
                // but it can carry nothing.
                let capacity = graph.sessionSeats[session] > 0 ? Int32(count) : 0
                arcs.append(.init(tail: placementNode[group], head: Int32(firstSession + session), capacity: capacity))
                costIndex.append(1 + Int32(graph.arcEntry[arc]))
            }
        }
        for session in 0..<graph.sessionCount {
            arcs.append(.init(tail: Int32(firstSession + session), head: Int32(placedSink), capacity: graph.sessionSeats[session]))
            costIndex.append(0)
        }
        supply[unplacedUnemployed] = -Int32(unplacedCount[0])
        supply[unplacedAtRisk] = -Int32(unplacedCount[1])
        supply[placedSink] = -Int32(unemployed + atRisk)

        let network = ResidualNetwork(nodeCount: nodeCount, arcs: arcs)
        // Levels 3–4 first, then level 5 from their exact prices: the priorities only decide
        // among assignments that are optimal on the levels above, so the refinements that would
        // settle tailoring and start ranks again under the priorities' noise are skipped.
        let flow = CostScalingFlow(network: network, costTable: majorTable, arcCostIndex: costIndex, supply: supply)
        flow.solve()
        flow.solve(continuingTo: costTable, factor: weights.priorityFactor)
        for group in 0..<groupCount {
            var index = firstSessionArc[group]
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                arcFlow[arc] = flow.flow(onArc: index)
                index += 1
            }
        }
    }
}

/// Weights that make each of levels 3–5 outweigh every level below it, for fixed numbers of
/// placed unemployed workers and workers at risk: a tailored placement outweighs any difference
/// in start ranks and priorities, and one step of start rank outweighs any difference in
/// priorities.
///
/// The weights rest on the largest difference two such assignments can really have on a level,
/// not on count × range: placed unemployed workers are some `unemployed` of the eligible
/// unemployed, so their priority sum lies between the sums of the best and the worst that many,
/// and likewise for workers at risk and for the start ranks of the seats taken. Smaller weights
/// mean fewer bits, and cost scaling runs one refinement per two bits.
struct LevelWeights {
    let graph: MatchingGraph
    let lowestPriority: Int64
    let lowestRank: Int64
    /// Weight of one step of the levels 3–4 cost against priorities: more than any difference
    /// in priorities.
    let priorityFactor: Int128
    /// Weight of one step of start rank within the levels 3–4 cost (0 when ranks cannot differ).
    let rankStep: Int128
    /// Weight of one tailored placement within the levels 3–4 cost: more than any difference in
    /// start ranks.
    let tailoredStep: Int128

    init(graph: MatchingGraph, unemployed: Int, atRisk: Int) {
        self.graph = graph
        lowestPriority = graph.workerPriority.min() ?? 0
        lowestRank = graph.sessionRank.min() ?? 0
        var priorities: [[(value: Int64, count: Int)]] = [[], []]
        for group in 0..<graph.groupCount where graph.arcStart[group + 1] > graph.arcStart[group] {
            for member in graph.members[Int(graph.memberStart[group])..<Int(graph.memberStart[group + 1])] {
                priorities[graph.groupIsUnemployed[group] ? 0 : 1].append((graph.workerPriority[Int(member)], 1))
            }
        }
        let seatRanks = (0..<graph.sessionCount).map { (graph.sessionRank[$0], Int(graph.sessionSeats[$0])) }
        let priorityBound = Self.spread(priorities[0], taking: unemployed) + Self.spread(priorities[1], taking: atRisk)
        let rankBound = Self.spread(seatRanks, taking: unemployed + atRisk)
        priorityFactor = priorityBound + 1
        // When every choice of seats has the same sum of start ranks (every seat fills, say),
        // level 4 cannot differ between assignments: it gets no weight.
        rankStep = rankBound > 0 ? 1 : 0
        tailoredStep = rankBound + 1
    }

    /// The sum of the `count` largest values minus the sum of the `count` smallest, each value
    /// available as often as its count says: how far the sums of two such selections can differ.
    static func spread(_ values: [(value: Int64, count: Int)], taking count: Int) -> Int128 {
        let ascending = values.sorted { $0.value < $1.value }
        func sum(of entries: some Sequence<(value: Int64, count: Int)>) -> Int128 {
            var remaining = count
            var total: Int128 = 0
            for entry in entries where remaining > 0 {
                let taken = Swift.min(entry.count, remaining)
                total += Int128(entry.value) * Int128(taken)
                remaining -= taken
            }
            return total
        }
        return sum(of: ascending.reversed()) - sum(of: ascending)
    }

    /// Level-5 cost of placing a worker.
    func priorityCost(worker: Int) -> Int128 {
        Int128(graph.workerPriority[worker] - lowestPriority)
    }

    /// Level-3 and level-4 cost of a placement along a graph arc (session << 1 | tailored), in
    /// steps of the levels 3–4 cost.
    func majorSessionCost(arcEntry: UInt32) -> Int128 {
        rankStep * Int128(graph.sessionRank[Int(arcEntry >> 1)] - lowestRank) - tailoredStep * Int128(arcEntry & 1)
    }

    /// Level-3 and level-4 cost of a placement along a graph arc, weighted against priorities.
    func sessionCost(arcEntry: UInt32) -> Int128 {
        priorityFactor * majorSessionCost(arcEntry: arcEntry)
    }
}

