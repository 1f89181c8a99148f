import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

struct StoreDiskTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    @Test func writesGoThroughTheWriteAheadLog() throws {
        try fixture.store.write { try $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        #expect(FileManager.default.fileExists(atPath: fixture.store.path + "-wal"))
    }

    @Test func anErasedWorkerIsGoneFromTheDatabaseFileAndItsLog() throws {
        let address = "zebedeus.q7x@vergeet-mij.example"
        let name = "Zebedeus Qwerty"
        try fixture.store.write { tx in
            try tx.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now)
            _ = try tx.upsert(
                [StoreFixture.worker("anouk@example.nl"), StoreFixture.worker(address, name: name), StoreFixture.worker("daan@example.nl")],
                now: StoreFixture.now)
        }
        let session = try fixture.insert(StoreFixture.session("Zorg"))
        let id = try fixture.workerID(address)
        try fixture.store.write { try $0.enroll(sessionID: session, workerID: id, as: .accepted, now: StoreFixture.now) }
        #expect(fixture.filesContain(address), "the byte search must see the address before erasure")

        try fixture.store.write { try $0.deleteWorker(id: id) }
        #expect(fixture.filesContain(address), "until the purge, the log still holds the old pages")
        try fixture.store.purgeErasedData()

        #expect(!fixture.filesContain(address))
        #expect(!fixture.filesContain(name))
        #expect(fixture.filesContain("anouk@example.nl"), "other people's rows stay")
    }

    @Test func openingTheSameFileAgainKeepsSchemaAndData() throws {
        try fixture.store.write { try $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        let second = try SQLiteStore(path: fixture.store.path)
        #expect(try second.read { try $0.partners() }.map(\.slug) == ["roc-midden"])
        try second.write { try $0.insert(StoreFixture.partner("techniekcollege"), now: StoreFixture.now) }
        let third = try SQLiteStore(path: fixture.store.path)
        #expect(try third.read { try $0.partners() }.map(\.slug) == ["roc-midden", "techniekcollege"])
    }

    @Test func aFileThatIsNotADatabaseIsRefusedWithItsPath() throws {
        let path = try fixture.directory.write("notes.sqlite", String(repeating: "not a database\n", count: 100))
        #expect {
            try SQLiteStore(path: path)
        } throws: { error in
            (error as? StoreOpenError)?.path == path
        }
    }
}

struct StoreRoundTripTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    @Test func partnersComeBackAsStoredOrderedBySlug() throws {
        let school = StoreFixture.partner("techniekcollege")
        let uwv = Partner(slug: "uwv-utrecht", name: "UWV", email: "wsp@uwv.example.org", kind: .uwv, region: nil)
        let roc = StoreFixture.partner("roc-midden")
        try fixture.store.write { tx in
            for partner in [school, uwv, roc] { try tx.insert(partner, now: StoreFixture.now) }
        }
        #expect(try fixture.store.read { try $0.partners() } == [roc, school, uwv])
        #expect(try fixture.store.read { try $0.partner(slug: "uwv-utrecht") } == uwv)
        #expect(try fixture.store.read { try $0.partner(slug: "nobody") } == nil)
    }

    @Test func aSessionComesBackAsStoredWithItsPartnersInOrder() throws {
        try fixture.store.write { tx in
            for slug in ["roc-midden", "techniekcollege"] { try tx.insert(StoreFixture.partner(slug), now: StoreFixture.now) }
        }
        var session = StoreFixture.session("Zorg", partners: ["techniekcollege", "roc-midden"])
        session.recurrence = "FREQ=WEEKLY;COUNT=6"
        let id = try fixture.insert(session)
        session.id = id

        let stored = try #require(try fixture.store.read { try $0.session(id: id) })
        #expect(stored.session == session)
        #expect(stored.startsAt == StoreFixture.span().start)
        #expect(stored.endsAt == StoreFixture.span().end)
        #expect(stored.seatsTaken == 0)
    }

    @Test func anUpdatedSessionReplacesTheOldOne() throws {
        try fixture.store.write { tx in
            for slug in ["roc-midden", "techniekcollege"] { try tx.insert(StoreFixture.partner(slug), now: StoreFixture.now) }
        }
        var session = StoreFixture.session("Zorg")
        session.id = try fixture.insert(session)
        session.title = "Zorg en welzijn"
        session.venue = .onSite("ROC, Australiëlaan 25, Utrecht")
        session.partners = ["techniekcollege", "roc-midden"]
        session.status = .cancelled
        session.cancelReason = "Te weinig aanmeldingen"
        session.sequence = 2
        let moved = StoreFixture.span(day: 3)
        try fixture.store.write { try $0.update(session, startsAt: moved.start, endsAt: moved.end) }

        let stored = try #require(try fixture.store.read { try $0.session(id: session.id ?? 0) })
        #expect(stored.session == session)
        #expect(stored.startsAt == moved.start)
        #expect(try fixture.store.read { try $0.sessions(SessionFilter()) }.count == 1)
    }

    @Test func aWorkerComesBackAsStoredFoundByAddressInAnyCase() throws {
        var worker = StoreFixture.worker("Anouk.de.Vries@Example.nl")
        try fixture.store.write { _ = try $0.upsert([worker], now: StoreFixture.now) }
        worker.id = try fixture.workerID("anouk.de.vries@example.nl")
        worker.waitingSince = StoreFixture.now
        #expect(try fixture.store.read { try $0.worker(email: "ANOUK.DE.VRIES@EXAMPLE.NL") } == worker)
        #expect(try fixture.store.read { try $0.workers() } == [worker])
        #expect(try fixture.store.read { try $0.workerCount() } == 1)
    }

    @Test func anUpsertUpdatesKnownAddressesAndKeepsTheFirstImportOrder() throws {
        let first = try fixture.store.write {
            try $0.upsert([StoreFixture.worker("a@example.nl", name: "A"), StoreFixture.worker("b@example.nl", name: "B")], now: StoreFixture.now)
        }
        #expect((first.inserted, first.updated) == (2, 0))
        let second = try fixture.store.write {
            try $0.upsert(
                [StoreFixture.worker("c@example.nl", name: "C"), StoreFixture.worker("B@EXAMPLE.NL", name: "B2"),
                 StoreFixture.worker("a@example.nl", name: "A2")],
                now: StoreFixture.now.addingTimeInterval(3600))
        }
        #expect((second.inserted, second.updated) == (1, 2))
        let workers = try fixture.store.read { try $0.workers() }
        #expect(workers.map(\.name) == ["A2", "B2", "C"])
        #expect(workers.map(\.email) == ["a@example.nl", "B@EXAMPLE.NL", "c@example.nl"], "the latest spelling is kept")
    }
}

