/// The five ranking levels of the assignment objective, most important first.
public enum MatchingLevel: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// Maximise the number of placed unemployed workers.
    case unemployedPlaced = 1
    /// Then maximise the number of placed workers at risk.
    case atRiskPlaced = 2
    /// Then maximise the number of tailored placements.
    case tailored = 3
    /// Then minimise the sum of the placed sessions' start ranks.
    case startRank = 4
    /// Then minimise the sum of the placed workers' priorities.
    case priority = 5

    /// Orders levels by importance: the more important level is smaller.
    public static func < (lhs: MatchingLevel, rhs: MatchingLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
