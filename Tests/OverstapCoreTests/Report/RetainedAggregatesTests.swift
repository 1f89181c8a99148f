import TestRandom
import Testing

@testable import OverstapCore

/// People erased by retention leave their part of the report as aggregates: on generated regions,
/// the report of the live people plus the aggregates equals the report before the erasure.
struct RetainedAggregatesTests {
    /// The input of some people only: them, their enrollments and outcomes, and every session.
    static func only(_ ids: Set<Int64>, of input: ReportInput) -> ReportInput {
        ReportInput(
            persons: input.persons.filter { ids.contains($0.id) }, sessions: input.sessions,
            enrollments: input.enrollments.filter { ids.contains($0.workerID) }, outcomes: input.outcomes.filter { ids.contains($0.workerID) },
            partnerNames: input.partnerNames, sectorOrder: input.sectorOrder)
    }

    @Test(arguments: 1...40 as ClosedRange<UInt64>)
    func theReportIsTheSameAfterSomePeopleBecameAggregates(seed: UInt64) {
        let input = OutcomeReportTests.region(seed: seed)
        var random = SeededRandom(seed: seed &+ 1000)
        let ids = input.persons.map(\.id)
        // Erased in two runs, as the daemon would over two days; the rest stays.
        let firstRun = Set(ids.filter { _ in random.next(3) == 0 })
        let secondRun = Set(ids.filter { !firstRun.contains($0) && random.next(3) == 0 })
        let kept = Set(ids).subtracting(firstRun).subtracting(secondRun)
        let first = RetainedAggregates.of(Self.only(firstRun, of: input))
        let second = RetainedAggregates.of(Self.only(secondRun, of: input))
        var after = Self.only(kept, of: input)
        after.retainedPeople = first.people + second.people
        after.retainedEnrollments = first.enrollments + second.enrollments
        #expect(first.people.reduce(0) { $0 + $1.people } == firstRun.count, "seed \(seed)")
        for period in ["2026-12", "2027-Q1", "2027", "2027-02", "2027-Q2"].compactMap(ReportPeriod.init) {
            for region in [nil, "amsterdam", "midden-utrecht"] {
                for minCell in [3, 5] {
                    let before = OutcomeReport.build(input, period: period, region: region, minCell: minCell)
                    let now = OutcomeReport.build(after, period: period, region: region, minCell: minCell)
                    #expect(now == before, "seed \(seed), \(period.label), region \(region ?? "all"), min_cell \(minCell)")
                }
            }
        }
    }

    @Test func theAggregatesNameNoPerson() {
        let input = OutcomeReportTests.region(seed: 7)
        let retained = RetainedAggregates.of(input)
        #expect(retained.people.reduce(0) { $0 + $1.people } == input.persons.count)
        #expect(retained.enrollments.reduce(0) { $0 + $1.enrollments } == input.enrollments.count)
        #expect(retained.people.allSatisfy { $0.month.day == 1 }, "a month, not the day of a session or an import")
    }
}
