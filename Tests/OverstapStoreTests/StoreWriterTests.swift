import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

/// Writer operations whose details the round-trip suites do not reach: case-insensitive
/// imports, imports larger than one statement, erasure of every row that names a person, and
/// lists that name one row twice.
struct StoreWriterTests {
    let fixture: StoreFixture
    let session: Int64

    init() async throws {
        fixture = try StoreFixture()
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        session = try await fixture.insert(StoreFixture.session("Zorg"))
    }

    @Test func anImportMatchesKnownAddressesInAnyCaseAndKeepsTheirFlagAndFirstImport() async throws {
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker("anouk@example.nl")], now: StoreFixture.now) }
        let id = try await fixture.workerID("anouk@example.nl")
        try await fixture.store.write { try await $0.markUndeliverable(workerID: id, now: StoreFixture.now) }
        let later = StoreFixture.now.addingTimeInterval(86_400)

        let counts = try await fixture.store.write { tx in
            try await tx.upsert([StoreFixture.worker("Anouk@Example.NL", name: "Anouk Jansen"), StoreFixture.worker("daan@example.nl")], now: later)
        }

        #expect((counts.inserted, counts.updated) == (1, 1))
        let anouk = try #require(try await fixture.store.read { try await $0.worker(email: "anouk@example.nl") })
        #expect(anouk.id == id)
        #expect(anouk.name == "Anouk Jansen")
        #expect(anouk.email == "Anouk@Example.NL")
        #expect(anouk.undeliverableSince == StoreFixture.now)
        #expect(anouk.waitingSince == StoreFixture.now)
        #expect(try await fixture.store.read { try await $0.worker(email: "daan@example.nl") }?.waitingSince == later)
        #expect(try await fixture.store.read { try await $0.workerCount() } == 2)
    }

    @Test func anImportOfTensOfThousandsCountsEveryWorkerOnceAndKeepsEveryField() async throws {
        let first = (0..<25_000).map { StoreFixture.worker("person\($0)@example.nl") }
        let inserted = try await fixture.store.write { try await $0.upsert(first, now: StoreFixture.now) }
        let again = first.suffix(12_500) + (0..<5).map { StoreFixture.worker("new\($0)@example.nl") }
        let counts = try await fixture.store.write { try await $0.upsert(Array(again), now: StoreFixture.now) }

        #expect((inserted.inserted, inserted.updated) == (25_000, 0))
        #expect((counts.inserted, counts.updated) == (5, 12_500))
        let workers = try await fixture.store.read { try await $0.workers() }
        #expect(workers.count == 25_005)
        var expected = StoreFixture.worker("person24999@example.nl")
        expected.id = workers.first { $0.email == expected.email }?.id
        expected.waitingSince = StoreFixture.now
        #expect(workers.first { $0.email == expected.email } == expected)
    }

    @Test func erasingAWorkerLeavesNoRowThatNamesThem() async throws {
        let store = fixture.store
        let session = self.session
        let address = "zebedeus@vergeet-mij.example"
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker(address), StoreFixture.worker("anouk@example.nl")], now: StoreFixture.now) }
        let gone = try await fixture.workerID(address)
        let stays = try await fixture.workerID("anouk@example.nl")
        let meeting = MeetingKey(LocalDateTime(year: 2027, month: 2, day: 2, hour: 19, minute: 0))
        try await fixture.store.write { tx in
            for worker in [gone, stays] {
                try await tx.enroll(sessionID: session, workerID: worker, as: .attended, now: StoreFixture.now)
                let email = worker == gone ? address : "anouk@example.nl"
                _ = try await tx.insert(OutboxMessage(
                    kind: .invitation, sessionID: session, workerID: worker, recipient: email, messageID: "<\(worker)@example.org>",
                    held: false, dueAt: StoreFixture.now, createdAt: StoreFixture.now))
                // An answer from their address (in another case) that matched no enrollment is theirs too.
                _ = try await tx.insert(StoredReply(
                    messageID: "<reply-\(worker)@example.org>", receivedAt: StoreFixture.now, from: email.uppercased(), attendee: nil,
                    method: "REPLY", partstat: "ACCEPTED", sessionID: nil, workerID: nil, recurrenceID: nil, sequence: 0, stamp: nil,
                    outcome: .ignored, reason: "unknown session"))
                try await tx.insert(RosterConsent(agreed: true, answeredAt: StoreFixture.now, locale: "nl", textVersion: "1"), sessionID: session, workerID: worker)
                try await tx.recordSentSequence(SentSequence(sequence: 1, wasCancel: false), sessionID: session, workerID: worker)
                try await tx.insert(Outcome(result: .foundWork, sector: "zorg", date: LocalDate(year: 2027, month: 3, day: 1)), workerID: worker, now: StoreFixture.now)
            }
            try await tx.recordAttendance(
                [AttendanceEntry(workerID: gone, meeting: meeting, presence: .attended), AttendanceEntry(workerID: stays, meeting: meeting, presence: .attended)],
                sessionID: session, now: StoreFixture.now)
        }

        try await fixture.store.write { try await $0.deleteWorker(id: gone) }

        #expect(try await store.read { try await $0.worker(id: gone) } == nil)
        #expect(try await store.read { try await $0.enrollments(sessionID: session) }.map(\.enrollment.workerID) == [stays])
        #expect(try await store.read { try await $0.outbox(OutboxFilter()) }.map(\.workerID) == [stays])
        #expect(try await store.read { try await $0.replies(ReplyFilter()) }.map(\.from) == ["ANOUK@EXAMPLE.NL"])
        #expect(try await store.read { try await $0.rosterConsents(sessionID: session, workerID: gone) }.isEmpty)
        #expect(try await store.read { try await $0.sentSequence(sessionID: session, workerID: gone) } == nil)
        #expect(try await store.read { try await $0.outcomes(workerID: gone) }.isEmpty)
        #expect(try await store.read { try await $0.attendance(sessionID: session) }.map(\.workerID) == [stays])
        #expect(try await store.read { try await $0.rosterConsents(sessionID: session, workerID: stays) }.count == 1)
        #expect(try await store.read { try await $0.outcomes(workerID: stays) }.count == 1)
    }

    @Test func aNewEnrollmentForAPersonAlreadyEnrolledIsRefusedAndTakesNoRosterNumber() async throws {
        try await fixture.store.write {
            _ = try await $0.upsert([StoreFixture.worker("a@example.nl"), StoreFixture.worker("b@example.nl")], now: StoreFixture.now)
        }
        let a = try await fixture.workerID("a@example.nl")
        let b = try await fixture.workerID("b@example.nl")
        try await fixture.store.write { try await $0.enroll(sessionID: session, workerID: a, as: .selected, now: StoreFixture.now) }
        let twice = try EnrollmentLifecycle.decide(.selectedByMatching, sessionID: session, workerID: a, from: nil)

        await #expect(throws: StaleEnrollmentChange.self) { try await fixture.store.write { try await $0.apply(twice.change, now: StoreFixture.now) } }
        try await fixture.store.write { try await $0.enroll(sessionID: session, workerID: b, as: .selected, now: StoreFixture.now) }

        let numbers = try await fixture.store.read { try await $0.enrollments(sessionID: session) }.map(\.enrollment.rosterNumber)
        #expect(numbers == [1, 2])
    }

    @Test func attendanceNamingOnePersonTwiceKeepsTheLastEntry() async throws {
        try await fixture.store.write { _ = try await $0.upsert([StoreFixture.worker("a@example.nl")], now: StoreFixture.now) }
        let a = try await fixture.workerID("a@example.nl")
        let meeting = MeetingKey(LocalDateTime(year: 2027, month: 2, day: 2, hour: 19, minute: 0))
        try await fixture.store.write { tx in
            try await tx.enroll(sessionID: session, workerID: a, as: .accepted, now: StoreFixture.now)
            try await tx.recordAttendance(
                [AttendanceEntry(workerID: a, meeting: meeting, presence: .noShow), AttendanceEntry(workerID: a, meeting: meeting, presence: .excused)],
                sessionID: session, now: StoreFixture.now)
        }

        #expect(try await fixture.store.read { try await $0.attendance(sessionID: session) }.map(\.presence) == [.excused])
    }

    @Test func retainedRowsWithOneKeyAreAddedUpWithinACallAndAcrossCalls() async throws {
        let month = LocalDate(year: 2027, month: 1, day: 1)
        func people(_ count: Int) -> RetainedPeople {
            RetainedPeople(month: month, region: "midden-utrecht", sector: "horeca", reached: 3, workSector: nil, inSessionSector: false, daysToWork: nil, people: count)
        }
        func enrollments(_ count: Int) -> RetainedEnrollments {
            RetainedEnrollments(sessionID: session, region: "midden-utrecht", enrollments: count, taken: count, invited: count, answered: 0, attended: 0, noShows: 0)
        }
        try await fixture.store.write { try await $0.add(RetainedAggregates(people: [people(1), people(2)], enrollments: [enrollments(1), enrollments(2)])) }
        try await fixture.store.write { try await $0.add(RetainedAggregates(people: [people(4)], enrollments: [enrollments(4)])) }

        let kept = try await fixture.store.read { try await $0.retainedAggregates() }
        #expect(kept.people == [people(7)])
        #expect(kept.enrollments == [enrollments(7)])
    }

    @Test func busyPeriodsAndTheDemandListAreReplacedWhole() async throws {
        let hour = DateInterval(start: StoreFixture.now, duration: 3_600)
        let later = DateInterval(start: StoreFixture.now.addingTimeInterval(86_400), duration: 1_800)
        try await fixture.store.write { try await $0.replaceBusyPeriods(partner: "roc-midden", with: [hour, later]) }
        try await fixture.store.write { try await $0.replaceBusyPeriods(partner: "roc-midden", with: [later]) }
        let groups = [
            DemandGroup.Key(sector: "zorg", audience: "horeca", language: "nl", region: nil),
            DemandGroup.Key(sector: "techniek", audience: "retail", language: "en", region: "midden-utrecht"),
        ]
        try await fixture.store.write { try await $0.replaceDemandList(DemandList(listedAt: StoreFixture.now, groups: [groups[1]])) }
        try await fixture.store.write { try await $0.replaceDemandList(DemandList(listedAt: StoreFixture.now, groups: groups)) }

        let busy = try await fixture.store.read {
            try await $0.busyPeriods(partner: "roc-midden", from: .distantPast, to: .distantFuture)
        }
        #expect(busy == [later])
        #expect(try await fixture.store.read { try await $0.demandList() } == DemandList(listedAt: StoreFixture.now, groups: groups))
    }
}

