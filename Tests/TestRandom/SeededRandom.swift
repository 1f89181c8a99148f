import OverstapCore

/// SplitMix64: a seeded random source so that property tests are reproducible.
struct MatchingTestRandom {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((mixed ^ (mixed >> 31)) % UInt64(bound))
    }
}

/// Gives `worker` the status and eligible sessions of the earlier worker `model`, so that the two
/// share a profile: exercises collapsing workers into groups.
func copyProfile(of model: Int, to worker: Int, workers: inout [MatchingWorker], pairs: inout [MatchingPair]) {
    workers[worker].status = workers[model].status
    for pair in pairs where pair.worker == model {
        pairs.append(MatchingPair(worker: worker, session: pair.session, tailored: pair.tailored))
    }
}