struct StoreTransactionTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    /// An error thrown halfway through a write.
    struct Interrupted: Error {}

    @Test func aWriteThatThrowsLeavesNothingBehind() throws {
        try fixture.store.write { try $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        #expect(throws: Interrupted.self) {
            try fixture.store.write { tx in
                try tx.insert(StoreFixture.partner("techniekcollege"), now: StoreFixture.now)
                _ = try tx.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now)
                let span = StoreFixture.span()
                _ = try tx.insert(StoreFixture.session("Zorg"), startsAt: span.start, endsAt: span.end, now: StoreFixture.now)
                #expect(try tx.workerCount() == 1, "the transaction sees its own writes")
                throw Interrupted()
            }
        }
        #expect(try fixture.store.read { try $0.partners() }.map(\.slug) == ["roc-midden"])
        #expect(try fixture.store.read { try $0.workerCount() } == 0)
        #expect(try fixture.store.read { try $0.sessions(SessionFilter()) }.isEmpty)
    }
}

struct StoreSessionQueryTests {
    let fixture: StoreFixture
    let utrecht: Int64
    let twente: Int64
    let joint: Int64

    init() throws {
        fixture = try StoreFixture()
        try fixture.store.write { tx in
            try tx.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now)
            try tx.insert(StoreFixture.partner("techniekcollege", region: "twente"), now: StoreFixture.now)
        }
        twente = try fixture.insert(StoreFixture.session("Twente", partners: ["techniekcollege"], region: "twente", day: 9, month: 3), day: 9, month: 3)
        utrecht = try fixture.insert(StoreFixture.session("Utrecht"))
        joint = try fixture.insert(
            StoreFixture.session("Samen", partners: ["techniekcollege", "roc-midden"], day: 6, month: 4), day: 6, month: 4)
    }

    /// The ids of the sessions a filter lets through, in listed order.
    private func ids(_ filter: SessionFilter) throws -> [Int64] {
        try fixture.store.read { try $0.sessions(filter) }.map(\.id)
    }

    @Test func sessionsAreListedByStartAndFilteredByPartnerAndRegion() throws {
        #expect(try ids(SessionFilter()) == [utrecht, twente, joint])
        #expect(try ids(SessionFilter(partner: "roc-midden")) == [utrecht, joint])
        #expect(try ids(SessionFilter(partner: "techniekcollege", region: "midden-utrecht")) == [joint])
        #expect(try ids(SessionFilter(region: "twente")) == [twente])
        #expect(try ids(SessionFilter(partner: "nobody")).isEmpty)
    }

    @Test func timeFiltersCompareTheLastEndAndTheFirstStart() throws {
        let twenteStart = StoreFixture.span(day: 9, month: 3).start
        let twenteEnd = StoreFixture.span(day: 9, month: 3).end
        #expect(try ids(SessionFilter(from: twenteEnd)) == [twente, joint], "a session ending exactly then still counts")
        #expect(try ids(SessionFilter(from: twenteEnd.addingTimeInterval(1))) == [joint])
        #expect(try ids(SessionFilter(to: twenteStart)) == [utrecht], "a session starting exactly then does not")
        #expect(try ids(SessionFilter(from: twenteStart, to: twenteEnd)) == [twente])
    }

    @Test func seatsAreCountedForTheStatesThatHoldOne() throws {
        let emails = EnrollmentState.allCases.map { "\($0.rawValue)@example.nl" }
        try fixture.store.write { _ = try $0.upsert(emails.map { StoreFixture.worker($0) }, now: StoreFixture.now) }
        for (state, email) in zip(EnrollmentState.allCases, emails) {
            let worker = try fixture.workerID(email)
            try fixture.store.write { try $0.enroll(sessionID: utrecht, workerID: worker, as: state, now: StoreFixture.now) }
        }
        let seats = { try #require(try fixture.store.read { try $0.session(id: utrecht) }).seatsTaken }
        #expect(try seats() == 6, "everyone but declined and cancelled holds a seat")
        #expect(try fixture.store.read { try $0.session(id: twente) }?.seatsTaken == 0)

        let accepted = try fixture.workerID("accepted@example.nl")
        try fixture.store.write { try $0.change(sessionID: utrecht, workerID: accepted, through: [.answered(.decline)], now: StoreFixture.now) }
        #expect(try seats() == 5)
        let enrollments = try fixture.store.read { try $0.enrollments(sessionID: utrecht) }
        #expect(enrollments.count == EnrollmentState.allCases.count, "changing a state does not add a row")
        #expect(enrollments.first { $0.email == "accepted@example.nl" }?.enrollment.state == .declined)
    }

    @Test func aWorkersEnrollmentsComeWithTheirSessionsByStart() throws {
        try fixture.store.write { _ = try $0.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now) }
        let worker = try fixture.workerID("a@example.nl")
        try fixture.store.write { tx in
            try tx.enroll(sessionID: joint, workerID: worker, as: .invited, now: StoreFixture.now)
            try tx.enroll(sessionID: utrecht, workerID: worker, as: .accepted, now: StoreFixture.now)
        }
        let enrollments = try fixture.store.read { try $0.enrollments(workerID: worker) }
        #expect(enrollments.map(\.session.id) == [utrecht, joint])
        #expect(enrollments.map(\.enrollment.state) == [.accepted, .invited])
        #expect(enrollments.last?.session.session.partners == ["techniekcollege", "roc-midden"])
    }

    @Test func deletingAWorkerDeletesTheirEnrollmentsOnly() throws {
        try fixture.store.write {
            _ = try $0.upsert([StoreFixture.worker("a@example.nl"), StoreFixture.worker("b@example.nl")], now: StoreFixture.now)
        }
        let a = try fixture.workerID("a@example.nl")
        let b = try fixture.workerID("b@example.nl")
        try fixture.store.write { tx in
            for session in [utrecht, joint] {
                try tx.enroll(sessionID: session, workerID: a, as: .accepted, now: StoreFixture.now)
                try tx.enroll(sessionID: session, workerID: b, as: .invited, now: StoreFixture.now)
            }
        }
        try fixture.store.write { try $0.deleteWorker(id: a) }

        #expect(try fixture.store.read { try $0.worker(email: "a@example.nl") } == nil)
        #expect(try fixture.store.read { try $0.enrollments(workerID: a) }.isEmpty)
        #expect(try fixture.store.read { try $0.enrollments(sessionID: utrecht) }.map(\.email) == ["b@example.nl"])
        #expect(try fixture.store.read { try $0.session(id: joint) }?.seatsTaken == 1)
        #expect(try fixture.store.read { try $0.enrollments(workerID: b) }.count == 2)
    }
}

struct EnrollmentChangeStoreTests {
    @Test func theStoreRefusesAChangeDecidedFromAStateItNoLongerHolds() throws {
        let fixture = try StoreFixture()
        try fixture.store.write { try $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        let session = try fixture.insert(StoreFixture.session("Zorg"))
        try fixture.store.write { _ = try $0.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now) }
        let worker = try fixture.workerID("a@example.nl")
        let stale = try EnrollmentLifecycle.decide(.selectedByMatching, sessionID: session, workerID: worker, from: nil)
        try fixture.store.write { try $0.enroll(sessionID: session, workerID: worker, as: .accepted, now: StoreFixture.now) }

        #expect(throws: StaleEnrollmentChange.self) { try fixture.store.write { try $0.apply(stale.change, now: StoreFixture.now) } }
        let declineFromInvited = try EnrollmentLifecycle.decide(.answered(.decline), sessionID: session, workerID: worker, from: .invited)
        #expect(throws: StaleEnrollmentChange.self) {
            try fixture.store.write { try $0.apply(declineFromInvited.change, now: StoreFixture.now) }
        }
        #expect(try fixture.store.read { try $0.enrollment(sessionID: session, workerID: worker)?.state } == .accepted)
    }
}
