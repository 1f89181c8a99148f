/// Solves the lexicographic assignment exactly, in two stages.
///
/// Levels 1 and 2 depend on the worker alone, and the sets of workers that can be placed together
/// form a matroid, so a maximum flow from the unemployed, augmented by workers at risk, reaches the
/// best counts (U, A). Every flow that places exactly U unemployed and A at risk is then optimal on
/// both levels; the second stage fixes those counts through the demands of two "unplaced" sinks
/// (and the placed sink) and minimises levels 3–5, weighted so that each outweighs everything below it, as one exact 128-bit
/// cost with cost scaling.
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
    /// A group with one member is one node whose session arcs carry its priority; a larger group
    /// has a supply node and a placement node joined by one arc per member at that member's
    /// priority, so its best members are placed first. Unplaced units drain into one sink per
    /// status, whose demands fix the counts.
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

        let weights = LevelWeights(graph: graph, placements: unemployed + atRisk)
        var arcs: [ResidualNetwork.Arc] = []
        var costs: [Int128] = []
        arcs.reserveCapacity(graph.arcEntry.count + 2 * graph.workerCount + graph.sessionCount)
        costs.reserveCapacity(arcs.capacity)
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
            let unemployedGroup = graph.groupIsUnemployed[group]
            supply[group] = Int32(count)
            if unplacedCount[unemployedGroup ? 0 : 1] > 0 {
                arcs.append(.init(tail: Int32(group), head: Int32(unemployedGroup ? unplacedUnemployed : unplacedAtRisk), capacity: Int32(count)))
                costs.append(0)
            }
            let singleMemberPriority: Int128
            if count > 1 {
                singleMemberPriority = 0
                for offset in 0..<count {
                    arcs.append(.init(tail: Int32(group), head: placementNode[group], capacity: 1))
                    costs.append(weights.priorityCost(worker: Int(graph.members[Int(graph.memberStart[group]) + offset])))
                }
            } else {
                singleMemberPriority = weights.priorityCost(worker: Int(graph.members[Int(graph.memberStart[group])]))
            }
            firstSessionArc[group] = arcs.count
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                let session = graph.arcSession(arc)
                // An arc into a session without seats must still exist (its flow is read back),
                // but it can carry nothing.
                let capacity = graph.sessionSeats[session] > 0 ? Int32(count) : 0
                arcs.append(.init(tail: placementNode[group], head: Int32(firstSession + session), capacity: capacity))
                costs.append(singleMemberPriority + weights.sessionCost(arcEntry: graph.arcEntry[arc]))
            }
        }
        for session in 0..<graph.sessionCount {
            arcs.append(.init(tail: Int32(firstSession + session), head: Int32(placedSink), capacity: graph.sessionSeats[session]))
            costs.append(0)
        }
        supply[unplacedUnemployed] = -Int32(unplacedCount[0])
        supply[unplacedAtRisk] = -Int32(unplacedCount[1])
        supply[placedSink] = -Int32(unemployed + atRisk)

        let flow = CostScalingFlow(network: ResidualNetwork(nodeCount: nodeCount, arcs: arcs), arcCosts: costs, supply: supply)
        flow.solve()
        for group in 0..<groupCount {
            var index = firstSessionArc[group]
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                arcFlow[arc] = flow.flow(onArc: index)
                index += 1
            }
        }
    }
}

/// Weights that make each of levels 3–5 outweigh every level below it, for a fixed number of
/// placements: a tailored placement outweighs any difference in start ranks and priorities, and
/// one step of start rank outweighs any difference in priorities.
private struct LevelWeights {
    let graph: MatchingGraph
    let lowestPriority: Int64
    let lowestRank: Int64
    /// Weight of one step of start rank.
    let rankWeight: Int128
    /// Weight of one tailored placement.
    let tailoredWeight: Int128

    init(graph: MatchingGraph, placements: Int) {
        self.graph = graph
        lowestPriority = graph.workerPriority.min() ?? 0
        lowestRank = graph.sessionRank.min() ?? 0
        let prioritySpread = Int128((graph.workerPriority.max() ?? 0) - lowestPriority)
        let rankSpread = Int128((graph.sessionRank.max() ?? 0) - lowestRank)
        rankWeight = Int128(placements) * prioritySpread + 1
        tailoredWeight = rankWeight * (Int128(placements) * rankSpread + 1)
    }

    /// Level-5 cost of placing a worker.
    func priorityCost(worker: Int) -> Int128 {
        Int128(graph.workerPriority[worker] - lowestPriority)
    }

    /// Level-3 and level-4 cost of a placement along a graph arc (session << 1 | tailored).
    func sessionCost(arcEntry: UInt32) -> Int128 {
        rankWeight * Int128(graph.sessionRank[Int(arcEntry >> 1)] - lowestRank) - tailoredWeight * Int128(arcEntry & 1)
    }
}

