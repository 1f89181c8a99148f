import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

struct StoreDiskTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    @Test(.enabled(if: TestDatabase.isSQLite, "SQLite's write-ahead log"))
    func writesGoThroughTheWriteAheadLog() async throws {
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        #expect(FileManager.default.fileExists(atPath: try fixture.sqlite.path + "-wal"))
    }

    @Test func anErasedWorkerIsGoneFromTheDatabaseFileAndItsLog() async throws {
        let address = "zebedeus.q7x@vergeet-mij.example"
        let name = "Zebedeus Qwerty"
        try await fixture.store.write { tx in
            try await tx.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now)
            _ = try await tx.upsert(
                [StoreFixture.worker("anouk@example.nl"), StoreFixture.worker(address, name: name), StoreFixture.worker("daan@example.nl")],
                now: StoreFixture.now)
        }
        let session = try await fixture.insert(StoreFixture.session("Zorg"))
        let id = try await fixture.workerID(address)
        try await fixture.store.write { try await $0.enroll(sessionID: session, workerID: id, as: .accepted, now: StoreFixture.now) }
        #expect(try fixture.filesContain(address), "the byte search must see the address before erasure")

        try await fixture.store.write { try await $0.deleteWorker(id: id) }
        if TestDatabase.isSQLite {
            #expect(try fixture.filesContain(address), "until the purge, the log still holds the old pages")
        }
        try await fixture.store.purgeErasedData()

        #expect(try !fixture.filesContain(address))
        #expect(try !fixture.filesContain(name))
        #expect(try fixture.filesContain("anouk@example.nl"), "other people's rows stay")
    }

    @Test func openingTheSameFileAgainKeepsSchemaAndData() async throws {
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        let second = try fixture.database.openStore()
        #expect(try await second.read { try await $0.partners() }.map(\.slug) == ["roc-midden"])
        try await second.write { try await $0.insert(StoreFixture.partner("techniekcollege"), now: StoreFixture.now) }
        let third = try fixture.database.openStore()
        #expect(try await third.read { try await $0.partners() }.map(\.slug) == ["roc-midden", "techniekcollege"])
    }

    @Test(.enabled(if: TestDatabase.isSQLite, "a SQLite file"))
    func aFileThatIsNotADatabaseIsRefusedWithItsPath() throws {
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

    @Test func partnersComeBackAsStoredOrderedBySlug() async throws {
        let school = StoreFixture.partner("techniekcollege")
        let uwv = Partner(slug: "uwv-utrecht", name: "UWV", email: "wsp@uwv.example.org", kind: .uwv, region: nil)
        let roc = StoreFixture.partner("roc-midden")
        try await fixture.store.write { tx in
            for partner in [school, uwv, roc] { try await tx.insert(partner, now: StoreFixture.now) }
        }
        #expect(try await fixture.store.read { try await $0.partners() } == [roc, school, uwv])
        #expect(try await fixture.store.read { try await $0.partner(slug: "uwv-utrecht") } == uwv)
        #expect(try await fixture.store.read { try await $0.partner(slug: "nobody") } == nil)
    }

    @Test func aSessionComesBackAsStoredWithItsPartnersInOrder() async throws {
        try await fixture.store.write { tx in
            for slug in ["roc-midden", "techniekcollege"] { try await tx.insert(StoreFixture.partner(slug), now: StoreFixture.now) }
        }
        var session = StoreFixture.session("Zorg", partners: ["techniekcollege", "roc-midden"])
        session.recurrence = "FREQ=WEEKLY;COUNT=6"
        let id = try await fixture.insert(session)
        session.id = id

        let stored = try #require(try await fixture.store.read { try await $0.session(id: id) })
        #expect(stored.session == session)
        #expect(stored.startsAt == StoreFixture.span().start)
        #expect(stored.endsAt == StoreFixture.span().end)
        #expect(stored.seatsTaken == 0)
    }

    @Test func anUpdatedSessionReplacesTheOldOne() async throws {
        try await fixture.store.write { tx in
            for slug in ["roc-midden", "techniekcollege"] { try await tx.insert(StoreFixture.partner(slug), now: StoreFixture.now) }
        }
        var session = StoreFixture.session("Zorg")
        session.id = try await fixture.insert(session)
        session.title = "Zorg en welzijn"
        session.venue = .onSite("ROC, Australiëlaan 25, Utrecht")
        session.partners = ["techniekcollege", "roc-midden"]
        session.status = .cancelled
        session.cancelReason = "Te weinig aanmeldingen"
        session.sequence = 2
        let moved = StoreFixture.span(day: 3)
        try await fixture.store.write { try await $0.update(session, startsAt: moved.start, endsAt: moved.end) }

        let stored = try #require(try await fixture.store.read { try await $0.session(id: session.id ?? 0) })
        #expect(stored.session == session)
        #expect(stored.startsAt == moved.start)
        #expect(try await fixture.store.read { try await $0.sessions(SessionFilter()) }.count == 1)
    }

    @Test func aWorkerComesBackAsStoredFoundByAddressInAnyCase() async throws {
        var worker = StoreFixture.worker("Anouk.de.Vries@Example.nl")
        try await fixture.store.write { _ = try await $0.upsert([worker], now: StoreFixture.now) }
        worker.id = try await fixture.workerID("anouk.de.vries@example.nl")
        worker.waitingSince = StoreFixture.now
        #expect(try await fixture.store.read { try await $0.worker(email: "ANOUK.DE.VRIES@EXAMPLE.NL") } == worker)
        #expect(try await fixture.store.read { try await $0.workers() } == [worker])
        #expect(try await fixture.store.read { try await $0.workerCount() } == 1)
    }

    @Test func anUpsertUpdatesKnownAddressesAndKeepsTheFirstImportOrder() async throws {
        let first = try await fixture.store.write {
            try await $0.upsert([StoreFixture.worker("a@example.nl", name: "A"), StoreFixture.worker("b@example.nl", name: "B")], now: StoreFixture.now)
        }
        #expect((first.inserted, first.updated) == (2, 0))
        let second = try await fixture.store.write {
            try await $0.upsert(
                [StoreFixture.worker("c@example.nl", name: "C"), StoreFixture.worker("B@EXAMPLE.NL", name: "B2"),
                 StoreFixture.worker("a@example.nl", name: "A2")],
                now: StoreFixture.now.addingTimeInterval(3600))
        }
        #expect((second.inserted, second.updated) == (1, 2))
        let workers = try await fixture.store.read { try await $0.workers() }
        #expect(workers.map(\.name) == ["A2", "B2", "C"])
        #expect(workers.map(\.email) == ["a@example.nl", "B@EXAMPLE.NL", "c@example.nl"], "the latest spelling is kept")
    }
}

