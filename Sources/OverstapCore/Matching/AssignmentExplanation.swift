/// Why a worker did or did not get an eligible session.
public enum AssignmentExplanation: Sendable, Hashable {
    /// The worker was placed in this session.
    case assigned
    /// The worker may not take this session.
    case notEligible
    /// The session has no free seats, so nobody can be placed in it.
    case noSeats
    /// An equally good assignment places the worker in this session; the solver's choice was a
    /// deterministic tie-break (for instance between members of one profile).
    case tie
    /// Every assignment that places the worker in this session is worse. `level` is the most
    /// important level on which the best of them loses; `objective` is that assignment's objective.
    case decided(level: MatchingLevel, objective: MatchingObjective)
}
