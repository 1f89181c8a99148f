/// Level 5 on top of an assignment that is optimal on levels 1–4: the workers who waited longest
/// take the places, exchanged only along arcs that keep levels 1–4 optimal.
///
/// Under exact optimal prices for levels 1–4, the assignments optimal on those levels are exactly
/// the flows that change only arcs of reduced cost zero ("tight" arcs). The sets of workers such
/// flows place are the bases of a matroid (the boundaries of the flows of a network form an
/// M-convex set), and no circuit of it mixes statuses: an alternating path from an unplaced
/// unemployed worker to a placed worker at risk would place one unemployed worker more than the
/// most there can be. So the greedy algorithm is exact: per status, in order of priority, each
/// worker keeps their place, or takes the place of a worker of the same status not yet kept along
/// an alternating path of tight arcs, or stays out when there is no such path.
///
/// The searches keep, per node, a lower bound on the number of steps to the nearest group that
/// can give up a place (Ahuja and Orlin's distance labels): a search follows steps that bring it
/// one closer, raises the bound of a node it gets stuck at, and a breadth-first pass back from
/// those groups makes the bounds exact again once the raising has cost a quarter of a pass. A worker
/// whose bound says no such group can be reached stays out at once.
struct PriorityExchange {
    /// Units on each graph arc, updated by the exchanges.
    private(set) var arcFlow: [Int32]

    private let graph: MatchingGraph
    /// Tight arcs leaving group g: graph arcs `groupArcs[groupArcStart[g]..<groupArcStart[g + 1]]`.
    private var groupArcStart: [Int32] = []
    private var groupArcs: [Int32] = []
    /// Tight arcs into session s are `sessionArcs[sessionArcStart[s]..<sessionArcStart[s + 1]]`,
    /// those with flow first, up to `sessionLiveEnd[s]`.
    private var sessionArcStart: [Int32] = []
    private var sessionLiveEnd: [Int32] = []
    private var sessionArcs: [SessionArc] = []
    /// Position of each tight graph arc in `sessionArcs`.
    private var slotOfArc: [Int32]
    /// Seats taken in each session, and whether its arc into the placed sink is tight.
    private var seatsTaken: [Int32]
    private let seatArcIsTight: [Bool]
    private let tightSeatSessions: [Int32]
    /// Placed units per group, how many of them are kept for good, and whether the group's
    /// "unplaced" arc is tight (else its count of placed units cannot change).
    private var placed: [Int32]
    private var kept: [Int32]
    private let placedCountCanChange: [Bool]

    /// Search state. Nodes are groups, then sessions, then the placed sink.
    private let sink: Int
    /// Per node, a lower bound on the steps to a group that can give up a place (`unreachable`:
    /// none can be reached, now or later in this status).
    private var distance: [Int32]
    private let unreachable: Int32
    /// Per group and for the sink, the first of its arcs that may still be admissible.
    private var currentArc: [Int32]
    /// Arcs scanned to raise bounds since they were last made exact.
    private var relabelWork = 0
    private var unemployedPhase = true
    /// The search path: each node with the step that reached it.
    private var path: [(node: Int32, step: Step)] = []

    private struct SessionArc {
        var arc: Int32
        var group: Int32
    }

    private enum Step {
        case start
        /// Along graph arc `arc`, from its group into its session.
        case intoSession(arc: Int32)
        /// Back along graph arc `arc`, from its session to its group.
        case outOfSession(arc: Int32)
        /// From a session into the placed sink: a free seat is taken.
        case takeSeat(session: Int32)
        /// From the placed sink back to a session: one of its seats is freed.
        case freeSeat(session: Int32)
    }

    /// Starts from an optimal flow on levels 1–4 given per graph arc and per session (seats
    /// taken), with the tightness of each arc, and the placed units of each group.
    init(
        graph: MatchingGraph, arcFlow: [Int32], arcIsTight: [Bool], seatsTaken: [Int32], seatArcIsTight: [Bool],
        placed: [Int32], placedCountCanChange: [Bool]
    ) {
        self.graph = graph
        self.arcFlow = arcFlow
        self.seatsTaken = seatsTaken
        self.seatArcIsTight = seatArcIsTight
        tightSeatSessions = (0..<Int32(graph.sessionCount)).filter { seatArcIsTight[Int($0)] }
        self.placed = placed
        kept = [Int32](repeating: 0, count: graph.groupCount)
        self.placedCountCanChange = placedCountCanChange
        slotOfArc = [Int32](repeating: -1, count: arcFlow.count)
        sink = graph.groupCount + graph.sessionCount
        unreachable = Int32(sink + 1)
        distance = [Int32](repeating: unreachable, count: sink + 1)
        currentArc = [Int32](repeating: 0, count: sink + 1)
        buildTightArcs(arcIsTight)
        exchange()
    }

