/// A tentative distance label in Dijkstra's queue; the node number breaks ties deterministically.
struct MatchingHeapEntry: Comparable {
    var cost: MatchingCost
    var node: Int32

    static func < (lhs: MatchingHeapEntry, rhs: MatchingHeapEntry) -> Bool {
        lhs.cost != rhs.cost ? lhs.cost < rhs.cost : lhs.node < rhs.node
    }
}
