/// The input of the assignment solver: workers, sessions and the eligible pairs between them.
///
/// Pairs are stored packed (8 bytes each) because realistic instances have millions of them.
/// A pair given twice counts once; it is tailored if either copy is.
public struct MatchingProblem: Sendable {
    /// The workers; a worker's position is its index in pairs and results.
    public private(set) var workers: [MatchingWorker]
    /// The sessions; a session's position is its index in pairs and results.
    public private(set) var sessions: [MatchingSession]
    /// worker << 32 | session << 1 | tailored, in the order added.
    private(set) var packedPairs: [UInt64] = []

    /// Creates a problem without eligible pairs; add them with `addPair(worker:session:tailored:)`.
    public init(workers: [MatchingWorker], sessions: [MatchingSession]) {
        precondition(workers.count <= Int(Int32.max) && sessions.count <= Int(Int32.max), "too many workers or sessions")
        for worker in workers {
            precondition((0...Int(Int32.max)).contains(worker.priority), "worker priority must lie in 0...Int32.max")
        }
        for session in sessions {
            precondition(session.freeSeats >= 0, "a session's free seats must not be negative")
            precondition((0...Int(Int32.max)).contains(session.startRank), "session start rank must lie in 0...Int32.max")
        }
        self.workers = workers
        self.sessions = sessions
    }

    /// Creates a problem with the given eligible pairs.
    public init(workers: [MatchingWorker], sessions: [MatchingSession], pairs: some Sequence<MatchingPair>) {
        self.init(workers: workers, sessions: sessions)
        packedPairs.reserveCapacity(pairs.underestimatedCount)
        for pair in pairs {
            addPair(worker: pair.worker, session: pair.session, tailored: pair.tailored)
        }
    }

    /// The number of pairs added, counting repeats.
    public var pairCount: Int { packedPairs.count }

    /// Reserves room for `count` pairs in total.
    public mutating func reservePairs(_ count: Int) {
        packedPairs.reserveCapacity(count)
    }

    /// Declares that `worker` may be placed in `session`, tailored or not.
    public mutating func addPair(worker: Int, session: Int, tailored: Bool) {
        precondition(workers.indices.contains(worker), "pair refers to worker \(worker), which does not exist")
        precondition(sessions.indices.contains(session), "pair refers to session \(session), which does not exist")
        packedPairs.append(UInt64(worker) << 32 | UInt64(session) << 1 | (tailored ? 1 : 0))
    }
}
