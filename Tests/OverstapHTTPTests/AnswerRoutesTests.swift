import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import OverstapCore
import OverstapHTTP
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

/// Answer links, the waiting list, reminders and personal feeds, through the router with a real
/// SQLite file and a fixed clock.
struct AnswerRoutesTests {
    let directory = TemporaryDirectory()
    let service: OverstapService
    let cache: FeedCache

    /// One session with two seats for three fitting workers: anouk and bram are invited, cor waits.
    init(capacity: Int = 2, repeatRule: String? = nil) async throws {
        service = try await HTTPTestData.service(
            in: directory, settings: ["rsvp.secret": "test-secret-that-is-long-enough-0123456789"], capacity: capacity,
            repeatRule: repeatRule,
            workersCSV: """
                email,name,sector,targets,region,languages,availability,status,locale
                anouk@example.org,Anouk,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,nl
                bram@example.org,Bram,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed,en
                cor@example.org,Cor,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,at_risk,nl

                """
        ).service
        cache = FeedCache(service: service)
    }

    func app() throws -> some ApplicationProtocol {
        let router = FeedRoutes(service: service, cache: cache).router()
        AnswerRoutes(service: service, pages: try WebPages(folder: Repository.templatesFolder)).add(to: router)
        return Application(router: router)
    }

    func path(of email: String) throws -> String {
        let rows = try service.session(id: 1).enrollments
        let id = try #require(rows.first { $0.email == email }?.enrollment.id)
        let link = try #require(try service.answerLink(enrollmentID: id))
        return String(link.dropFirst("https://overstap.example.org".count))
    }

    func states() throws -> [String: EnrollmentState] {
        Dictionary(uniqueKeysWithValues: try service.session(id: 1).enrollments.map { ($0.email, $0.enrollment.state) })
    }

    static func form(_ answer: String) -> (HTTPFields, ByteBuffer) {
        ([.contentType: "application/x-www-form-urlencoded"], ByteBuffer(string: "answer=\(answer)"))
    }

    @Test func openingTheLinkShowsTheInvitationAndChangesNothing() async throws {
        let anouk = try path(of: "anouk@example.org")
        try await app().test(.router) { client in
            for _ in 1...3 {
                let page = try await client.execute(uri: anouk + "?answer=decline", method: .get)
                let html = String(buffer: page.body)
                #expect(page.status == .ok && page.headers[.cacheControl] == "no-store")
                #expect(html.contains("<html lang=\"nl\">") && html.contains("Ik kom") && html.contains("Ik kan niet"))
                #expect(html.contains("dinsdag 2 februari 2027, 19:00–20:30") && html.contains("name=\"viewport\""))
            }
        }
        #expect(try states()["anouk@example.org"] == .invited)
        let english = String(buffer: try await app().test(.router) { client in
            try await client.execute(uri: try path(of: "bram@example.org"), method: .get).body
        })
        #expect(english.contains("<html lang=\"en\">") && english.contains("I can't come"))
    }

    @Test func acceptingAndDecliningAreRecordedAndADeclineInvitesTheNextWorker() async throws {
        _ = try await service.sendDue(through: service.mailTransport())
        let (headers, accept) = Self.form("accept")
        let (_, decline) = Self.form("decline")
        try await app().test(.router) { client in
            let accepted = try await client.execute(uri: try path(of: "anouk@example.org"), method: .post, headers: headers, body: accept)
            #expect(accepted.status == .ok && String(buffer: accepted.body).contains("Dank u wel"))
            let declined = try await client.execute(uri: try path(of: "bram@example.org"), method: .post, headers: headers, body: decline)
            #expect(declined.status == .ok && String(buffer: declined.body).contains("Sorry you cannot come"))
        }
        #expect(try states() == ["anouk@example.org": .accepted, "bram@example.org": .declined, "cor@example.org": .invited])
        let queued = try service.outbox(state: .pending).filter { $0.kind != .reminder }.map { "\($0.recipient) \($0.kind.rawValue)" }
        #expect(queued.contains("bram@example.org cancellation") && queued.contains("cor@example.org invitation"))
        #expect(try service.outbox(state: .superseded, kind: .reminder).contains { $0.recipient == "bram@example.org" })
        #expect(!(try service.outbox(state: .pending, kind: .reminder).contains { $0.recipient == "bram@example.org" }))
    }

