/// Re-routes an optimal flow of a bipartite network along arcs of reduced cost zero only, so that
/// the units it places are the best in a given order: tier by tier, and within a tier, each unit
/// that can be placed together with those before it.
///
/// The flow runs from sources through bins into one sink, and a source may leave units unplaced.
/// Under exact optimal prices, the flows optimal for the costs are exactly those that change only
/// arcs of reduced cost zero ("tight" arcs). The sets of units such flows place are the bases of
/// a matroid (the boundaries of the flows of a network form an M-convex set), and when the flow
/// places the most units of the first tier, then the most of the next, and so on, no circuit of
/// it mixes tiers: an alternating path from an unplaced unit of one tier to a placed unit of a
/// later tier would place one unit of the first more than the most there can be. So the greedy
/// algorithm is exact: per tier, in order of priority, each unit keeps its place, or takes the
/// place of a unit of the same tier not yet kept along an alternating path of tight arcs, or stays
/// out when there is no such path.
///
/// The searches keep, per node, a lower bound on the number of steps to the nearest source that
/// can give up a place (Ahuja and Orlin's distance labels): a search follows steps that bring it
/// one closer, raises the bound of a node it gets stuck at, and a breadth-first pass back from
/// those sources makes the bounds exact again once the raising has cost a quarter of a pass. A
/// unit whose bound says no such source can be reached stays out at once.
public struct PriorityExchange {
    /// Units on each arc of the network, updated by the exchanges.
    public private(set) var arcFlow: [Int32]

    private let network: BipartiteNetwork
    /// Tight arcs leaving source s: arcs `sourceArcs[sourceArcStart[s]..<sourceArcStart[s + 1]]`.
    private var sourceArcStart: [Int32] = []
    private var sourceArcs: [Int32] = []
    /// Tight arcs into bin b are `binArcs[binArcStart[b]..<binArcStart[b + 1]]`, those with flow
    /// first, up to `binLiveEnd[b]`.
    private var binArcStart: [Int32] = []
    private var binLiveEnd: [Int32] = []
    private var binArcs: [BinArc] = []
    /// Position of each tight arc in `binArcs`.
    private var slotOfArc: [Int32]
    /// Units in each bin, and whether its arc into the sink is tight.
    private var binLoad: [Int32]
    private let sinkArcIsTight: [Bool]
    private let binsWithTightSinkArc: [Int32]
    /// Placed units per source, how many of them are kept for good, and whether the source's
    /// "unplaced" arc is tight (else its count of placed units cannot change).
    private var placed: [Int32]
    private var kept: [Int32]
    private let placedCountCanChange: [Bool]

    /// Search state. Nodes are sources, then bins, then the sink.
    private let sink: Int
    /// Per node, a lower bound on the steps to a source that can give up a place (`unreachable`:
    /// none can be reached, now or later in this tier).
    private var distance: [Int32]
    private let unreachable: Int32
    /// Per source and for the sink, the first of its arcs that may still be admissible.
    private var currentArc: [Int32]
    /// Arcs scanned to raise bounds since they were last made exact.
    private var relabelWork = 0
    /// The tier being placed.
    private var tier: Int32 = 0
    /// Tier of each source.
    private let sourceTier: [Int32]
    /// Source of each unit, best first.
    private let unitOrder: [Int32]
    /// The search path: each node with the step that reached it.
    private var path: [(node: Int32, step: Step)] = []

    private struct BinArc {
        var arc: Int32
        var source: Int32
    }

    private enum Step {
        case start
        /// Along arc `arc`, from its source into its bin.
        case intoBin(arc: Int32)
        /// Back along arc `arc`, from its bin to its source.
        case outOfBin(arc: Int32)
        /// From a bin into the sink: the bin takes one more unit.
        case intoSink(bin: Int32)
        /// From the sink back to a bin: the bin gives up a unit.
        case outOfSink(bin: Int32)
    }

    /// Starts from an optimal flow given per arc and per bin (units in it), with whether each arc
    /// and each bin's arc into the sink has reduced cost zero under exact optimal prices, the
    /// units each source places, and whether that count may change (its arc for unplaced units is
    /// tight and carries some); then exchanges. A source's units are interchangeable: `unitOrder`
    /// names the source of each unit, best first, and lower tiers are placed first.
    public init(
        network: BipartiteNetwork, arcFlow: [Int32], arcIsTight: [Bool], binLoad: [Int32], sinkArcIsTight: [Bool],
        placed: [Int32], placedCountCanChange: [Bool], sourceTier: [Int32], unitOrder: [Int32]
    ) {
        self.network = network
        self.sourceTier = sourceTier
        self.unitOrder = unitOrder
        self.arcFlow = arcFlow
        self.binLoad = binLoad
        self.sinkArcIsTight = sinkArcIsTight
        binsWithTightSinkArc = (0..<Int32(network.binCount)).filter { sinkArcIsTight[Int($0)] }
        self.placed = placed
        kept = [Int32](repeating: 0, count: network.sourceCount)
        self.placedCountCanChange = placedCountCanChange
        slotOfArc = [Int32](repeating: -1, count: arcFlow.count)
        sink = network.sourceCount + network.binCount
        unreachable = Int32(sink + 1)
        distance = [Int32](repeating: unreachable, count: sink + 1)
        currentArc = [Int32](repeating: 0, count: sink + 1)
        buildTightArcs(arcIsTight)
        exchange()
    }

