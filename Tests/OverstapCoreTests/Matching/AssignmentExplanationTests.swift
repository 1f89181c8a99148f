import OverstapCore
import Testing

/// Explanations on small cases whose deciding level is known.
struct AssignmentExplanationTests {
    private func solve(_ workers: [MatchingWorker], _ sessions: [MatchingSession], _ pairs: [(Int, Int, Bool)]) -> AssignmentResult {
        MatchingProblem(
            workers: workers,
            sessions: sessions,
            pairs: pairs.map { MatchingPair(worker: $0.0, session: $0.1, tailored: $0.2) }
        ).solve()
    }

    @Test func unemployedGoesFirst() {
        let result = solve(
            [MatchingWorker(status: .atRisk, priority: 0), MatchingWorker(status: .unemployed, priority: 1)],
            [MatchingSession(freeSeats: 1, startRank: 0)],
            [(0, 0, true), (1, 0, false)]
        )
        #expect(result.session(of: 1) == 0)
        #expect(result.decidingLevel(worker: 0, session: 0) == .unemployedPlaced)
        #expect(result.explain(worker: 0, session: 0) == .decided(
            level: .unemployedPlaced,
            objective: MatchingObjective(unemployedPlaced: 0, atRiskPlaced: 1, tailoredPlacements: 1, startRankSum: 0, prioritySum: 0)
        ))
        #expect(result.explain(worker: 1, session: 0) == .assigned)
    }

    @Test func atRiskPlacementBeatsTailoring() {
        // Worker 0 could take session 0 tailored, but then worker 1 (only eligible there) is left out.
        let result = solve(
            [MatchingWorker(status: .atRisk, priority: 0), MatchingWorker(status: .atRisk, priority: 1)],
            [MatchingSession(freeSeats: 1, startRank: 0), MatchingSession(freeSeats: 1, startRank: 1)],
            [(0, 0, true), (0, 1, false), (1, 0, false)]
        )
        #expect(result.session(of: 0) == 1)
        #expect(result.decidingLevel(worker: 0, session: 0) == .atRiskPlaced)
    }

    @Test func tailoredBeatsWaitingLonger() {
        let result = solve(
            [MatchingWorker(status: .unemployed, priority: 0), MatchingWorker(status: .unemployed, priority: 1)],
            [MatchingSession(freeSeats: 1, startRank: 0)],
            [(0, 0, false), (1, 0, true)]
        )
        #expect(result.session(of: 1) == 0)
        #expect(result.decidingLevel(worker: 0, session: 0) == .tailored)
    }

    @Test func earlierSessionWins() {
        let result = solve(
            [MatchingWorker(status: .unemployed, priority: 0)],
            [MatchingSession(freeSeats: 1, startRank: 5), MatchingSession(freeSeats: 1, startRank: 2)],
            [(0, 0, false), (0, 1, false)]
        )
        #expect(result.session(of: 0) == 1)
        #expect(result.explain(worker: 0, session: 0) == .decided(
            level: .startRank,
            objective: MatchingObjective(unemployedPlaced: 1, atRiskPlaced: 0, tailoredPlacements: 0, startRankSum: 5, prioritySum: 0)
        ))
    }

    @Test func longerWaitingWinsWithinOneProfile() {
        let result = solve(
            [MatchingWorker(status: .unemployed, priority: 3), MatchingWorker(status: .unemployed, priority: 1)],
            [MatchingSession(freeSeats: 1, startRank: 0)],
            [(0, 0, false), (1, 0, false)]
        )
        #expect(result.profileCount == 1)
        #expect(result.session(of: 1) == 0)
        #expect(result.explain(worker: 0, session: 0) == .decided(
            level: .priority,
            objective: MatchingObjective(unemployedPlaced: 1, atRiskPlaced: 0, tailoredPlacements: 0, startRankSum: 0, prioritySum: 3)
        ))
    }

    @Test func equalSessionsAreATie() {
        let result = solve(
            [MatchingWorker(status: .unemployed, priority: 0)],
            [MatchingSession(freeSeats: 1, startRank: 1), MatchingSession(freeSeats: 1, startRank: 1)],
            [(0, 0, false), (0, 1, false)]
        )
        let other = result.session(of: 0) == 0 ? 1 : 0
        #expect(result.explain(worker: 0, session: other) == .tie)
        #expect(result.decidingLevel(worker: 0, session: other) == nil)
    }

    @Test func displacementChainIsPriced() {
        // Putting worker 0 in session 0 pushes worker 1 to the later session 1: a loss on start rank.
        let result = solve(
            [MatchingWorker(status: .unemployed, priority: 0), MatchingWorker(status: .unemployed, priority: 1)],
            [MatchingSession(freeSeats: 1, startRank: 0), MatchingSession(freeSeats: 1, startRank: 4), MatchingSession(freeSeats: 1, startRank: 1)],
            [(0, 0, false), (0, 2, false), (1, 0, true), (1, 1, true)]
        )
        #expect(result.session(of: 0) == 2)
        #expect(result.session(of: 1) == 0)
        #expect(result.explain(worker: 0, session: 0) == .decided(
            level: .startRank,
            objective: MatchingObjective(unemployedPlaced: 2, atRiskPlaced: 0, tailoredPlacements: 1, startRankSum: 4, prioritySum: 1)
        ))
    }
}

/// Exclusion reasons compare in the order the rules are checked.
struct ExclusionReasonOrderTests {
    @Test func reasonsSortInTheOrderTheyAreDeclared() {
        #expect(ExclusionReason.allCases.sorted() == ExclusionReason.allCases)
        #expect(ExclusionReason.sector < .language)
        #expect(ExclusionReason.outranked < .noOpenSessions)
    }
}