struct StoreTransactionTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    /// An error thrown halfway through a write.
    struct Interrupted: Error {}

    @Test func aWriteThatThrowsLeavesNothingBehind() async throws {
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        await #expect(throws: Interrupted.self) {
            try await fixture.store.write { tx in
                try await tx.insert(StoreFixture.partner("techniekcollege"), now: StoreFixture.now)
                _ = try await tx.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now)
                let span = StoreFixture.span()
                _ = try await tx.insert(StoreFixture.session("Zorg"), startsAt: span.start, endsAt: span.end, now: StoreFixture.now)
                #expect(try await tx.workerCount() == 1, "the transaction sees its own writes")
                throw Interrupted()
            }
        }
        #expect(try await fixture.store.read { try await $0.partners() }.map(\.slug) == ["roc-midden"])
        #expect(try await fixture.store.read { try await $0.workerCount() } == 0)
        #expect(try await fixture.store.read { try await $0.sessions(SessionFilter()) }.isEmpty)
    }

    /// Something a transaction body awaits that lives on another executor.
    actor Elsewhere {
        var calls = 0
        func visit() -> Int {
            calls += 1
            return calls
        }
    }

    @Test func aBodyThatAwaitsAnActorKeepsWorkingInItsTransaction() async throws {
        let elsewhere = Elsewhere()
        let count = try await fixture.store.write { tx in
            try await tx.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now)
            _ = await elsewhere.visit()
            _ = try await tx.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now)
            _ = await elsewhere.visit()
            return try await tx.workerCount()
        }
        #expect(count == 1)
        #expect(await elsewhere.calls == 2)
        #expect(try await fixture.store.read { try await $0.partners() }.map(\.slug) == ["roc-midden"])
    }

    @Test func aBodyThatThrowsAfterAwaitingElsewhereRollsBack() async throws {
        let elsewhere = Elsewhere()
        await #expect(throws: Interrupted.self) {
            try await fixture.store.write { tx in
                _ = try await tx.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now)
                _ = await elsewhere.visit()
                throw Interrupted()
            }
        }
        #expect(try await fixture.store.read { try await $0.workerCount() } == 0)
    }

    @Test func manyTransactionsAtOnceEachSeeAConsistentDatabase() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        _ = try await fixture.store.write { tx in
                            try await tx.upsert([StoreFixture.worker("w\(index)@example.nl")], now: StoreFixture.now)
                        }
                    } else {
                        let (count, listed) = try await fixture.store.read { tx in (try await tx.workerCount(), try await tx.workers().count) }
                        #expect(count == listed, "a read transaction sees one snapshot")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await fixture.store.read { try await $0.workerCount() } == 20)
    }
}

