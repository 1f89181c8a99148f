/// An exact lexicographic cost: one Int64 per ranking level, added component-wise.
///
/// A single Int64 weight cannot hold five levels on large instances without overflow, and
/// min-cost flow theory only needs an ordered abelian group, which ℤ⁵ ordered lexicographically is.
/// Placing a worker has negative cost on level 1 or 2, so minimising the cost maximises placements.
struct MatchingCost: Comparable {
    var unemployed: Int64
    var atRisk: Int64
    var tailored: Int64
    var rank: Int64
    var priority: Int64

    static let zero = MatchingCost(unemployed: 0, atRisk: 0, tailored: 0, rank: 0, priority: 0)

    static func + (lhs: MatchingCost, rhs: MatchingCost) -> MatchingCost {
        MatchingCost(
            unemployed: lhs.unemployed &+ rhs.unemployed,
            atRisk: lhs.atRisk &+ rhs.atRisk,
            tailored: lhs.tailored &+ rhs.tailored,
            rank: lhs.rank &+ rhs.rank,
            priority: lhs.priority &+ rhs.priority
        )
    }

    static func - (lhs: MatchingCost, rhs: MatchingCost) -> MatchingCost {
        MatchingCost(
            unemployed: lhs.unemployed &- rhs.unemployed,
            atRisk: lhs.atRisk &- rhs.atRisk,
            tailored: lhs.tailored &- rhs.tailored,
            rank: lhs.rank &- rhs.rank,
            priority: lhs.priority &- rhs.priority
        )
    }

    static prefix func - (cost: MatchingCost) -> MatchingCost {
        .zero - cost
    }

    static func < (lhs: MatchingCost, rhs: MatchingCost) -> Bool {
        if lhs.unemployed != rhs.unemployed { return lhs.unemployed < rhs.unemployed }
        if lhs.atRisk != rhs.atRisk { return lhs.atRisk < rhs.atRisk }
        if lhs.tailored != rhs.tailored { return lhs.tailored < rhs.tailored }
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        return lhs.priority < rhs.priority
    }

    static func max(_ lhs: MatchingCost, _ rhs: MatchingCost) -> MatchingCost {
        lhs < rhs ? rhs : lhs
    }

    /// The most important level with a nonzero component, or nil for the zero cost.
    var firstNonzeroLevel: MatchingLevel? {
        if unemployed != 0 { return .unemployedPlaced }
        if atRisk != 0 { return .atRiskPlaced }
        if tailored != 0 { return .tailored }
        if rank != 0 { return .startRank }
        if priority != 0 { return .priority }
        return nil
    }
}
