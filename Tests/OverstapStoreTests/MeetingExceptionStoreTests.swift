import Foundation
import OverstapCore
import OverstapStore
import OverstapTestSupport
import Testing

/// Meeting exceptions and partner-addressed outbox rows as the store keeps them.
struct MeetingExceptionStoreTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    func local(_ day: Int, _ hour: Int = 19) -> LocalDateTime {
        LocalDateTime(year: 2027, month: 2, day: day, hour: hour, minute: 0)
    }

    @Test func exceptionsComeBackWithTheSessionAndAreReplacedOnUpdate() async throws {
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        var session = StoreFixture.session("Reeks")
        session.recurrence = "FREQ=WEEKLY;COUNT=4"
        session.exceptions = [
            MeetingException(originalStart: local(9), change: .moved(start: local(10, 10), end: local(10, 12))),
            MeetingException(originalStart: local(16), change: .cancelled(reason: "De docent is ziek")),
        ]
        let id = try await fixture.insert(session)
        var stored = try #require(try await fixture.store.read { try await $0.session(id: id) })
        #expect(stored.session.exceptions == session.exceptions)
        let listed = try await fixture.store.read { try await $0.sessions(SessionFilter()) }
        #expect(listed.first?.session.exceptions == session.exceptions)

        stored.session.exceptions.removeFirst()
        try await fixture.store.write { [stored] in try await $0.update(stored.session, startsAt: stored.startsAt, endsAt: stored.endsAt) }
        let after = try await fixture.store.read { try await $0.session(id: id) }
        #expect(after?.session.exceptions == [MeetingException(originalStart: local(16), change: .cancelled(reason: "De docent is ziek"))])
        let keys = try DatabaseShell.rows("SELECT original_start FROM meeting_exception", in: fixture.database)
        #expect(keys == ["2027-02-16T19:00"], "keyed by the original local start as YYYY-MM-DDTHH:MM")
    }

    @Test func anOutboxRowAddressesAWorkerOrAPartnerNeverBothNorNeither() async throws {
        try await fixture.store.write { try await $0.insert(StoreFixture.partner("roc-midden"), now: StoreFixture.now) }
        let session = try await fixture.insert(StoreFixture.session("Reeks"))
        let partnerID = try #require(try await fixture.store.read { try await $0.partnerID(slug: "roc-midden") })
        #expect(try await fixture.store.read { try await $0.partner(id: partnerID) }?.slug == "roc-midden")
        let notice = OutboxMessage(
            partnerNoticeFor: session, partnerID: partnerID, recipient: "planning@roc-midden.example.org", meetingAt: StoreFixture.now,
            messageID: "n1@example.org", dueAt: StoreFixture.now)
        let id = try #require(try await fixture.store.write { try await $0.insert(notice) })
        let back = try #require(try await fixture.store.read { try await $0.outboxMessage(id: id) })
        #expect(back.workerID == nil && back.partnerID == partnerID && back.kind == .partnerNotice && back.meetingAt == StoreFixture.now)

        var both = notice
        both.workerID = 1
        both.messageID = "n2@example.org"
        await #expect(throws: (any Error).self) { try await fixture.store.write { [both] in try await $0.insert(both) } }
        var neither = notice
        neither.partnerID = nil
        neither.messageID = "n3@example.org"
        await #expect(throws: (any Error).self) { try await fixture.store.write { [neither] in try await $0.insert(neither) } }
    }
}