    private mutating func buildTightArcs(_ arcIsTight: [Bool]) {
        groupArcStart = [0]
        groupArcStart.reserveCapacity(graph.groupCount + 1)
        var intoSession = [Int32](repeating: 0, count: graph.sessionCount + 1)
        for group in 0..<graph.groupCount {
            for arc in Int(graph.arcStart[group])..<Int(graph.arcStart[group + 1]) where arcIsTight[arc] {
                groupArcs.append(Int32(arc))
                intoSession[graph.arcSession(arc) + 1] += 1
            }
            groupArcStart.append(Int32(groupArcs.count))
        }
        for session in 0..<graph.sessionCount {
            intoSession[session + 1] += intoSession[session]
        }
        sessionArcStart = intoSession
        sessionLiveEnd = Array(intoSession.dropLast())
        sessionArcs = [SessionArc](repeating: SessionArc(arc: 0, group: 0), count: groupArcs.count)
        // Arcs with flow fill each session's list from the front, the others from the back.
        var backEnd = Array(intoSession.dropFirst())
        for group in 0..<graph.groupCount {
            for arc in groupArcs[Int(groupArcStart[group])..<Int(groupArcStart[group + 1])] {
                let session = graph.arcSession(Int(arc))
                let slot: Int32
                if arcFlow[Int(arc)] > 0 {
                    slot = sessionLiveEnd[session]
                    sessionLiveEnd[session] += 1
                } else {
                    backEnd[session] -= 1
                    slot = backEnd[session]
                }
                sessionArcs[Int(slot)] = SessionArc(arc: arc, group: Int32(group))
                slotOfArc[Int(arc)] = slot
            }
        }
    }

    /// The greedy pass: the unemployed first, then workers at risk, each in order of priority.
    private mutating func exchange() {
        var order: [Int32] = []
        for group in 0..<graph.groupCount where graph.arcStart[group + 1] > graph.arcStart[group] {
            order.append(contentsOf: graph.members[Int(graph.memberStart[group])..<Int(graph.memberStart[group + 1])])
        }
        let priority = graph.workerPriority
        order.sort { (priority[Int($0)], $0) < (priority[Int($1)], $1) }
        var isOut = [Bool](repeating: false, count: graph.groupCount)
        for unemployed in [true, false] {
            unemployedPhase = unemployed
            makeDistancesExact()
            for worker in order {
                let group = Int(graph.groupOfWorker[Int(worker)])
                guard graph.groupIsUnemployed[group] == unemployed, !isOut[group] else { continue }
                if placed[group] > kept[group] {
                    kept[group] += 1
                } else if placedCountCanChange[group], placeOneMore(of: group) {
                    placed[group] += 1
                    kept[group] += 1
                } else {
                    // This member cannot be placed with those kept, and neither can the rest of the group.
                    isOut[group] = true
                }
            }
        }
    }

    /// Whether a group can give up a placed unit to a better worker of the status now placed.
    private func canGiveUpPlace(_ group: Int) -> Bool {
        graph.groupIsUnemployed[group] == unemployedPhase && placedCountCanChange[group] && placed[group] > kept[group]
    }

    /// Searches for an alternating path of tight arcs from `start` to a group that can give up a
    /// place, along steps that each bring it one closer, and exchanges along it.
    private mutating func placeOneMore(of start: Int) -> Bool {
        path.removeAll(keepingCapacity: true)
        path.append((Int32(start), .start))
        while distance[start] < unreachable {
            let node = Int(path[path.count - 1].node)
            if path.count > 1, node < graph.groupCount, canGiveUpPlace(node) {
                exchangeAlongPath()
                return true
            }
            if let next = admissibleStep(from: node) {
                path.append((Int32(next.node), next.step))
                continue
            }
            relabel(node)
            if path.count > 1 { path.removeLast() }
            if relabelWork > (groupArcs.count + sink) / 4 {
                makeDistancesExact()
                path.removeLast(path.count - 1)
            }
        }
        return false
    }