struct StoreSessionQueryTests {
    let fixture: StoreFixture
    let utrecht: Int64
    let twente: Int64
    let joint: Int64

    init() async throws {
        fixture = try StoreFixture()
        try await fixture.store.write { tx in
            try await tx.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now)
            try await tx.insert(StoreFixture.partner("techniekcollege", region: "twente"), now: StoreFixture.now)
        }
        twente = try await fixture.insert(StoreFixture.session("Twente", partners: ["techniekcollege"], region: "twente", day: 9, month: 3), day: 9, month: 3)
        utrecht = try await fixture.insert(StoreFixture.session("Utrecht"))
        joint = try await fixture.insert(
            StoreFixture.session("Samen", partners: ["techniekcollege", "roc-midden"], day: 6, month: 4), day: 6, month: 4)
    }

    /// The ids of the sessions a filter lets through, in listed order.
    private func ids(_ filter: SessionFilter) async throws -> [Int64] {
        try await fixture.store.read { try await $0.sessions(filter) }.map(\.id)
    }

    @Test func sessionsAreListedByStartAndFilteredByPartnerAndRegion() async throws {
        await #expect(try ids(SessionFilter()) == [utrecht, twente, joint])
        await #expect(try ids(SessionFilter(partner: "roc-midden")) == [utrecht, joint])
        await #expect(try ids(SessionFilter(partner: "techniekcollege", region: "midden-utrecht")) == [joint])
        await #expect(try ids(SessionFilter(region: "twente")) == [twente])
        await #expect(try ids(SessionFilter(partner: "nobody")).isEmpty)
    }

    @Test func timeFiltersCompareTheLastEndAndTheFirstStart() async throws {
        let twenteStart = StoreFixture.span(day: 9, month: 3).start
        let twenteEnd = StoreFixture.span(day: 9, month: 3).end
        await #expect(try ids(SessionFilter(from: twenteEnd)) == [twente, joint], "a session ending exactly then still counts")
        await #expect(try ids(SessionFilter(from: twenteEnd.addingTimeInterval(1))) == [joint])
        await #expect(try ids(SessionFilter(to: twenteStart)) == [utrecht], "a session starting exactly then does not")
        await #expect(try ids(SessionFilter(from: twenteStart, to: twenteEnd)) == [twente])
    }

    @Test func seatsAreCountedForTheStatesThatHoldOne() async throws {
        let emails = EnrollmentState.allCases.map { "\($0.rawValue)@example.nl" }
        try await fixture.store.write { _ = try await $0.upsert(emails.map { StoreFixture.worker($0) }, now: StoreFixture.now) }
        for (state, email) in zip(EnrollmentState.allCases, emails) {
            let worker = try await fixture.workerID(email)
            try await fixture.store.write { try await $0.enroll(sessionID: utrecht, workerID: worker, as: state, now: StoreFixture.now) }
        }
        let seats = { try #require(try await fixture.store.read { try await $0.session(id: utrecht) }).seatsTaken }
        await #expect(try seats() == 6, "everyone but declined and cancelled holds a seat")
        #expect(try await fixture.store.read { try await $0.session(id: twente) }?.seatsTaken == 0)

        let accepted = try await fixture.workerID("accepted@example.nl")
        try await fixture.store.write { try await $0.change(sessionID: utrecht, workerID: accepted, through: [.answered(.decline)], now: StoreFixture.now) }
        await #expect(try seats() == 5)
        let enrollments = try await fixture.store.read { try await $0.enrollments(sessionID: utrecht) }
        #expect(enrollments.count == EnrollmentState.allCases.count, "changing a state does not add a row")
        #expect(enrollments.first { $0.email == "accepted@example.nl" }?.enrollment.state == .declined)
    }

    @Test func aWorkersEnrollmentsComeWithTheirSessionsByStart() async throws {
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now) }
        let worker = try await fixture.workerID("a@example.nl")
        try await fixture.store.write { tx in
            try await tx.enroll(sessionID: joint, workerID: worker, as: .invited, now: StoreFixture.now)
            try await tx.enroll(sessionID: utrecht, workerID: worker, as: .accepted, now: StoreFixture.now)
        }
        let enrollments = try await fixture.store.read { try await $0.enrollments(workerID: worker) }
        #expect(enrollments.map(\.session.id) == [utrecht, joint])
        #expect(enrollments.map(\.enrollment.state) == [.accepted, .invited])
        #expect(enrollments.last?.session.session.partners == ["techniekcollege", "roc-midden"])
    }

    @Test func deletingAWorkerDeletesTheirEnrollmentsOnly() async throws {
        try await fixture.store.write {
            _ = try await $0.upsert([StoreFixture.worker("a@example.nl"), StoreFixture.worker("b@example.nl")], now: StoreFixture.now)
        }
        let a = try await fixture.workerID("a@example.nl")
        let b = try await fixture.workerID("b@example.nl")
        try await fixture.store.write { tx in
            for session in [utrecht, joint] {
                try await tx.enroll(sessionID: session, workerID: a, as: .accepted, now: StoreFixture.now)
                try await tx.enroll(sessionID: session, workerID: b, as: .invited, now: StoreFixture.now)
            }
        }
        try await fixture.store.write { try await $0.deleteWorker(id: a) }

        #expect(try await fixture.store.read { try await $0.worker(email: "a@example.nl") } == nil)
        #expect(try await fixture.store.read { try await $0.enrollments(workerID: a) }.isEmpty)
        #expect(try await fixture.store.read { try await $0.enrollments(sessionID: utrecht) }.map(\.email) == ["b@example.nl"])
        #expect(try await fixture.store.read { try await $0.session(id: joint) }?.seatsTaken == 1)
        #expect(try await fixture.store.read { try await $0.enrollments(workerID: b) }.count == 2)
    }
}

struct EnrollmentChangeStoreTests {
    @Test func theStoreRefusesAChangeDecidedFromAStateItNoLongerHolds() async throws {
        let fixture = try StoreFixture()
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        let session = try await fixture.insert(StoreFixture.session("Zorg"))
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now) }
        let worker = try await fixture.workerID("a@example.nl")
        let stale = try EnrollmentLifecycle.decide(.selectedByMatching, sessionID: session, workerID: worker, from: nil)
        try await fixture.store.write { try await $0.enroll(sessionID: session, workerID: worker, as: .accepted, now: StoreFixture.now) }

        await #expect(throws: StaleEnrollmentChange.self) { try await fixture.store.write { try await $0.apply(stale.change, now: StoreFixture.now) } }
        let declineFromInvited = try EnrollmentLifecycle.decide(.answered(.decline), sessionID: session, workerID: worker, from: .invited)
        await #expect(throws: StaleEnrollmentChange.self) {
            try await fixture.store.write { try await $0.apply(declineFromInvited.change, now: StoreFixture.now) }
        }
        #expect(try await fixture.store.read { try await $0.enrollment(sessionID: session, workerID: worker)?.state } == .accepted)
    }
}
