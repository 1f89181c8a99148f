import Dispatch
import FlowSolver
import Synchronization

/// Solves the lexicographic assignment exactly, in two stages.
///
/// Levels 1 and 2 depend on the worker alone, and the sets of workers that can be placed together
/// form a matroid, so a maximum flow from the unemployed, augmented by workers at risk, reaches the
/// best counts (U, A). Every flow that places exactly U unemployed and A at risk is then optimal on
/// both levels; the second stage fixes those counts through the demands of two "unplaced" sinks
/// (and the placed sink) and minimises levels 3–4 as one exact integer cost with cost scaling;
/// level 5 then exchanges workers along the arcs that keep levels 3–4 optimal
/// (`PriorityExchange`).
struct AssignmentSolver {
    let graph: MatchingGraph
    /// Units on each arc of the graph in the optimum; a group's placed units go to its
    /// best-priority members.
    private(set) var arcFlow: [Int32]

    init(graph: MatchingGraph) {
        self.graph = graph
        arcFlow = [Int32](repeating: 0, count: graph.arcEntry.count)
        // Stage 2's network does not depend on stage 1's counts: it is built on the other core.
        let counts = Mutex<StageOneResult?>(nil)
        let network = Mutex<StageTwoNetwork?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let result = Self.bestPlacementCounts(graph)
                counts.withLock { $0 = result }
            } else {
                let built = StageTwoNetwork(graph)
                network.withLock { $0 = built }
            }
        }
        guard let stageOne = counts.withLock({ $0 }), let stageTwo = network.withLock({ $0 }) else { return }
        if stageOne.unemployed + stageOne.atRisk > 0 {
            placeCheapest(stageOne, on: stageTwo)
        }
    }

    /// The best counts of stage 1 and a flow that places them (units per graph arc).
    private struct StageOneResult: Sendable {
        let unemployed: Int
        let atRisk: Int
        let flow: [Int32]
    }

    /// Stage 1: the most unemployed workers that can be placed, then the most workers at risk, and
    /// a flow that places them.
    private static func bestPlacementCounts(_ graph: MatchingGraph) -> StageOneResult {
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
        var flow = [Int32](repeating: 0, count: graph.arcEntry.count)
        var index = 0
        for group in 0..<graph.groupCount {
            index += 1
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                flow[arc] = network.flow(onArc: index)
                index += 1
            }
        }
        return StageOneResult(unemployed: unemployed, atRisk: atRisk, flow: flow)
    }

    /// Stage 2: places exactly stage 1's numbers of unemployed workers and workers at risk, best
    /// on levels 3–4 by cost scaling, then best on level 5 by exchanges that keep levels 3–4
    /// optimal.
    ///
    /// Cost scaling starts from stage 1's flow, which places the right numbers already
    /// (`StageTwoNetwork.start`).
    private mutating func placeCheapest(_ stageOne: StageOneResult, on stageTwo: StageTwoNetwork) {
        let groupCount = graph.groupCount
        let placedSink = stageTwo.placedSink
        let nodeCount = stageTwo.network.nodeCount
        let firstSessionArc = stageTwo.firstSessionArc
        let unplacedArc = stageTwo.unplacedArc
        let firstSeatArc = stageTwo.firstSeatArc
        let costIndex = stageTwo.costIndex

        let weights = LevelWeights(graph: graph, placedCount: stageOne.unemployed + stageOne.atRisk)
        // Table entry 0 costs nothing; entry 1 + (session << 1 | tailored) is a session arc's cost.
        var costTable: [Int128] = [0]
        costTable.reserveCapacity(1 + 2 * graph.sessionCount)
        for entry in 0..<UInt32(2 * graph.sessionCount) {
            costTable.append(weights.sessionCost(arcEntry: entry))
        }
        var supply = [Int32](repeating: 0, count: nodeCount)
        var members = [0, 0]
        for group in 0..<groupCount where graph.arcStart[group + 1] > graph.arcStart[group] {
            members[graph.groupIsUnemployed[group] ? 0 : 1] += graph.memberCount(of: group)
            supply[group] = Int32(graph.memberCount(of: group))
        }
        // Units of each status that stay unplaced; when none do, that sink's arcs carry nothing.
        let unplacedCount = [members[0] - stageOne.unemployed, members[1] - stageOne.atRisk]
        let leavesUnitsUnplaced = (0..<groupCount).map { unplacedCount[graph.groupIsUnemployed[$0] ? 0 : 1] > 0 }
        supply[stageTwo.unplacedUnemployed] = -Int32(unplacedCount[0])
        supply[stageTwo.unplacedAtRisk] = -Int32(unplacedCount[1])
        supply[placedSink] = -Int32(stageOne.unemployed + stageOne.atRisk)
        var network = stageTwo.network
        for group in 0..<groupCount where unplacedArc[group] >= 0 && !leavesUnitsUnplaced[group] {
            network.setCapacity(ofArc: unplacedArc[group], to: 0)
        }
        let start = stageTwo.start(from: stageOne.flow, costTable: costTable, graph: graph)
        let optimum = MinimumCostFlow(network: network, costTable: costTable, arcCostIndex: costIndex, supply: supply, start: start)
        let (flow, isTight) = (optimum.flow, optimum.arcIsTight)
        var arcIsTight = [Bool](repeating: false, count: arcFlow.count)
        var placed = [Int32](repeating: 0, count: groupCount)
        var placedCountCanChange = [Bool](repeating: false, count: groupCount)
        for group in 0..<groupCount {
            var index = firstSessionArc[group]
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                arcFlow[arc] = flow[index]
                arcIsTight[arc] = isTight[index]
                placed[group] += arcFlow[arc]
                index += 1
            }
            if unplacedArc[group] >= 0 {
                placedCountCanChange[group] = isTight[unplacedArc[group]] && leavesUnitsUnplaced[group]
            }
        }
        let exchange = PriorityExchange(
            network: graph.bipartiteNetwork(), arcFlow: arcFlow, arcIsTight: arcIsTight,
            binLoad: Array(flow[firstSeatArc...]),
            sinkArcIsTight: (0..<graph.sessionCount).map { isTight[firstSeatArc + $0] },
            placed: placed, placedCountCanChange: placedCountCanChange,
            sourceTier: graph.groupIsUnemployed.map { $0 ? 0 : 1 }, unitOrder: graph.groupsInOrderOfPriority()
        )
        arcFlow = exchange.arcFlow
    }
}

