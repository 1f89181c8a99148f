/// Finds the weekly time ranges most people of a group share, so an organiser sees at a glance
/// when a session for them could take place.
///
/// A person shares a range when one of their windows holds all of it: the rule matching applies
/// to a meeting (`WeeklyWindow.contains`). Candidate ranges start where someone's window starts
/// and end where someone's window ends; for each start, sweeping the starts in order, every
/// person's latest end among the windows begun so far says which ends they reach, so all
/// candidates of a day are counted in one pass.
public struct SharedWindows: Sendable {
    /// Ranges shorter than this are not worth a session.
    public let minimumMinutes: Int

    /// Creates a finder for ranges of at least `minimumMinutes`.
    public init(minimumMinutes: Int = 60) {
        self.minimumMinutes = minimumMinutes
    }

    private struct Candidate {
        var weekday: Int
        var start: Int
        var end: Int
        var people: Int

        /// More people first, then longer, then earlier in the week.
        func isBetter(than other: Candidate) -> Bool {
            if people != other.people { return people > other.people }
            if end - start != other.end - other.start { return end - start > other.end - other.start }
            return (weekday, start) < (other.weekday, other.start)
        }

        func overlaps(_ other: Candidate) -> Bool {
            weekday == other.weekday && start < other.end && other.start < end
        }
    }

    /// The best `limit` ranges that do not overlap one another, each as a window: the most people
    /// first, then the longest, then the earliest in the week. `availability` holds each person's
    /// windows.
    public func best(_ availability: [[WeeklyWindow]], limit: Int = 3) -> [WeeklyWindow] {
        var candidates: [Candidate] = []
        var latestEnd = [Int](repeating: -1, count: availability.count)
        for weekday in 1...7 {
            var entries: [(start: Int, end: Int, person: Int)] = []
            for (person, windows) in availability.enumerated() {
                for window in windows where window.weekday == weekday {
                    entries.append((window.startMinute, window.endMinute, person))
                }
            }
            guard !entries.isEmpty else { continue }
            entries.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            let ends = Array(Set(entries.map(\.end))).sorted()
            var endIndex: [Int: Int] = [:]
            for (index, end) in ends.enumerated() { endIndex[end] = index }
            // reaching[k]: people whose latest end so far is ends[k].
            var reaching = [Int](repeating: 0, count: ends.count)
            var next = 0
            while next < entries.count {
                let start = entries[next].start
                while next < entries.count, entries[next].start == start {
                    let entry = entries[next]
                    let old = latestEnd[entry.person]
                    if entry.end > old {
                        if old >= 0 { reaching[endIndex[old]!] -= 1 }
                        reaching[endIndex[entry.end]!] += 1
                        latestEnd[entry.person] = entry.end
                    }
                    next += 1
                }
                var people = 0
                for index in stride(from: ends.count - 1, through: 0, by: -1) where ends[index] - start >= minimumMinutes {
                    people += reaching[index]
                    // An end nobody stops at counts the same people as the longer range after it.
                    if reaching[index] > 0 {
                        candidates.append(Candidate(weekday: weekday, start: start, end: ends[index], people: people))
                    }
                }
            }
            for entry in entries { latestEnd[entry.person] = -1 }
        }
        var chosen: [Candidate] = []
        while chosen.count < limit {
            var best: Candidate?
            for candidate in candidates where !chosen.contains(where: candidate.overlaps) {
                if best.map(candidate.isBetter) ?? true { best = candidate }
            }
            guard let best else { break }
            chosen.append(best)
        }
        return chosen.map { WeeklyWindow(weekday: $0.weekday, startMinute: $0.start, endMinute: $0.end) }
    }
}
