import HeapModule

/// Successive shortest paths on the collapsed graph, one group unit at a time, each path found by
/// a Dijkstra search that starts at that group and stops at the first way out.
///
/// Every group is a supply node: each of its units either stays unplaced (cost 0) or enters the
/// group's placement node at the cost of the next-best member (levels 1, 2, 5, increasing within a
/// group, so best members go first) and travels along eligible arcs (levels 3, 4), possibly pushing
/// placed units of other groups to other sessions or out. A search ends at a session with an open
/// seat or at a group that gives up its worst placed member. Because potentials keep every residual
/// reduced cost nonnegative, each path is a true shortest path and the final flow is optimal;
/// searches stay local because they stop as soon as nothing cheaper than the best exit remains.
struct AssignmentSolver {
    private(set) var state: AssignmentFlow
    private var distance: [MatchingCost]
    private var parentArc: [Int32]
    private var parentNode: [Int32]
    /// Per node: `2 * epoch` once labelled in the current search, `2 * epoch + 1` once settled;
    /// one array avoids clearing state between searches and touches one cache line per node.
    private var stamp: [UInt32]
    private var epoch: UInt32 = 0
    private var settled: [Int32] = []
    private var heap = Heap<MatchingHeapEntry>()
    /// Groups whose remaining units all stay unplaced.
    private var closed: [Bool]
    /// Cheapest way out found by the current search, and where it leaves.
    private var best = MatchingCost.zero
    private var exit = Exit.stayUnplaced

    private enum Exit {
        case stayUnplaced
        case openSeat(session: Int)
        case displace(group: Int)
    }

    init(graph: MatchingGraph) {
        state = AssignmentFlow(graph: graph)
        let nodeCount = graph.groupCount + graph.sessionCount
        distance = [MatchingCost](repeating: .zero, count: nodeCount)
        parentArc = [Int32](repeating: -1, count: nodeCount)
        parentNode = parentArc
        stamp = [UInt32](repeating: 0, count: nodeCount)
        closed = [Bool](repeating: false, count: graph.groupCount)
    }

    /// Routes every worker's unit. Any order gives the optimum; this one keeps searches short:
    /// unemployed first (workers at risk then rarely displace them), fewest options first (as in
    /// Karp–Sipser matching heuristics: flexible workers are easier to reroute later), then priority.
    mutating func run() {
        let graph = state.graph
        func key(_ worker: Int32) -> (Int, Int32, Int64, Int32) {
            let group = Int(graph.groupOfWorker[Int(worker)])
            let options = graph.arcStart[group + 1] - graph.arcStart[group]
            return (graph.groupIsUnemployed[group] ? 0 : 1, options, graph.workerPriority[Int(worker)], worker)
        }
        var order = Array(0..<Int32(graph.workerCount))
        order.sort { key($0) < key($1) }
        for worker in order {
            let group = Int(graph.groupOfWorker[Int(worker)])
            if !closed[group] {
                route(group: group)
            }
        }
    }

    /// Sends one unit of `group` along a shortest path and updates potentials.
    private mutating func route(group start: Int) {
        let graph = state.graph
        // The group's own supply node has implicit potential 0: staying unplaced costs 0 and
        // entering placement costs the next member's unit cost.
        let entry = graph.unitCost(group: start, offset: Int(state.placed[start])) - state.potential[start]
        guard entry < .zero else {
            // Placing costs at least as much as not placing, now and for the group's worse members.
            closed[start] = true
            return
        }
        epoch += 1
        if epoch == UInt32.max / 2 {
            stamp.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            epoch = 1
        }
        settled.removeAll(keepingCapacity: true)
        heap.removeAll { _ in true }

        best = .zero
        exit = .stayUnplaced
        label(node: start, cost: entry, arc: -1, from: -1)
        while let top = heap.min, top.cost < best {
            _ = heap.removeMin()
            let node = Int(top.node)
            if stamp[node] == 2 * epoch + 1 || distance[node] < top.cost { continue }
            stamp[node] = 2 * epoch + 1
            settled.append(top.node)
            let here = top.cost
            if node < graph.groupCount {
                let base = here + state.potential[node]
                for arc in Int(graph.arcStart[node])..<Int(graph.arcStart[node + 1]) {
                    let target = state.node(session: graph.arcSession(arc))
                    let cost = base + graph.arcCost(arc) - state.potential[target]
                    relax(node: target, cost: cost, arc: arc, from: node)
                }
            } else {
                let session = node - graph.groupCount
                let base = here + state.potential[node]
                for slot in state.slots(of: session) {
                    let arc = Int(state.slotArc[slot])
                    let target = Int(state.slotGroup[slot])
                    let cost = base - graph.arcCost(arc) - state.potential[target]
                    relax(node: target, cost: cost, arc: arc, from: node)
                }
            }
        }

        // Potentials: settled nodes move by (distance - best); the rest by 0. This keeps every
        // residual reduced cost nonnegative and makes the chosen path's arcs tight.
        for node in settled {
            state.potential[Int(node)] = state.potential[Int(node)] + distance[Int(node)] - best
        }
        augment(from: start, through: exit)
    }

    /// Sets a label and checks the exit at that node at once: an early exit bounds the search sooner.
    private mutating func label(node: Int, cost: MatchingCost, arc: Int, from parent: Int) {
        distance[node] = cost
        parentArc[node] = Int32(arc)
        parentNode[node] = Int32(parent)
        stamp[node] = 2 * epoch
        heap.insert(MatchingHeapEntry(cost: cost, node: Int32(node)))
        let groupCount = state.graph.groupCount
        if node < groupCount {
            let placed = Int(state.placed[node])
            if placed > 0 {
                // Give up this group's worst placed member.
                let out = cost + state.potential[node] - state.graph.unitCost(group: node, offset: placed - 1)
                if out < best {
                    best = out
                    exit = .displace(group: node)
                }
            }
        } else if state.freeSeats[node - groupCount] > 0 {
            let out = cost + state.potential[node]
            if out < best {
                best = out
                exit = .openSeat(session: node - groupCount)
            }
        }
    }

    private mutating func relax(node: Int, cost: MatchingCost, arc: Int, from parent: Int) {
        // Labels at or beyond the best exit can never lead to a cheaper one.
        let mark = stamp[node]
        guard cost < best, mark != 2 * epoch + 1 else { return }
        if mark != 2 * epoch || cost < distance[node] {
            label(node: node, cost: cost, arc: arc, from: parent)
        }
    }

    /// Applies the found path: walks parents back from the exit to the start group.
    private mutating func augment(from start: Int, through exit: Exit) {
        var node: Int
        switch exit {
        case .stayUnplaced:
            closed[start] = true
            return
        case .openSeat(let session):
            state.freeSeats[session] -= 1
            node = state.node(session: session)
        case .displace(let group):
            state.placed[group] -= 1
            node = group
        }
        let groupCount = state.graph.groupCount
        while true {
            let arc = Int(parentArc[node])
            if arc < 0 {
                state.placed[start] += 1
                return
            }
            let parent = Int(parentNode[node])
            if node < groupCount {
                // Reached through a reverse arc: one of this group's units leaves the parent session.
                state.decreaseFlow(on: arc)
            } else {
                state.increaseFlow(on: arc, group: parent)
            }
            node = parent
        }
    }
}
