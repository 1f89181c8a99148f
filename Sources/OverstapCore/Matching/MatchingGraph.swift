/// The eligibility graph in flat arrays, with workers of identical profile collapsed into groups.
///
/// A profile is a status plus the exact set of (session, tailored) pairs. Members of a group are
/// interchangeable on levels 1–4, so the solver routes a group's units as one node and only level 5
/// tells members apart: the k placed units of a group go to its k members of best priority.
struct MatchingGraph: Sendable {
    let workerCount: Int
    let sessionCount: Int
    let groupCount: Int
    /// Group of each worker.
    let groupOfWorker: [Int32]
    /// Whether each group's members are unemployed (else at risk).
    let groupIsUnemployed: [Bool]
    /// Members of group g are `members[memberStart[g]..<memberStart[g + 1]]`, best priority first.
    let memberStart: [Int32]
    let members: [Int32]
    /// Arcs of group g are `arcEntry[arcStart[g]..<arcStart[g + 1]]`, sorted by session.
    let arcStart: [Int32]
    /// session << 1 | tailored.
    let arcEntry: [UInt32]
    let workerPriority: [Int64]
    let sessionRank: [Int64]
    let sessionSeats: [Int32]

    init(_ problem: MatchingProblem) {
        let workerCount = problem.workers.count
        let sessionCount = problem.sessions.count
        precondition(problem.packedPairs.count < Int(Int32.max), "too many eligible pairs")

        // Counting sort of the pairs by worker gives each worker's list (CSR).
        var start = [Int32](repeating: 0, count: workerCount + 1)
        for key in problem.packedPairs {
            start[Int(key >> 32) + 1] += 1
        }
        for index in 0..<workerCount {
            start[index + 1] += start[index]
        }
        var cursor = start
        var entries = [UInt32](repeating: 0, count: problem.packedPairs.count)
        for key in problem.packedPairs {
            let worker = Int(key >> 32)
            entries[Int(cursor[worker])] = UInt32(truncatingIfNeeded: key)
            cursor[worker] += 1
        }

        // Sort each list and merge repeated sessions (tailored wins: it sorts last), compacting.
        var write = 0
        var compactStart = [Int32](repeating: 0, count: workerCount + 1)
        for worker in 0..<workerCount {
            let low = Int(start[worker])
            let high = Int(start[worker + 1])
            entries[low..<high].sort()
            var read = low
            while read < high {
                var entry = entries[read]
                read += 1
                while read < high, entries[read] >> 1 == entry >> 1 {
                    entry = entries[read]
                    read += 1
                }
                entries[write] = entry
                write += 1
            }
            compactStart[worker + 1] = Int32(write)
        }
        entries.removeLast(entries.count - write)

        let isUnemployed = problem.workers.map { $0.status == .unemployed }
        let groupOfWorker = Self.groupProfiles(isUnemployed: isUnemployed, start: compactStart, entries: entries)
        let groupCount = (groupOfWorker.max().map { Int($0) + 1 }) ?? 0

        // Members per group (counting sort, then by priority); the first member represents the group.
        var memberStart = [Int32](repeating: 0, count: groupCount + 1)
        for group in groupOfWorker {
            memberStart[Int(group) + 1] += 1
        }
        for group in 0..<groupCount {
            memberStart[group + 1] += memberStart[group]
        }
        var memberCursor = memberStart
        var members = [Int32](repeating: 0, count: workerCount)
        for worker in 0..<workerCount {
            let group = Int(groupOfWorker[worker])
            members[Int(memberCursor[group])] = Int32(worker)
            memberCursor[group] += 1
        }
        let priority = problem.workers.map { Int64($0.priority) }
        var representative = [Int32](repeating: 0, count: groupCount)
        var groupIsUnemployed = [Bool](repeating: false, count: groupCount)
        for group in 0..<groupCount {
            let low = Int(memberStart[group])
            let high = Int(memberStart[group + 1])
            representative[group] = members[low]
            groupIsUnemployed[group] = isUnemployed[Int(members[low])]
            members[low..<high].sort { (priority[Int($0)], $0) < (priority[Int($1)], $1) }
        }

        var arcStart = [Int32](repeating: 0, count: groupCount + 1)
        var arcEntry: [UInt32] = []
        for group in 0..<groupCount {
            let worker = Int(representative[group])
            arcEntry.append(contentsOf: entries[Int(compactStart[worker])..<Int(compactStart[worker + 1])])
            arcStart[group + 1] = Int32(arcEntry.count)
        }

        self.workerCount = workerCount
        self.sessionCount = sessionCount
        self.groupCount = groupCount
        self.groupOfWorker = groupOfWorker
        self.groupIsUnemployed = groupIsUnemployed
        self.memberStart = memberStart
        self.members = members
        self.arcStart = arcStart
        self.arcEntry = arcEntry
        self.workerPriority = priority
        self.sessionRank = problem.sessions.map { Int64($0.startRank) }
        self.sessionSeats = problem.sessions.map { Int32(clamping: $0.freeSeats) }
    }

    /// Assigns group numbers so that equal profiles share one, numbered by their first worker.
    ///
    /// Sorting by a profile hash and comparing neighbours exactly avoids both a Dictionary
    /// (whose iteration order varies per process) and hash collisions merging different profiles.
    private static func groupProfiles(isUnemployed: [Bool], start: [Int32], entries: [UInt32]) -> [Int32] {
        let workerCount = isUnemployed.count
        var hashes = [UInt64](repeating: 0, count: workerCount)
        for worker in 0..<workerCount {
            var hash: UInt64 = isUnemployed[worker] ? 0x9E37_79B9_7F4A_7C15 : 0xC2B2_AE3D_27D4_EB4F
            for entry in entries[Int(start[worker])..<Int(start[worker + 1])] {
                hash = (hash ^ UInt64(entry)) &* 0x0000_0100_0000_01B3
                hash ^= hash >> 29
            }
            hashes[worker] = hash
        }
        var order = Array(0..<Int32(workerCount))
        order.sort { (hashes[Int($0)], $0) < (hashes[Int($1)], $1) }

        func sameProfile(_ lhs: Int, _ rhs: Int) -> Bool {
            isUnemployed[lhs] == isUnemployed[rhs]
                && entries[Int(start[lhs])..<Int(start[lhs + 1])].elementsEqual(entries[Int(start[rhs])..<Int(start[rhs + 1])])
        }

        // Provisional numbers within runs of equal hash, then renumbered by first worker.
        var provisional = [Int32](repeating: -1, count: workerCount)
        var provisionalCount: Int32 = 0
        var runStart = 0
        while runStart < workerCount {
            var runEnd = runStart + 1
            while runEnd < workerCount, hashes[Int(order[runEnd])] == hashes[Int(order[runStart])] {
                runEnd += 1
            }
            for position in runStart..<runEnd {
                let worker = Int(order[position])
                let match = order[runStart..<position].first { sameProfile(Int($0), worker) }
                if let match {
                    provisional[worker] = provisional[Int(match)]
                } else {
                    provisional[worker] = provisionalCount
                    provisionalCount += 1
                }
            }
            runStart = runEnd
        }
        var final = [Int32](repeating: -1, count: Int(provisionalCount))
        var next: Int32 = 0
        var groupOfWorker = [Int32](repeating: 0, count: workerCount)
        for worker in 0..<workerCount {
            let old = Int(provisional[worker])
            if final[old] < 0 {
                final[old] = next
                next += 1
            }
            groupOfWorker[worker] = final[old]
        }
        return groupOfWorker
    }
}