    @Test func changingYourMindWorksOnlyWhileASeatIsFree() async throws {
        let (headers, accept) = Self.form("accept")
        let (_, decline) = Self.form("decline")
        try await app().test(.router) { client in
            _ = try await client.execute(uri: try path(of: "bram@example.org"), method: .post, headers: headers, body: decline)
            let full = try await client.execute(uri: try path(of: "bram@example.org"), method: .post, headers: headers, body: accept)
            #expect(full.status == .conflict && String(buffer: full.body).contains("There is no seat free"))
            _ = try await client.execute(uri: try path(of: "cor@example.org"), method: .post, headers: headers, body: decline)
            let again = try await client.execute(uri: try path(of: "bram@example.org"), method: .post, headers: headers, body: accept)
            #expect(again.status == .ok)
        }
        #expect(try states()["bram@example.org"] == .accepted)
        #expect(try service.outbox(state: .pending, kind: .invitation).contains { $0.recipient == "bram@example.org" })
    }

    @Test func aWrongTokenOrAnswerIsRefusedWithoutChangingAnything() async throws {
        let anouk = try path(of: "anouk@example.org")
        let (headers, decline) = Self.form("decline")
        let (_, maybe) = Self.form("perhaps")
        try await app().test(.router) { client in
            for uri in [anouk.dropLast(2) + "xx", "/rsvp/1.abc", "/rsvp/nothing"] {
                let page = try await client.execute(uri: String(uri), method: .post, headers: headers, body: decline)
                #expect(page.status == .notFound && String(buffer: page.body).contains("Deze link is niet (meer) geldig"))
            }
            #expect(try await client.execute(uri: anouk, method: .post, headers: headers, body: maybe).status == .badRequest)
        }
        #expect(try states()["anouk@example.org"] == .invited)
    }

    @Test func remindersGoADayAndTwoHoursBeforeEachMeetingAndFollowAMove() async throws {
        let series = try await AnswerRoutesTests(capacity: 2, repeatRule: "FREQ=WEEKLY;COUNT=6")
        let reminders = try series.service.outbox(state: .pending, kind: .reminder).filter { $0.recipient == "anouk@example.org" }
        #expect(reminders.count == 12)
        let first = Date(timeIntervalSince1970: 1_801_591_200)  // 2027-02-02T18:00:00Z
        #expect(reminders.map(\.dueAt).min() == first.addingTimeInterval(-86_400))
        #expect(Set(reminders.compactMap(\.meetingAt)).count == 6)
        var moved = SessionOptions()
        moved.start = "2027-02-03 19:00"
        _ = try series.service.updateSession(id: 1, moved)
        let after = try series.service.outbox(state: .pending, kind: .reminder).filter { $0.recipient == "anouk@example.org" }
        // The series moved a day later, so its first day-before reminder now falls at the old start.
        #expect(after.count == 12 && after.map(\.dueAt).min() == first)
        #expect(Set(after.map(\.messageID)).isDisjoint(with: reminders.map(\.messageID)))
        _ = try series.service.cancelSession(id: 1, reason: nil)
        #expect(try series.service.outbox(state: .pending, kind: .reminder).isEmpty)
    }

    @Test func aPersonalFeedShowsOnlyYourSessionsAndNoPersonalData() async throws {
        let link = try #require(try service.personalFeedLink(workerID: 1))
        let uri = String(link.dropFirst("https://overstap.example.org".count))
        try await app().test(.router) { client in
            let feed = try await client.execute(uri: uri, method: .get)
            let body = String(buffer: feed.body)
            #expect(feed.status == .ok && body.contains("Van keuken naar zorg"))
            #expect(!body.contains("anouk@example.org") && !body.contains("Anouk"))
            let forged = try await client.execute(uri: uri.replacingOccurrences(of: "/me/1.", with: "/me/2."), method: .get)
            #expect(forged.status == .notFound)
        }
    }
}
