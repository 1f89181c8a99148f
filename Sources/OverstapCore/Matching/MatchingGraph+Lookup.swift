/// Look-ups in the collapsed graph.
extension MatchingGraph {
    /// Size of a group.
    func memberCount(of group: Int) -> Int {
        Int(memberStart[group + 1] - memberStart[group])
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