/// The network of stage 2, which does not depend on stage 1's counts.
///
/// Each group is one node with a unit per member; unplaced units drain into one sink per status,
/// whose demands (set from stage 1's counts) fix the numbers placed. Session arcs name their cost
/// by (session, tailored), so millions of arcs share 2 · sessions table entries.
private struct StageTwoNetwork: Sendable {
    let network: ResidualNetwork
    let costIndex: [Int32]
    /// Per group with arcs, its "unplaced" arc (else -1), and its first session arc.
    let unplacedArc: [Int]
    let firstSessionArc: [Int]
    /// The arc from each session s into the placed sink is `firstSeatArc + s`.
    let firstSeatArc: Int
    let firstSession: Int
    let unplacedUnemployed: Int
    let unplacedAtRisk: Int
    let placedSink: Int

    init(_ graph: MatchingGraph) {
        let groupCount = graph.groupCount
        firstSession = groupCount
        unplacedUnemployed = firstSession + graph.sessionCount
        unplacedAtRisk = unplacedUnemployed + 1
        placedSink = unplacedAtRisk + 1
        var arcs: [ResidualNetwork.Arc] = []
        var costIndex: [Int32] = []
        arcs.reserveCapacity(graph.arcEntry.count + groupCount + graph.sessionCount)
        costIndex.reserveCapacity(arcs.capacity)
        var unplacedArc = [Int](repeating: -1, count: groupCount)
        var firstSessionArc = [Int](repeating: 0, count: groupCount)
        for group in 0..<groupCount where graph.arcStart[group + 1] > graph.arcStart[group] {
            let count = Int32(graph.memberCount(of: group))
            unplacedArc[group] = arcs.count
            arcs.append(.init(tail: Int32(group), head: Int32(graph.groupIsUnemployed[group] ? unplacedUnemployed : unplacedAtRisk), capacity: count))
            costIndex.append(0)
            firstSessionArc[group] = arcs.count
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                let session = graph.arcSession(arc)
                // An arc into a session without seats must still exist (its flow is read back),
                // but it can carry nothing.
                let capacity = graph.sessionSeats[session] > 0 ? count : 0
                arcs.append(.init(tail: Int32(group), head: Int32(firstSession + session), capacity: capacity))
                costIndex.append(1 + Int32(graph.arcEntry[arc]))
            }
        }
        firstSeatArc = arcs.count
        for session in 0..<graph.sessionCount {
            arcs.append(.init(tail: Int32(firstSession + session), head: Int32(placedSink), capacity: graph.sessionSeats[session]))
            costIndex.append(0)
        }
        network = ResidualNetwork(nodeCount: placedSink + 1, arcs: arcs)
        self.costIndex = costIndex
        self.unplacedArc = unplacedArc
        self.firstSessionArc = firstSessionArc
    }

    /// Where cost scaling starts: stage 1's flow (units per graph arc) on these arcs, each session
    /// priced at its cheapest arc and the placed sink at the dearest session, so that the seats
    /// taken need no repair, only the seats left free and the placements that are not the
    /// cheapest into their session.
    func start(from stageOneFlow: [Int32], costTable: [Int128], graph: MatchingGraph) -> MinimumCostFlow.Start {
        var flow = [Int32](repeating: 0, count: network.arcCount)
        var prices = [Int128](repeating: 0, count: network.nodeCount)
        var cheapestInto = [Int128?](repeating: nil, count: graph.sessionCount)
        for group in 0..<graph.groupCount where unplacedArc[group] >= 0 {
            var index = firstSessionArc[group]
            var placed: Int32 = 0
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                let session = graph.arcSession(arc)
                let cost = costTable[Int(costIndex[index])]
                cheapestInto[session] = Swift.min(cheapestInto[session] ?? cost, cost)
                flow[index] = stageOneFlow[arc]
                flow[firstSeatArc + session] += stageOneFlow[arc]
                placed += stageOneFlow[arc]
                index += 1
            }
            flow[unplacedArc[group]] = Int32(graph.memberCount(of: group)) - placed
        }
        for session in 0..<graph.sessionCount {
            prices[firstSession + session] = cheapestInto[session] ?? 0
        }
        prices[placedSink] = prices[firstSession..<(firstSession + graph.sessionCount)].max() ?? 0
        return MinimumCostFlow.Start(flow: flow, prices: prices)
    }
}

