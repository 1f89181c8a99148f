/// Unit and arc costs of the collapsed graph, and arc look-up.
extension MatchingGraph {
    /// Size of a group.
    func memberCount(of group: Int) -> Int {
        Int(memberStart[group + 1] - memberStart[group])
    }

    /// Level 1, 2 and 5 cost of placing the group's member at `offset` (0 = best priority).
    func unitCost(group: Int, offset: Int) -> MatchingCost {
        let worker = Int(members[Int(memberStart[group]) + offset])
        let unemployed = groupIsUnemployed[group]
        return MatchingCost(
            unemployed: unemployed ? -1 : 0,
            atRisk: unemployed ? 0 : -1,
            tailored: 0,
            rank: 0,
            priority: workerPriority[worker]
        )
    }

    /// Level 3 and 4 cost of using an arc: a tailored placement earns one, the session's rank costs.
    func arcCost(_ arc: Int) -> MatchingCost {
        let entry = arcEntry[arc]
        return MatchingCost(
            unemployed: 0,
            atRisk: 0,
            tailored: -Int64(entry & 1),
            rank: sessionRank[Int(entry >> 1)],
            priority: 0
        )
    }

    /// Session an arc leads to.
    func arcSession(_ arc: Int) -> Int {
        Int(arcEntry[arc] >> 1)
    }

    /// Arc from `group` to `session`, if the group is eligible for it.
    func arc(group: Int, session: Int) -> Int? {
        var low = Int(arcStart[group])
        var high = Int(arcStart[group + 1])
        while low < high {
            let middle = (low + high) / 2
            let found = arcSession(middle)
            if found == session { return middle }
            if found < session { low = middle + 1 } else { high = middle }
        }
        return nil
    }
}