/// The batch readers a send uses to render a batch of mails give what the one-at-a-time readers give.
struct MailBatchReadTests {
    @Test func batchReadsAnswerAsOneAtATime() async throws {
        let fixture = try StoreFixture()
        let ids = try await Seed.fill(fixture)
        let pairs = Seed.pairs(ids)
        try await fixture.store.read { tx in
            let workers = try await tx.workers(ids: [ids.anouk, ids.daan, 999])
            #expect(workers.count == 2)
            for id in [ids.anouk, ids.daan, 999] { #expect(try await tx.worker(id: id) == workers[id]) }
            let enrollments = try await tx.enrollments(pairs)
            let sequences = try await tx.sentSequences(pairs)
            #expect(!enrollments.isEmpty && !sequences.isEmpty, "the seed has both")
            for pair in pairs {
                #expect(try await tx.enrollment(sessionID: pair.sessionID, workerID: pair.workerID) == enrollments[pair], "\(pair)")
                #expect(try await tx.sentSequence(sessionID: pair.sessionID, workerID: pair.workerID) == sequences[pair], "\(pair)")
            }
            let none = (try await tx.workers(ids: []), try await tx.enrollments([]), try await tx.sentSequences([]))
            #expect(none.0.isEmpty && none.1.isEmpty && none.2.isEmpty)
        }
    }
}
