import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

@testable import OverstapService

/// The report counts how far an enrollment got, even when a later state hides it.
struct ReportMilestoneTests {
    @Test func someoneWhoAcceptedAndWasThenTakenOutStillCountsAsInvitedAnsweredAndAccepted() async throws {
        let fixture = try await ServiceFixture()
        let service = fixture.service
        let session = try await service.createSession(SessionOptions.fixture()).id
        _ = try await service.importWorkers(path: try fixture.directory.write("w.csv", ServiceFixture.csvHeader + """
            a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed
            b@example.org,B,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed

            """), dryRun: false)
        let ids = try await service.workers().compactMap(\.id)
        let paths: [[EnrollmentEvent]] = [
            [.placedByOrganiser(override: nil), .invited, .answered(.tentative), .answered(.accept), .removedByOrganiser],
            [.placedByOrganiser(override: nil), .removedByOrganiser],
        ]
        for (worker, events) in zip(ids, paths) {
            try await service.store.write { tx in
                for event in events {
                    let current = try await tx.enrollment(sessionID: session, workerID: worker)
                    try await service.applyLifecycle(event, sessionID: session, workerID: worker, from: current, tx)
                }
            }
        }

        let report = try await service.report(period: "2027-Q1", region: nil)

        #expect(report.funnel.map(\.figure.value) == [2, 2, 1, 1, 1, 0, 0])
        #expect(report.sessions.map(\.invited.value) == [1])
        #expect(report.sessions.map(\.answered.value) == [1])
        #expect(report.sessions.map(\.taken.value) == [0], "nobody holds a seat any more")
    }
}
