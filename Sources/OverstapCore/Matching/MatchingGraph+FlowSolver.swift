import FlowSolver

/// The graph as the flow solver sees it.
extension MatchingGraph {
    /// Groups as sources of their members, sessions as bins of their free seats.
    func bipartiteNetwork() -> BipartiteNetwork {
        BipartiteNetwork(
            arcStart: arcStart, arcBin: arcEntry.map { Int32($0 >> 1) },
            units: (0..<groupCount).map { Int32(memberCount(of: $0)) }, binCapacity: sessionSeats
        )
    }

    /// The group of each worker who is eligible for a session, best priority first (the longest
    /// waiting), ties by worker.
    func groupsInOrderOfPriority() -> [Int32] {
        var order: [Int32] = []
        for group in 0..<groupCount where arcStart[group + 1] > arcStart[group] {
            order.append(contentsOf: members[Int(memberStart[group])..<Int(memberStart[group + 1])])
        }
        order.sort { (workerPriority[Int($0)], $0) < (workerPriority[Int($1)], $1) }
        return order.map { groupOfWorker[Int($0)] }
    }
}
