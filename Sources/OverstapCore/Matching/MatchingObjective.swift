/// The value of an assignment on the five ranking levels, compared lexicographically.
public struct MatchingObjective: Sendable, Hashable {
    /// Placed unemployed workers (higher is better).
    public var unemployedPlaced: Int
    /// Placed workers at risk (higher is better).
    public var atRiskPlaced: Int
    /// Tailored placements (higher is better).
    public var tailoredPlacements: Int
    /// Sum of the placed sessions' start ranks (lower is better).
    public var startRankSum: Int
    /// Sum of the placed workers' priorities (lower is better).
    public var prioritySum: Int

    /// Creates an objective vector.
    public init(unemployedPlaced: Int, atRiskPlaced: Int, tailoredPlacements: Int, startRankSum: Int, prioritySum: Int) {
        self.unemployedPlaced = unemployedPlaced
        self.atRiskPlaced = atRiskPlaced
        self.tailoredPlacements = tailoredPlacements
        self.startRankSum = startRankSum
        self.prioritySum = prioritySum
    }

    /// The objective of the empty assignment.
    public static let zero = MatchingObjective(
        unemployedPlaced: 0, atRiskPlaced: 0, tailoredPlacements: 0, startRankSum: 0, prioritySum: 0
    )

    /// The five values in level order: [unemployed, atRisk, tailored, rankSum, prioritySum].
    public var vector: [Int] {
        [unemployedPlaced, atRiskPlaced, tailoredPlacements, startRankSum, prioritySum]
    }

    /// The value on one level.
    public func value(at level: MatchingLevel) -> Int {
        switch level {
        case .unemployedPlaced: unemployedPlaced
        case .atRiskPlaced: atRiskPlaced
        case .tailored: tailoredPlacements
        case .startRank: startRankSum
        case .priority: prioritySum
        }
    }

    /// The most important level on which the two objectives differ, or nil when they are equal.
    public func firstDifference(from other: MatchingObjective) -> MatchingLevel? {
        MatchingLevel.allCases.first { value(at: $0) != other.value(at: $0) }
    }

    /// Whether this objective is strictly better than `other` in the lexicographic order.
    public func isBetter(than other: MatchingObjective) -> Bool {
        guard let level = firstDifference(from: other) else { return false }
        let mine = value(at: level)
        let theirs = other.value(at: level)
        // Levels 1–3 are maximised, levels 4–5 minimised.
        return level <= .tailored ? mine > theirs : mine < theirs
    }
}
