import HeapModule

/// Explanations: what placing a given worker in a given session would cost.
extension AssignmentResult {
    /// Explains why `worker` is or is not in `session`, by the best assignment that puts it there.
    ///
    /// That assignment differs from the optimum by one cheapest cycle through the forced
    /// placement in the residual graph; the search for it runs on reduced costs, so it is exact.
    public func explain(worker: Int, session: Int) -> AssignmentExplanation {
        let graph = flow.graph
        precondition((0..<graph.workerCount).contains(worker), "worker \(worker) does not exist")
        precondition((0..<graph.sessionCount).contains(session), "session \(session) does not exist")
        guard let arc = graph.arc(group: Int(graph.groupOfWorker[worker]), session: session) else { return .notEligible }
        if self.session(of: worker) == session { return .assigned }
        guard graph.sessionSeats[session] > 0 else { return .noSeats }
        guard let loss = forcingCost(worker: worker, arc: arc) else { return .noSeats }
        guard let level = loss.firstNonzeroLevel else { return .tie }
        // Costs count placements negatively (levels 1–3) and sums positively (levels 4–5).
        let forced = MatchingObjective(
            unemployedPlaced: objective.unemployedPlaced - Int(loss.unemployed),
            atRiskPlaced: objective.atRiskPlaced - Int(loss.atRisk),
            tailoredPlacements: objective.tailoredPlacements - Int(loss.tailored),
            startRankSum: objective.startRankSum + Int(loss.rank),
            prioritySum: objective.prioritySum + Int(loss.priority)
        )
        return .decided(level: level, objective: forced)
    }

    /// The most important level that keeps `worker` out of `session`, or nil when nothing does
    /// (assigned, a tie, not eligible, or no seats).
    public func decidingLevel(worker: Int, session: Int) -> MatchingLevel? {
        if case .decided(let level, _) = explain(worker: worker, session: session) { level } else { nil }
    }

    /// Cost of the cheapest cycle that places `worker` on `arc`, or nil if there is none.
    ///
    /// The residual graph is read per member: the "unplaced" node U and the sink T have
    /// potential 0, as does each member's own node, so a member enters its group at reduced cost
    /// `unitCost - potential[group]` and a group gives up its worst placed member at
    /// `potential[group] - unitCost`. Every reduced cost is nonnegative, so Dijkstra applies.
    private func forcingCost(worker: Int, arc: Int) -> MatchingCost? {
        let graph = flow.graph
        let group = Int(graph.groupOfWorker[worker])
        let sessionNode = flow.node(session: graph.arcSession(arc))
        let toSession = graph.arcCost(arc) + flow.potential[group] - flow.potential[sessionNode]
        let unplacedNode = graph.groupCount + graph.sessionCount
        if self.session(of: worker) != nil {
            // Move the group's unit to the session and find the cheapest way back to the group.
            return shortestDistance(from: sessionNode, initial: toSession) { $0 == group }
        }
        // Bring the worker in from U; the cycle closes at U or at the sink.
        var offset = Int(graph.memberStart[group])
        while graph.members[offset] != Int32(worker) {
            offset += 1
        }
        let enter = graph.unitCost(group: group, offset: offset - Int(graph.memberStart[group])) - flow.potential[group]
        let isExit: (Int) -> Bool = { $0 >= unplacedNode }
        if flow.flow[arc] > 0 {
            // A member of the group already holds the session: the worker can take its place.
            return shortestDistance(from: group, initial: enter, isTarget: isExit)
        }
        return shortestDistance(from: sessionNode, initial: enter + toSession, isTarget: isExit)
    }

    /// Dijkstra over the whole residual graph (groups, sessions, U, T) from one labelled node.
    private func shortestDistance(from source: Int, initial: MatchingCost, isTarget: (Int) -> Bool) -> MatchingCost? {
        let graph = flow.graph
        let unplacedNode = graph.groupCount + graph.sessionCount
        let sinkNode = unplacedNode + 1
        let anyUnplaced = flow.placed.reduce(0) { $0 + Int($1) } < graph.workerCount
        var distance = [MatchingCost](repeating: .zero, count: sinkNode + 1)
        var reached = [Bool](repeating: false, count: sinkNode + 1)
        var done = reached
        var heap = Heap<MatchingHeapEntry>()

        func relax(_ node: Int, _ cost: MatchingCost) {
            guard !done[node], !reached[node] || cost < distance[node] else { return }
            reached[node] = true
            distance[node] = cost
            heap.insert(MatchingHeapEntry(cost: cost, node: Int32(node)))
        }

        relax(source, initial)
        while let top = heap.popMin() {
            let node = Int(top.node)
            guard !done[node], top.cost == distance[node] else { continue }
            if isTarget(node) { return top.cost }
            done[node] = true
            let here = top.cost
            if node < graph.groupCount {
                let base = here + flow.potential[node]
                for arc in Int(graph.arcStart[node])..<Int(graph.arcStart[node + 1]) {
                    let target = flow.node(session: graph.arcSession(arc))
                    relax(target, base + graph.arcCost(arc) - flow.potential[target])
                }
                let placed = Int(flow.placed[node])
                if placed > 0 {
                    relax(unplacedNode, base - graph.unitCost(group: node, offset: placed - 1))
                }
            } else if node < unplacedNode {
                let session = node - graph.groupCount
                let base = here + flow.potential[node]
                for slot in flow.slots(of: session) {
                    let target = Int(flow.slotGroup[slot])
                    relax(target, base - graph.arcCost(Int(flow.slotArc[slot])) - flow.potential[target])
                }
                if flow.freeSeats[session] > 0 {
                    relax(sinkNode, base)
                }
            } else if node == unplacedNode {
                relax(sinkNode, here)
                for group in 0..<graph.groupCount where Int(flow.placed[group]) < graph.memberCount(of: group) {
                    relax(group, here + graph.unitCost(group: group, offset: Int(flow.placed[group])) - flow.potential[group])
                }
            } else {
                if anyUnplaced {
                    relax(unplacedNode, here)
                }
                for session in 0..<graph.sessionCount where flow.freeSeats[session] < graph.sessionSeats[session] {
                    let target = flow.node(session: session)
                    relax(target, here - flow.potential[target])
                }
            }
        }
        return nil
    }
}
