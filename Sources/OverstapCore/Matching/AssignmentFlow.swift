/// The state of the min-cost flow: how many members of each group are placed, where, and the
/// node potentials that prove the flow optimal (every residual arc has nonnegative reduced cost).
///
/// Nodes are numbered groups first (`0..<groupCount`), then sessions. Reduced cost of an arc
/// u → v is `cost + potential[u] - potential[v]`; the "unplaced" and sink nodes have potential 0.
struct AssignmentFlow: Sendable {
    let graph: MatchingGraph
    var potential: [MatchingCost]
    /// Placed members per group; they are the group's best-priority members.
    var placed: [Int32]
    /// Units on each arc.
    var flow: [Int32]
    /// Open seats left per session.
    var freeSeats: [Int32]
    /// Arcs with flow into session s are `slotArc[slotStart[s]..<slotStart[s] + slotCount[s]]`.
    var slotStart: [Int32]
    var slotCount: [Int32]
    var slotArc: [Int32]
    /// Group of the arc in the same position of `slotArc`.
    var slotGroup: [Int32]

    init(graph: MatchingGraph) {
        self.graph = graph
        var potential = [MatchingCost](repeating: .zero, count: graph.groupCount + graph.sessionCount)
        // Start with potentials that make every arc's reduced cost nonnegative.
        for group in 0..<graph.groupCount {
            var highest: MatchingCost?
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) {
                let reverse = -graph.arcCost(arc)
                highest = highest.map { MatchingCost.max($0, reverse) } ?? reverse
            }
            potential[group] = highest ?? .zero
        }
        self.potential = potential
        placed = [Int32](repeating: 0, count: graph.groupCount)
        flow = [Int32](repeating: 0, count: graph.arcEntry.count)
        freeSeats = graph.sessionSeats
        // A session holds at most one slot per seat and per eligible group.
        var inDegree = [Int32](repeating: 0, count: graph.sessionCount)
        for entry in graph.arcEntry {
            inDegree[Int(entry >> 1)] += 1
        }
        var slotStart = [Int32](repeating: 0, count: graph.sessionCount + 1)
        for session in 0..<graph.sessionCount {
            slotStart[session + 1] = slotStart[session] + min(inDegree[session], graph.sessionSeats[session])
        }
        self.slotStart = slotStart
        slotCount = [Int32](repeating: 0, count: graph.sessionCount)
        slotArc = [Int32](repeating: -1, count: Int(slotStart[graph.sessionCount]))
        slotGroup = slotArc
    }

    /// Node number of a session.
    func node(session: Int) -> Int {
        graph.groupCount + session
    }

    /// Positions in `slotArc` and `slotGroup` of the arcs carrying flow into a session.
    func slots(of session: Int) -> Range<Int> {
        let low = Int(slotStart[session])
        return low..<low + Int(slotCount[session])
    }

    /// Adds one unit on an arc, recording it in its session's slots when it starts carrying flow.
    mutating func increaseFlow(on arc: Int, group: Int) {
        if flow[arc] == 0 {
            let session = graph.arcSession(arc)
            let position = Int(slotStart[session] + slotCount[session])
            slotArc[position] = Int32(arc)
            slotGroup[position] = Int32(group)
            slotCount[session] += 1
        }
        flow[arc] += 1
    }

    /// Removes one unit from an arc, dropping it from its session's slots when it becomes empty.
    mutating func decreaseFlow(on arc: Int) {
        flow[arc] -= 1
        guard flow[arc] == 0 else { return }
        let session = graph.arcSession(arc)
        let occupied = slots(of: session)
        var position = occupied.lowerBound
        while slotArc[position] != Int32(arc) {
            position += 1
        }
        let last = occupied.upperBound - 1
        slotArc[position] = slotArc[last]
        slotGroup[position] = slotGroup[last]
        slotCount[session] -= 1
    }
}
