import OverstapCore

/// Gives `worker` the status and eligible sessions of the earlier worker `model`, so that the two
/// share a profile: exercises collapsing workers into groups.
func copyProfile(of model: Int, to worker: Int, workers: inout [MatchingWorker], pairs: inout [MatchingPair]) {
    workers[worker].status = workers[model].status
    for pair in pairs where pair.worker == model {
        pairs.append(MatchingPair(worker: worker, session: pair.session, tailored: pair.tailored))
    }
}