/// Weights that make level 3 outweigh level 4 for a fixed number of placed workers: a tailored
/// placement outweighs any difference in start ranks.
///
/// The weight rests on the largest difference two such assignments can really have, not on
/// count × range: the placed workers take some `placedCount` of the seats, so their start ranks
/// sum to between the sums of the earliest and the latest that many seats. Smaller weights mean
/// fewer bits, and cost scaling runs one refinement per two bits.
struct LevelWeights {
    let graph: MatchingGraph
    let lowestRank: Int64
    /// Weight of one step of start rank (0 when ranks cannot differ).
    let rankStep: Int128
    /// Weight of one tailored placement: more than any difference in start ranks.
    let tailoredStep: Int128

    init(graph: MatchingGraph, placedCount: Int) {
        self.graph = graph
        lowestRank = graph.sessionRank.min() ?? 0
        let seatRanks = (0..<graph.sessionCount).map { (graph.sessionRank[$0], Int(graph.sessionSeats[$0])) }
        let rankBound = Self.spread(seatRanks, taking: placedCount)
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

    /// Level-3 and level-4 cost of a placement along a graph arc (session << 1 | tailored).
    func sessionCost(arcEntry: UInt32) -> Int128 {
        rankStep * Int128(graph.sessionRank[Int(arcEntry >> 1)] - lowestRank) - tailoredStep * Int128(arcEntry & 1)
    }
}