    /// The next residual tight arc leaving a node at or after position `index` of its arcs, as
    /// its head and step, with `index` moved past it. A session's positions are its arcs with
    /// flow, then its seat arc.
    private func nextResidualArc(of node: Int, from index: inout Int) -> (head: Int, step: Step)? {
        let groupCount = graph.groupCount
        if node < groupCount {
            let first = Int(groupArcStart[node])
            let count = Int(groupArcStart[node + 1]) - first
            while index < count {
                let arc = groupArcs[first + index]
                index += 1
                if arcFlow[Int(arc)] < graph.memberCount(of: node) {
                    return (groupCount + graph.arcSession(Int(arc)), .intoSession(arc: arc))
                }
            }
            return nil
        }
        if node < sink {
            let session = node - groupCount
            let first = Int(sessionArcStart[session])
            let live = Int(sessionLiveEnd[session]) - first
            if index < live {
                let entry = sessionArcs[first + index]
                index += 1
                return (Int(entry.group), .outOfSession(arc: entry.arc))
            }
            guard index == live else { return nil }
            index += 1
            guard seatArcIsTight[session], seatsTaken[session] < graph.sessionSeats[session] else { return nil }
            return (sink, .takeSeat(session: Int32(session)))
        }
        while index < tightSeatSessions.count {
            let session = tightSeatSessions[index]
            index += 1
            if seatsTaken[Int(session)] > 0 {
                return (groupCount + Int(session), .freeSeat(session: session))
            }
        }
        return nil
    }

    /// A step to a node one closer, from the node's current arc on (groups and the sink keep it:
    /// a session's arcs change places as their flow comes and goes).
    private mutating func admissibleStep(from node: Int) -> (node: Int, step: Step)? {
        let wanted = distance[node] - 1
        let keepsCurrentArc = node < graph.groupCount || node == sink
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

    /// Exact bounds by a breadth-first pass backwards from the groups that can give up a place.
    private mutating func makeDistancesExact() {
        relabelWork = 0
        let groupCount = graph.groupCount
        let unreachable = unreachable
        var queue = [Int32](repeating: 0, count: sink + 1)
        var queued = 0
        for node in 0...sink {
            currentArc[node] = 0
            distance[node] = unreachable
        }
        for group in 0..<groupCount where canGiveUpPlace(group) {
            distance[group] = 0
            queue[queued] = Int32(group)
            queued += 1
        }
        var read = 0
        while read < queued {
            let head = Int(queue[read])
            read += 1
            let next = distance[head] + 1
            if head < groupCount {
                // Back along arcs with flow: from their sessions.
                for arc in groupArcs[Int(groupArcStart[head])..<Int(groupArcStart[head + 1])] where arcFlow[Int(arc)] > 0 {
                    let session = groupCount + graph.arcSession(Int(arc))
                    if distance[session] == unreachable {
                        distance[session] = next
                        queue[queued] = Int32(session)
                        queued += 1
                    }
                }
            } else if head < sink {
                let session = head - groupCount
                for entry in sessionArcs[Int(sessionArcStart[session])..<Int(sessionArcStart[session + 1])]
                where distance[Int(entry.group)] == unreachable && arcFlow[Int(entry.arc)] < graph.memberCount(of: Int(entry.group)) {
                    distance[Int(entry.group)] = next
                    queue[queued] = entry.group
                    queued += 1
                }
                if seatArcIsTight[session], seatsTaken[session] > 0, distance[sink] == unreachable {
                    distance[sink] = next
                    queue[queued] = Int32(sink)
                    queued += 1
                }
            } else {
                for session in tightSeatSessions
                where seatsTaken[Int(session)] < graph.sessionSeats[Int(session)] && distance[groupCount + Int(session)] == unreachable {
                    distance[groupCount + Int(session)] = next
                    queue[queued] = Int32(groupCount) + session
                    queued += 1
                }
            }
        }
    }

    /// Moves one unit along the search path: its first group gains a place, its last gives one up.
    private mutating func exchangeAlongPath() {
        for (_, step) in path {
            switch step {
            case .start:
                break
            case .intoSession(let arc):
                arcFlow[Int(arc)] += 1
                if arcFlow[Int(arc)] == 1 { moveSlot(of: Int(arc), live: true) }
            case .outOfSession(let arc):
                arcFlow[Int(arc)] -= 1
                if arcFlow[Int(arc)] == 0 { moveSlot(of: Int(arc), live: false) }
            case .takeSeat(let session):
                seatsTaken[Int(session)] += 1
            case .freeSeat(let session):
                seatsTaken[Int(session)] -= 1
            }
        }
        placed[Int(path[path.count - 1].node)] -= 1
    }

    /// Moves a tight arc into its session's part of arcs with flow, or out of it.
    private mutating func moveSlot(of arc: Int, live: Bool) {
        let session = graph.arcSession(arc)
        let slot = Int(slotOfArc[arc])
        let boundary = live ? Int(sessionLiveEnd[session]) : Int(sessionLiveEnd[session]) - 1
        let other = sessionArcs[boundary]
        sessionArcs[boundary] = sessionArcs[slot]
        sessionArcs[slot] = other
        slotOfArc[Int(other.arc)] = Int32(slot)
        slotOfArc[arc] = Int32(boundary)
        sessionLiveEnd[session] += live ? 1 : -1
    }
}
