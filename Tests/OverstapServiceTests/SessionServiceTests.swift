import Foundation
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

struct SessionServiceTests {
    @Test func aNewSessionGetsAStableUIDAtTheOrganisersDomain() async throws {
        let fixture = try await ServiceFixture()
        let stored = try await fixture.service.createSession(SessionOptions.fixture())
        #expect(stored.session.uid.hasSuffix("@example.org"))
        #expect(stored.session.sequence == 0)
        #expect(stored.session.region == "midden-utrecht")
        #expect(stored.startsAt == Date(timeIntervalSince1970: 1_801_591_200))  // 2027-02-02T18:00:00Z
    }

    @Test func changesParticipantsSeeRaiseTheSequenceAndOthersDoNot() async throws {
        let fixture = try await ServiceFixture()
        let id = try await fixture.service.createSession(SessionOptions.fixture()).id
        var capacity = SessionOptions()
        capacity.capacity = 30
        #expect(try await fixture.service.updateSession(id: id, capacity).session.sequence == 0)
        var moved = SessionOptions()
        moved.start = "2027-02-03 19:00"
        let after = try await fixture.service.updateSession(id: id, moved)
        #expect(after.session.sequence == 1)
        #expect(after.session.durationMinutes == 90)
        #expect(after.session.uid == (try await fixture.service.session(id: id).session.session.uid))
    }

    @Test func movingASessionKeepsEnrollmentsAndCancellingEndsThem() async throws {
        let fixture = try await ServiceFixture()
        let id = try await fixture.service.createSession(SessionOptions.fixture()).id
        let csv = try fixture.directory.write(
            "w.csv", ServiceFixture.csvHeader + "a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
                + "b@example.org,B,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk\n")
        _ = try await fixture.service.importWorkers(path: csv, dryRun: false)
        let workers = try await fixture.service.workers()
        try await fixture.service.store.write { tx in
            try await tx.enroll(sessionID: id, workerID: workers[0].id!, as: .accepted, now: ServiceFixture.now)
            try await tx.enroll(sessionID: id, workerID: workers[1].id!, as: .declined, now: ServiceFixture.now)
        }
        #expect(try await fixture.service.session(id: id).session.seatsTaken == 1)
        var moved = SessionOptions()
        moved.location = "Utrecht"
        moved.online = nil
        _ = try await fixture.service.updateSession(id: id, moved)
        #expect(try await fixture.service.session(id: id).enrollments.map(\.enrollment.state) == [.accepted, .declined])
        let cancelled = try await fixture.service.cancelSession(id: id, reason: "Te weinig aanmeldingen")
        #expect(cancelled.session.status == .cancelled && cancelled.session.sequence == 2)
        #expect(try await fixture.service.session(id: id).enrollments.map(\.enrollment.state) == [.cancelled, .cancelled])
        await #expect(throws: InputError.self) { try await fixture.service.cancelSession(id: id, reason: nil) }
        await #expect(throws: InputError.self) { try await fixture.service.updateSession(id: id, moved) }
    }

    @Test func aRefusedSessionWritesNothing() async throws {
        let fixture = try await ServiceFixture()
        var options = SessionOptions.fixture()
        options.start = "2027-03-28 02:30"
        await #expect(throws: InputErrors.self) { try await fixture.service.createSession(options) }
        options = SessionOptions.fixture()
        options.partners = ["roc", "unknown-school"]
        await #expect(throws: InputErrors.self) { try await fixture.service.createSession(options) }
        #expect(try await fixture.service.sessions(SessionFilter()).isEmpty)
    }

    @Test func unknownSessionsAndPartnersSayHowToFindValidOnes() async throws {
        let fixture = try await ServiceFixture()
        await #expect { try await fixture.service.session(id: 99) } throws: { "\($0)".contains("overstap session list") }
        await #expect { try await fixture.service.partner(slug: "nope") } throws: { "\($0)".contains("overstap partner list") }
    }
}

struct WorkerServiceTests {
    @Test func aBadFileImportsNothingEvenWhenMostRowsAreFine() async throws {
        let fixture = try await ServiceFixture()
        let good = (1...50).map { "w\($0)@example.org,W,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n" }.joined()
        let file = try fixture.directory.write("w.csv", ServiceFixture.csvHeader + good + "broken,W,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n")
        await #expect { try await fixture.service.importWorkers(path: file, dryRun: false) } throws: { "\($0)".contains("w.csv:52: email") }
        #expect(try await fixture.service.workers().isEmpty)
    }

    @Test func reimportUpdatesByAddressIgnoringCaseAndKeepsImportOrder() async throws {
        let fixture = try await ServiceFixture()
        let first = try fixture.directory.write(
            "1.csv", ServiceFixture.csvHeader + "a@example.org,A,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
                + "b@example.org,B,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n")
        let second = try fixture.directory.write(
            "2.csv", ServiceFixture.csvHeader + "c@example.org,C,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
                + "A@EXAMPLE.ORG,Anna,horeca,ict,midden-utrecht,nl,wo 18:00-22:00,at_risk\n")
        #expect(try await fixture.service.importWorkers(path: first, dryRun: false) == .init(rows: 2, inserted: 2, updated: 0, dryRun: false))
        #expect(try await fixture.service.importWorkers(path: second, dryRun: true) == .init(rows: 2, inserted: 1, updated: 1, dryRun: true))
        #expect(try await fixture.service.workers().count == 2)
        #expect(try await fixture.service.importWorkers(path: second, dryRun: false) == .init(rows: 2, inserted: 1, updated: 1, dryRun: false))
        let workers = try await fixture.service.workers()
        #expect(workers.map(\.name) == ["Anna", "B", "C"])
        #expect(workers[0].targets == ["ict"] && workers[0].status == .atRisk)
    }

    @Test func aMissingFileIsAClearError() async throws {
        let fixture = try await ServiceFixture()
        await #expect { try await fixture.service.importWorkers(path: "/nonexistent/w.csv", dryRun: false) } throws: {
            "\($0)".contains("/nonexistent/w.csv: cannot open the file")
        }
    }

    @Test func theDemoIsIdempotent() async throws {
        let fixture = try await ServiceFixture()
        let first = try await fixture.service.seedDemo()
        #expect(first.partnersAdded == 4 && first.sessionsAdded == 6 && first.workersAdded == 300)
        let second = try await fixture.service.seedDemo()
        #expect(second.partnersAdded == 0 && second.sessionsAdded == 0 && second.workersAdded == 0)
    }
}
