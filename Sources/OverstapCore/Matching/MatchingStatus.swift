/// Whether a worker has already lost their job or is about to.
public enum MatchingStatus: Sendable, Hashable {
    /// Out of work: placing these workers matters most.
    case unemployed
    /// Still employed but expected to lose the job.
    case atRisk
}
