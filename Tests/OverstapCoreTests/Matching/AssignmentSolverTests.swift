@testable import OverstapCore
import Testing

/// Fixed cases with known answers.
struct AssignmentSolverTests {
    @Test func greedyBySessionRankLosesAnUnemployedPlacement() {
        // Greedy would give the early session to the longest waiting worker and leave the other out.
        let problem = MatchingProblem(
            workers: [MatchingWorker(status: .unemployed, priority: 0), MatchingWorker(status: .unemployed, priority: 1)],
            sessions: [MatchingSession(freeSeats: 1, startRank: 0), MatchingSession(freeSeats: 1, startRank: 1)],
            pairs: [
                MatchingPair(worker: 0, session: 0, tailored: false),
                MatchingPair(worker: 0, session: 1, tailored: false),
                MatchingPair(worker: 1, session: 0, tailored: false),
            ]
        )
        let result = problem.solve()
        #expect(result.session(of: 0) == 1)
        #expect(result.session(of: 1) == 0)
        #expect(result.objective.vector == [2, 0, 0, 1, 1])
    }

    @Test func sameInputGivesIdenticalOutput() {
        let (workers, sessions, pairs) = AssignmentPropertyTests.instance(seed: 7)
        let first = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        let second = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        let reordered = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs.reversed()).solve()
        #expect(first.placements == second.placements)
        #expect(first.objective == second.objective)
        #expect(first.placements == reordered.placements)
    }

    @Test func emptyInputs() {
        let nothing = MatchingProblem(workers: [], sessions: []).solve()
        #expect(nothing.placements.isEmpty)
        #expect(nothing.objective == .zero)

        let noPairs = MatchingProblem(
            workers: [MatchingWorker(status: .unemployed, priority: 0)],
            sessions: [MatchingSession(freeSeats: 3, startRank: 0)]
        ).solve()
        #expect(noPairs.session(of: 0) == nil)
        #expect(noPairs.objective == .zero)
        #expect(noPairs.explain(worker: 0, session: 0) == .notEligible)
    }

    @Test func sessionWithoutFreeSeatsTakesNobody() {
        let problem = MatchingProblem(
            workers: [MatchingWorker(status: .unemployed, priority: 0), MatchingWorker(status: .atRisk, priority: 1)],
            sessions: [MatchingSession(freeSeats: 0, startRank: 0), MatchingSession(freeSeats: 1, startRank: 1)],
            pairs: [
                MatchingPair(worker: 0, session: 0, tailored: true),
                MatchingPair(worker: 1, session: 0, tailored: true),
                MatchingPair(worker: 1, session: 1, tailored: false),
            ]
        )
        let result = problem.solve()
        #expect(result.session(of: 0) == nil)
        #expect(result.session(of: 1) == 1)
        #expect(result.explain(worker: 0, session: 0) == .noSeats)
        #expect(result.decidingLevel(worker: 0, session: 0) == nil)
    }

    @Test func identicalProfilesArePlacedByPriority() {
        let priorities = [4, 0, 3, 1, 2]
        let workers = priorities.map { MatchingWorker(status: .atRisk, priority: $0) }
        let sessions = [MatchingSession(freeSeats: 1, startRank: 0), MatchingSession(freeSeats: 1, startRank: 1)]
        let pairs = workers.indices.flatMap { worker in
            sessions.indices.map { MatchingPair(worker: worker, session: $0, tailored: false) }
        }
        let result = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        #expect(result.profileCount == 1)
        // The two who waited longest are placed, the longest waiting in the earliest session.
        #expect(result.session(of: 1) == 0)
        #expect(result.session(of: 3) == 1)
        #expect([0, 2, 4].allSatisfy { result.session(of: $0) == nil })
        #expect(result.objective.vector == [0, 2, 0, 1, 1])
    }

    @Test func levelWeightsRestOnTheWidestGapBetweenTwoSelections() {
        // Two of 1, 3, 3, 5: at most 5 + 3, at least 1 + 3.
        #expect(LevelWeights.spread([(1, 1), (5, 1), (3, 2)], taking: 2) == 4)
        #expect(LevelWeights.spread([(7, 3)], taking: 2) == 0)
        // Taking everything leaves no choice.
        #expect(LevelWeights.spread([(0, 1), (9, 1)], taking: 5) == 0)
    }

    @Test func whenEverySeatFillsTailoringStillOutweighsWaiting() {
        // Two seats, three workers at risk: whoever is placed, both seats fill, so start ranks
        // cannot differ. The tailored worker beats the one who waited longest.
        let workers = [0, 1, 2].map { MatchingWorker(status: .atRisk, priority: $0) }
        let sessions = [MatchingSession(freeSeats: 1, startRank: 0), MatchingSession(freeSeats: 1, startRank: 7)]
        let pairs = [
            MatchingPair(worker: 0, session: 0, tailored: false), MatchingPair(worker: 1, session: 0, tailored: false),
            MatchingPair(worker: 1, session: 1, tailored: false), MatchingPair(worker: 2, session: 1, tailored: true),
        ]
        let result = MatchingProblem(workers: workers, sessions: sessions, pairs: pairs).solve()
        #expect(result.session(of: 2) == 1)
        #expect(result.session(of: 0) == 0)
        #expect(result.session(of: 1) == nil)
        #expect(result.objective.vector == [0, 2, 1, 7, 2])
    }
}
