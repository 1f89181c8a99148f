import Foundation
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

struct MatchingServiceTests {
    static let header = "email,name,sector,targets,region,languages,availability,available_from,available_until,status\n"

    /// A fixture with one Tuesday-evening online zorg session (id 1, 2 seats) unless told otherwise.
    func fixture(workers: String, capacity: Int = 2) async throws -> ServiceFixture {
        let fixture = try await ServiceFixture()
        var options = SessionOptions.fixture()
        options.capacity = capacity
        _ = try await fixture.service.createSession(options)
        let file = try fixture.directory.write("w.csv", Self.header + workers)
        _ = try await fixture.service.importWorkers(path: file, dryRun: false)
        return fixture
    }

    func reasons(_ report: OverstapService.MatchingReport) -> [String: String] {
        Dictionary(uniqueKeysWithValues: report.outcome.unplaced.map { (report.run.workers[$0.worker].email, $0.reason.rawValue) })
    }

    /// Rule 4 checks the dates before the weekly windows, so a worker failing both is out of range.
    @Test func eachRuleExcludesWithItsOwnReason() async throws {
        let fixture = try await fixture(workers: """
            ok@example.org,Ok,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed
            sector@example.org,S,horeca,ict,midden-utrecht,nl,di 18:00-22:00,,,unemployed
            language@example.org,L,horeca,zorg,midden-utrecht,en,di 18:00-22:00,,,unemployed
            time@example.org,T,horeca,zorg,midden-utrecht,nl,di 09:00-17:00,,,unemployed
            dates@example.org,D,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,2027-03-01,,unemployed
            both@example.org,B,horeca,zorg,midden-utrecht,nl,di 09:00-17:00,2027-03-01,,unemployed

            """, capacity: 5)
        let report = try await fixture.service.match(.init(), commit: false)
        #expect(report.outcome.assignments.map { report.run.workers[$0.worker].email } == ["ok@example.org"])
        #expect(reasons(report) == [
            "sector@example.org": "sector", "language@example.org": "language", "time@example.org": "availability",
            "dates@example.org": "date_range", "both@example.org": "date_range",
        ])
    }

    @Test func onSiteSessionsOnlyTakeTheirRegionAndOnlineTakesAll() async throws {
        let fixture = try await fixture(workers: """
            near@example.org,N,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed
            far@example.org,F,horeca,zorg,twente,nl,di 18:00-22:00,,,unemployed

            """)
        #expect(try await fixture.service.match(.init(), commit: false).outcome.assignments.count == 2)
        var onSite = SessionOptions()
        onSite.location = "Utrecht"
        _ = try await fixture.service.updateSession(id: 1, onSite)
        let report = try await fixture.service.match(.init(), commit: false)
        #expect(reasons(report) == ["far@example.org": "region"])
    }

    @Test func unemployedComeFirstThenThoseWhoWaitedLongest() async throws {
        let fixture = try await fixture(workers: """
            risk@example.org,R,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,at_risk
            jobless@example.org,J,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed

            """, capacity: 1)
        let report = try await fixture.service.match(.init(), commit: false)
        #expect(report.outcome.assignments.map { report.run.workers[$0.worker].email } == ["jobless@example.org"])
        #expect(reasons(report) == ["risk@example.org": "outranked"])
        #expect(report.outcome.objective.vector.prefix(2) == [1, 0])
    }

    @Test func committedPlacementsHoldSeatsAndAreNeverMovedOrRepeated() async throws {
        let fixture = try await fixture(workers: """
            a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed
            b@example.org,B,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed
            c@example.org,C,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed

            """)
        let first = try await fixture.service.match(.init(), commit: true)
        #expect(first.committed && first.outcome.assignments.count == 2)
        #expect(try await fixture.service.session(id: 1).enrollments.map(\.enrollment.state) == [.selected, .selected])
        let second = try await fixture.service.match(.init(), commit: true)
        #expect(second.outcome.assignments.isEmpty)
        #expect(try await fixture.service.session(id: 1).session.seatsTaken == 2)
        #expect(second.run.openSessions.isEmpty)
    }

    @Test func aDeclineIsRespectedAndTheLimitOfUpcomingSessionsHolds() async throws {
        let fixture = try await fixture(workers: """
            a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00|wo 18:00-22:00,,,unemployed

            """)
        var second = SessionOptions.fixture()
        second.start = "2027-02-03 19:00"
        _ = try await fixture.service.createSession(second)
        let worker = try #require(try await fixture.service.workers().first?.id)
        try await fixture.service.store.write { tx in try await tx.enroll(sessionID: 1, workerID: worker, as: .declined, now: ServiceFixture.now) }
        let report = try await fixture.service.match(.init(), commit: true)
        #expect(report.outcome.assignments.map { report.run.sessions[$0.session].id } == [2])
        let again = try await fixture.service.match(.init(sessionIDs: [1]), commit: false)
        #expect(reasons(again) == ["a@example.org": "max_sessions"])
        let explanation = try await fixture.service.explainMatch(email: "A@example.org", scope: .init())
        #expect(explanation.verdicts.map(\.verdict) == [.excluded(.alreadyEnrolled), .excluded(.alreadyEnrolled)])
    }

    @Test func aSeriesAcrossTheSpringSwitchStaysInsideAnEveningWindow() async throws {
        let fixture = try await ServiceFixture()
        var series = SessionOptions.fixture()
        series.start = "2027-03-16 19:00"
        series.repeatRule = "FREQ=WEEKLY;COUNT=6"
        _ = try await fixture.service.createSession(series)
        let file = try fixture.directory.write("w.csv", Self.header + """
            evening@example.org,E,horeca,zorg,midden-utrecht,nl,di 19:00-20:30,,,unemployed
            early@example.org,V,horeca,zorg,midden-utrecht,nl,di 18:00-20:00,,,unemployed

            """)
        _ = try await fixture.service.importWorkers(path: file, dryRun: false)
        let report = try await fixture.service.match(.init(), commit: false)
        #expect(report.outcome.assignments.map { report.run.workers[$0.worker].email } == ["evening@example.org"])
        #expect(reasons(report) == ["early@example.org": "availability"])
    }

    @Test func theSameDatabaseGivesTheSameAssignment() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.service.seedDemo()
        let first = try await fixture.service.match(.init(), commit: false)
        let second = try await fixture.service.match(.init(), commit: false)
        #expect(first.outcome.assignments.map { [$0.worker, $0.session] } == second.outcome.assignments.map { [$0.worker, $0.session] })
        #expect(first.outcome.objective == second.outcome.objective)
        #expect(first.outcome.assignments.count > 20)
    }

    @Test func explainingAnOutrankedWorkerNamesTheDecidingLevel() async throws {
        let fixture = try await fixture(workers: """
            risk@example.org,R,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,at_risk
            jobless@example.org,J,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,,,unemployed

            """, capacity: 1)
        let explanation = try await fixture.service.explainMatch(email: "risk@example.org", scope: .init())
        #expect(explanation.verdicts.map(\.verdict) == [.decided(.unemployedPlaced)])
        await #expect(throws: NotFoundError.self) { try await fixture.service.explainMatch(email: "nobody@example.org", scope: .init()) }
    }
}