    private mutating func buildTightArcs(_ arcIsTight: [Bool]) {
        sourceArcStart = [0]
        sourceArcStart.reserveCapacity(network.sourceCount + 1)
        var intoBin = [Int32](repeating: 0, count: network.binCount + 1)
        for source in 0..<network.sourceCount {
            for arc in Int(network.arcStart[source])..<Int(network.arcStart[source + 1]) where arcIsTight[arc] {
                sourceArcs.append(Int32(arc))
                intoBin[Int(network.arcBin[arc]) + 1] += 1
            }
            sourceArcStart.append(Int32(sourceArcs.count))
        }
        for bin in 0..<network.binCount {
            intoBin[bin + 1] += intoBin[bin]
        }
        binArcStart = intoBin
        binLiveEnd = Array(intoBin.dropLast())
        binArcs = [BinArc](repeating: BinArc(arc: 0, source: 0), count: sourceArcs.count)
        // Arcs with flow fill each bin's list from the front, the others from the back.
        var backEnd = Array(intoBin.dropFirst())
        for source in 0..<network.sourceCount {
            for arc in sourceArcs[Int(sourceArcStart[source])..<Int(sourceArcStart[source + 1])] {
                let bin = Int(network.arcBin[Int(arc)])
                let slot: Int32
                if arcFlow[Int(arc)] > 0 {
                    slot = binLiveEnd[bin]
                    binLiveEnd[bin] += 1
                } else {
                    backEnd[bin] -= 1
                    slot = backEnd[bin]
                }
                binArcs[Int(slot)] = BinArc(arc: arc, source: Int32(source))
                slotOfArc[Int(arc)] = slot
            }
        }
    }

    /// The greedy pass: tier by tier, each unit in order of priority.
    private mutating func exchange() {
        var isOut = [Bool](repeating: false, count: network.sourceCount)
        for tier in Set(sourceTier).sorted() {
            self.tier = tier
            makeDistancesExact()
            for source in unitOrder.lazy.map({ Int($0) }) {
                guard sourceTier[source] == tier, !isOut[source] else { continue }
                if placed[source] > kept[source] {
                    kept[source] += 1
                } else if placedCountCanChange[source], placeOneMore(of: source) {
                    placed[source] += 1
                    kept[source] += 1
                } else {
                    // This unit cannot be placed with those kept, and neither can the rest of its source.
                    isOut[source] = true
                }
            }
        }
    }

    /// Whether a source can give up a placed unit to a better unit of the tier now placed.
    private func canGiveUpPlace(_ source: Int) -> Bool {
        sourceTier[source] == tier && placedCountCanChange[source] && placed[source] > kept[source]
    }

    /// Searches for an alternating path of tight arcs from `start` to a source that can give up a
    /// place, along steps that each bring it one closer, and exchanges along it.
    private mutating func placeOneMore(of start: Int) -> Bool {
        path.removeAll(keepingCapacity: true)
        path.append((Int32(start), .start))
        while distance[start] < unreachable {
            let node = Int(path[path.count - 1].node)
            if path.count > 1, node < network.sourceCount, canGiveUpPlace(node) {
                exchangeAlongPath()
                return true
            }
            if let next = admissibleStep(from: node) {
                path.append((Int32(next.node), next.step))
                continue
            }
            relabel(node)
            if path.count > 1 { path.removeLast() }
            if relabelWork > (sourceArcs.count + sink) / 4 {
                makeDistancesExact()
                path.removeLast(path.count - 1)
            }
        }
        return false
    }

    /// The next residual tight arc leaving a node at or after position `index` of its arcs, as
    /// its head and step, with `index` moved past it. A bin's positions are its arcs with
    /// flow, then its sink arc.
    private func nextResidualArc(of node: Int, from index: inout Int) -> (head: Int, step: Step)? {
        let sourceCount = network.sourceCount
        if node < sourceCount {
            let first = Int(sourceArcStart[node])
            let count = Int(sourceArcStart[node + 1]) - first
            while index < count {
                let arc = sourceArcs[first + index]
                index += 1
                if arcFlow[Int(arc)] < network.units[node] {
                    return (sourceCount + Int(network.arcBin[Int(arc)]), .intoBin(arc: arc))
                }
            }
            return nil
        }
        if node < sink {
            let bin = node - sourceCount
            let first = Int(binArcStart[bin])
            let live = Int(binLiveEnd[bin]) - first
            if index < live {
                let entry = binArcs[first + index]
                index += 1
                return (Int(entry.source), .outOfBin(arc: entry.arc))
            }
            guard index == live else { return nil }
            index += 1
            guard sinkArcIsTight[bin], binLoad[bin] < network.binCapacity[bin] else { return nil }
            return (sink, .intoSink(bin: Int32(bin)))
        }
        while index < binsWithTightSinkArc.count {
            let bin = binsWithTightSinkArc[index]
            index += 1
            if binLoad[Int(bin)] > 0 {
                return (sourceCount + Int(bin), .outOfSink(bin: bin))
            }
        }
        return nil
    }

