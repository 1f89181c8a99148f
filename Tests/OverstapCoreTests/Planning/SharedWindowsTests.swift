import OverstapCore
import TestRandom
import Testing

/// The weekly ranges a group shares: what a person counts for, overlap and length rules, and the
/// sweep checked against counting every candidate range one by one.
struct SharedWindowsTests {
    static func windows(_ texts: [String]) -> [[WeeklyWindow]] {
        texts.map { $0.split(separator: "|").compactMap(WeeklyWindow.parse) }
    }

    static func best(_ texts: [String]) -> [String] {
        SharedWindows().best(windows(texts)).map(\.description)
    }

    @Test func overlappingWindowsMeetInTheirCommonHour() {
        #expect(Self.best(["di 18:00-20:00", "di 18:00-20:00", "di 19:00-21:00", "di 19:00-21:00"]) == ["di 19:00-20:00"])
    }

    @Test func rangesUnderAnHourAreNotProposed() {
        #expect(Self.best(["di 19:00-19:45", "di 19:00-19:45"]).isEmpty)
        // Together only from 19:00 to 19:30: each window is an option, and the two overlap.
        #expect(Self.best(["di 18:00-19:30", "di 19:00-20:30"]) == ["di 18:00-19:30"])
        #expect(Self.best(["di 18:00-19:30", "di 18:30-20:00"]) == ["di 18:30-19:30"])
    }

    @Test func aPersonWithTwoWindowsOnADayCountsOnce() {
        let availability = Self.windows(["di 09:00-17:00|di 10:00-12:00", "di 10:00-12:00"])
        let best = SharedWindows().best(availability)
        #expect(best.map(\.description) == ["di 10:00-12:00"])
    }

    @Test func laterRangesOnTheSameDayMayNotOverlapEarlierOnes() {
        #expect(Self.best(["ma 09:00-12:00", "ma 09:00-12:00", "ma 13:00-15:00", "ma 09:00-15:00"])
            == ["ma 09:00-12:00", "ma 13:00-15:00"])
    }

    /// Every range from a window's start to a window's end, counted with matching's own rule.
    static func bruteForce(_ availability: [[WeeklyWindow]], limit: Int) -> [WeeklyWindow] {
        let all = availability.flatMap { $0 }
        var candidates: [(window: WeeklyWindow, people: Int)] = []
        for day in 1...7 {
            let starts = Set(all.filter { $0.weekday == day }.map(\.startMinute))
            let ends = Set(all.filter { $0.weekday == day }.map(\.endMinute))
            for start in starts {
                for end in ends where end - start >= 60 {
                    let range = WeeklyWindow(weekday: day, startMinute: start, endMinute: end)
                    let people = availability.count { windows in windows.contains { $0.contains(range) } }
                    if people > 0 { candidates.append((range, people)) }
                }
            }
        }
        candidates.sort { lhs, rhs in
            let left = (-lhs.people, -(lhs.window.endMinute - lhs.window.startMinute), lhs.window.weekday, lhs.window.startMinute)
            let right = (-rhs.people, -(rhs.window.endMinute - rhs.window.startMinute), rhs.window.weekday, rhs.window.startMinute)
            return left < right
        }
        var chosen: [WeeklyWindow] = []
        for candidate in candidates where chosen.count < limit {
            let range = candidate.window
            if chosen.contains(where: { $0.weekday == range.weekday && $0.startMinute < range.endMinute && range.startMinute < $0.endMinute }) {
                continue
            }
            chosen.append(range)
        }
        return chosen
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func theSweepFindsWhatCountingEveryRangeFinds(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let availability = (0..<(1 + random.next(30))).map { _ in
            (0..<(1 + random.next(3))).map { _ in
                let start = random.next(40) * 30
                return WeeklyWindow(weekday: 1 + random.next(3), startMinute: start, endMinute: min(1440, start + 30 * (1 + random.next(10))))
            }
        }
        #expect(SharedWindows().best(availability, limit: 3) == Self.bruteForce(availability, limit: 3), "seed \(seed)")
    }
}