    /// A step to a node one closer, from the node's current arc on (sources and the sink keep it:
    /// a bin's arcs change places as their flow comes and goes).
    private mutating func admissibleStep(from node: Int) -> (node: Int, step: Step)? {
        let wanted = distance[node] - 1
        let keepsCurrentArc = node < network.sourceCount || node == sink
        var index = keepsCurrentArc ? Int(currentArc[node]) : 0
        var position = index
        var found: (node: Int, step: Step)?
        while let next = nextResidualArc(of: node, from: &index) {
            if distance[next.head] == wanted {
                found = (next.head, next.step)
                break
            }
            position = index
        }
        if keepsCurrentArc { currentArc[node] = Int32(found == nil ? index : position) }
        return found
    }

    /// Raises a node's bound to one more than the lowest of its arcs' heads.
    private mutating func relabel(_ node: Int) {
        var lowest = unreachable
        var index = 0
        while let next = nextResidualArc(of: node, from: &index) {
            lowest = Swift.min(lowest, distance[next.head])
        }
        relabelWork += index + 1
        distance[node] = lowest >= unreachable - 1 ? unreachable : lowest + 1
        currentArc[node] = 0
    }

    /// Exact bounds by a breadth-first pass backwards from the sources that can give up a place.
    private mutating func makeDistancesExact() {
        relabelWork = 0
        let sourceCount = network.sourceCount
        let unreachable = unreachable
        var queue = [Int32](repeating: 0, count: sink + 1)
        var queued = 0
        for node in 0...sink {
            currentArc[node] = 0
            distance[node] = unreachable
        }
        for source in 0..<sourceCount where canGiveUpPlace(source) {
            distance[source] = 0
            queue[queued] = Int32(source)
            queued += 1
        }
        var read = 0
        while read < queued {
            let head = Int(queue[read])
            read += 1
            let next = distance[head] + 1
            if head < sourceCount {
                // Back along arcs with flow: from their bins.
                for arc in sourceArcs[Int(sourceArcStart[head])..<Int(sourceArcStart[head + 1])] where arcFlow[Int(arc)] > 0 {
                    let binNode = sourceCount + Int(network.arcBin[Int(arc)])
                    if distance[binNode] == unreachable {
                        distance[binNode] = next
                        queue[queued] = Int32(binNode)
                        queued += 1
                    }
                }
            } else if head < sink {
                let bin = head - sourceCount
                for entry in binArcs[Int(binArcStart[bin])..<Int(binArcStart[bin + 1])]
                where distance[Int(entry.source)] == unreachable && arcFlow[Int(entry.arc)] < network.units[Int(entry.source)] {
                    distance[Int(entry.source)] = next
                    queue[queued] = entry.source
                    queued += 1
                }
                if sinkArcIsTight[bin], binLoad[bin] > 0, distance[sink] == unreachable {
                    distance[sink] = next
                    queue[queued] = Int32(sink)
                    queued += 1
                }
            } else {
                for bin in binsWithTightSinkArc
                where binLoad[Int(bin)] < network.binCapacity[Int(bin)] && distance[sourceCount + Int(bin)] == unreachable {
                    distance[sourceCount + Int(bin)] = next
                    queue[queued] = Int32(sourceCount) + bin
                    queued += 1
                }
            }
        }
    }

    /// Moves one unit along the search path: its first source gains a place, its last gives one up.
    private mutating func exchangeAlongPath() {
        for (_, step) in path {
            switch step {
            case .start:
                break
            case .intoBin(let arc):
                arcFlow[Int(arc)] += 1
                if arcFlow[Int(arc)] == 1 { moveSlot(of: Int(arc), live: true) }
            case .outOfBin(let arc):
                arcFlow[Int(arc)] -= 1
                if arcFlow[Int(arc)] == 0 { moveSlot(of: Int(arc), live: false) }
            case .intoSink(let bin):
                binLoad[Int(bin)] += 1
            case .outOfSink(let bin):
                binLoad[Int(bin)] -= 1
            }
        }
        placed[Int(path[path.count - 1].node)] -= 1
    }

    /// Moves a tight arc into its bin's part of arcs with flow, or out of it.
    private mutating func moveSlot(of arc: Int, live: Bool) {
        let bin = Int(network.arcBin[arc])
        let slot = Int(slotOfArc[arc])
        let boundary = live ? Int(binLiveEnd[bin]) : Int(binLiveEnd[bin]) - 1
        let other = binArcs[boundary]
        binArcs[boundary] = binArcs[slot]
        binArcs[slot] = other
        slotOfArc[Int(other.arc)] = Int32(slot)
        slotOfArc[arc] = Int32(boundary)
        binLiveEnd[bin] += live ? 1 : -1
    }
}
