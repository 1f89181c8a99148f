import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ICalendar
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
        // The daemon wakes its dispatcher, which offers a freed seat before it sends; here the
        // offer runs before the response, so each test sees the state the daemon reaches.
        AnswerRoutes(service: service, pages: try WebPages(folder: Repository.templatesFolder)) { [service] in
            try? await service.refillFreedSeats()
        }.add(to: router)
        return Application(router: router)
    }

    func path(of email: String) async throws -> String {
        let rows = try await service.session(id: 1).enrollments
        let id = try #require(rows.first { $0.email == email }?.enrollment.id)
        let link = try #require(try service.answerLink(enrollmentID: id))
        return String(link.dropFirst("https://overstap.example.org".count))
    }

    func states() async throws -> [String: EnrollmentState] {
        Dictionary(uniqueKeysWithValues: try await service.session(id: 1).enrollments.map { ($0.email, $0.enrollment.state) })
    }

    static func form(_ answer: String) -> (HTTPFields, ByteBuffer) {
        ([.contentType: "application/x-www-form-urlencoded"], ByteBuffer(string: "answer=\(answer)"))
    }

    /// Answers `answer` by POST and returns the response (a 303 on success).
    static func post(_ client: some TestClientProtocol, _ uri: String, _ answer: String) async throws -> TestResponse {
        let (headers, body) = form(answer)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
    }

    /// Follows a 303 from `uri` the way a browser does: GET of the Location, relative to `uri`.
    static func follow(_ client: some TestClientProtocol, from uri: String, _ response: TestResponse) async throws -> TestResponse {
        let location = try #require(response.headers[.location])
        let base = uri.split(separator: "?")[0]
        return try await client.execute(uri: String(base[..<(base.lastIndex(of: "/") ?? base.startIndex)]) + "/" + location, method: .get)
    }

    @Test func openingTheLinkShowsTheInvitationAndChangesNothing() async throws {
        let anouk = try await path(of: "anouk@example.org")
        try await app().test(.router) { client in
            for _ in 1...3 {
                let page = try await client.execute(uri: anouk, method: .get)
                let html = String(buffer: page.body)
                #expect(page.status == .ok && page.headers[.cacheControl] == "no-store")
                #expect(html.contains("<html lang=\"nl\">") && html.contains(">Ik kom</button>") && html.contains(">Ik kan niet</button>"))
                #expect(html.contains("dinsdag 2 februari 2027, 19:00–20:30") && html.contains("name=\"viewport\""))
                // The place is labelled once, and the online meeting link can be tapped.
                #expect(html.contains("<strong>Waar:</strong> online via <a href=\"https://meet.example.org/"))
                #expect(!html.contains("Locatie:") && !html.contains("deelnemen via:"))
            }
        }
        await #expect(try states()["anouk@example.org"] == .invited)
        let english = String(buffer: try await app().test(.router) { client in
            try await client.execute(uri: try path(of: "bram@example.org"), method: .get).body
        })
        #expect(english.contains("<html lang=\"en\">") && english.contains("I can't come"))
    }

    @Test func thePageShowsTheAnswerDeadlineOnceTheInvitationWasDelivered() async throws {
        let anouk = try await path(of: "anouk@example.org")
        let deadline = "Laat het ons uiterlijk zondag 31 januari 2027 om 19:00 weten."
        let before = String(buffer: try await app().test(.router) { client in try await client.execute(uri: anouk, method: .get).body })
        #expect(before.contains(">Ik kom</button>") && !before.contains("uiterlijk"), "an invitation that has not left has no deadline yet")
        _ = try await service.sendDue(through: service.mailTransport())
        let after = String(buffer: try await app().test(.router) { client in try await client.execute(uri: anouk, method: .get).body })
        #expect(after.contains(deadline), "\(after)")
        let english = String(buffer: try await app().test(.router) { client in
            try await client.execute(uri: try path(of: "bram@example.org"), method: .get).body
        })
        #expect(english.contains("Please answer by Sunday 31 January 2027 at 19:00."))
        try await app().test(.router) { client in
            _ = try await Self.post(client, anouk, "accept")
            let answered = String(buffer: try await client.execute(uri: anouk, method: .get).body)
            #expect(!answered.contains("uiterlijk"), "an answered invitation has no deadline left")
        }
    }

    @Test func aLinkThatNamesAnAnswerOpensWithThatChoiceReadyToConfirm() async throws {
        let anouk = try await path(of: "anouk@example.org")
        try await app().test(.router) { client in
            let decline = String(buffer: try await client.execute(uri: anouk + "?answer=decline", method: .get).body)
            #expect(decline.contains(">Ja, ik kan niet</button>") && decline.contains("name=\"answer\" value=\"decline\""))
            #expect(!decline.contains("value=\"accept\"") && decline.contains("<a href=\"?\">Toch iets anders kiezen</a>"))
            let accept = String(buffer: try await client.execute(uri: anouk + "?answer=accept", method: .get).body)
            #expect(accept.contains(">Ja, ik kom</button>") && !accept.contains("value=\"decline\""))
        }
        await #expect(try states()["anouk@example.org"] == .invited)
    }

    @Test func anAnswerRedirectsToThePageSoARefreshDoesNotAnswerAgain() async throws {
        let anouk = try await path(of: "anouk@example.org")
        try await app().test(.router) { client in
            let answered = try await Self.post(client, anouk, "accept")
            #expect(answered.status == .seeOther && answered.headers[.cacheControl] == "no-store")
            let token = try #require(anouk.split(separator: "/").last)
            #expect(answered.headers[.location] == "\(token)?answered=accept")
            let outboxAfterAnswer = try await service.outbox(state: nil).count
            for _ in 1...2 {
                let page = try await Self.follow(client, from: anouk, answered)
                #expect(page.status == .ok && String(buffer: page.body).contains("Dank u wel! Wij rekenen op u."))
            }
            #expect(try await service.outbox(state: nil).count == outboxAfterAnswer)
            // A stale confirmation in the address is not shown once the answer changed.
            #expect(try await Self.post(client, anouk, "decline").status == .seeOther)
            let stale = try await client.execute(uri: anouk + "?answered=accept", method: .get)
            #expect(!String(buffer: stale.body).contains("Dank u wel"))
        }
        await #expect(try states()["anouk@example.org"] == .declined)
    }

    @Test func aSeriesShowsEveryMeetingAndSaysTheAnswerCoversThemAll() async throws {
        let series = try await AnswerRoutesTests(capacity: 2, repeatRule: "FREQ=WEEKLY;COUNT=6")
        let html = String(buffer: try await series.app().test(.router) { client in
            try await client.execute(uri: try series.path(of: "anouk@example.org"), method: .get).body
        })
        #expect(html.components(separatedBy: "<li>").count - 1 == 6)
        #expect(html.contains("<li>dinsdag 2 februari 2027, 19:00–20:30</li>") && html.contains("<li>dinsdag 9 maart 2027, 19:00–20:30</li>"))
        #expect(html.contains("Uw antwoord geldt voor alle 6 bijeenkomsten."))
        #expect(html.contains(">Ik kan niet (alle 6 bijeenkomsten)</button>"))
    }

    @Test func afterADeclineInAFullSessionIkKomIsDisabledAndLooksIt() async throws {
        let anouk = try await path(of: "anouk@example.org")
        let html = String(buffer: try await app().test(.router) { client in
            _ = try await Self.post(client, anouk, "decline")
            return try await client.execute(uri: anouk, method: .get).body
        })
        #expect(html.contains("type=\"submit\" disabled>Ik kom</button>"))
        #expect(html.contains("button:disabled { background: #d6d6d6; color: #666; cursor: not-allowed; }"))
        #expect(html.contains("daarom kunt u nu niet \"Ik kom\" kiezen"))
    }

    @Test func acceptingAndDecliningAreRecordedAndADeclineInvitesTheNextWorker() async throws {
        _ = try await service.sendDue(through: service.mailTransport())
        try await app().test(.router) { client in
            let anouk = try await path(of: "anouk@example.org")
            let accepted = try await Self.post(client, anouk, "accept")
            #expect(accepted.status == .seeOther)
            #expect(String(buffer: try await Self.follow(client, from: anouk, accepted).body).contains("Dank u wel"))
            let bram = try await path(of: "bram@example.org")
            let declined = try await Self.post(client, bram, "decline")
            #expect(String(buffer: try await Self.follow(client, from: bram, declined).body).contains("Sorry you cannot come"))
        }
        await #expect(try states() == ["anouk@example.org": .accepted, "bram@example.org": .declined, "cor@example.org": .invited])
        let queued = try await service.outbox(state: .pending).filter { $0.kind != .reminder }.map { "\($0.recipient) \($0.kind.rawValue)" }
        #expect(queued.contains("bram@example.org cancellation") && queued.contains("cor@example.org invitation"))
        #expect(try await service.outbox(state: .superseded, kind: .reminder).contains { $0.recipient == "bram@example.org" })
        #expect(!(try await service.outbox(state: .pending, kind: .reminder).contains { $0.recipient == "bram@example.org" }))
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
            #expect(again.status == .seeOther)
        }
        await #expect(try states()["bram@example.org"] == .accepted)
        #expect(try await service.outbox(state: .pending, kind: .invitation).contains { $0.recipient == "bram@example.org" })
    }

    @Test func aWrongTokenOrAnswerIsRefusedWithoutChangingAnything() async throws {
        let anouk = try await path(of: "anouk@example.org")
        let (headers, decline) = Self.form("decline")
        let (_, maybe) = Self.form("perhaps")
        try await app().test(.router) { client in
            for uri in [anouk.dropLast(2) + "xx", "/rsvp/1.abc", "/rsvp/nothing"] {
                let page = try await client.execute(uri: String(uri), method: .post, headers: headers, body: decline)
                #expect(page.status == .notFound && String(buffer: page.body).contains("Deze link is niet (meer) geldig"))
            }
            #expect(try await client.execute(uri: anouk, method: .post, headers: headers, body: maybe).status == .badRequest)
        }
        await #expect(try states()["anouk@example.org"] == .invited)
    }

    @Test func remindersGoADayAndTwoHoursBeforeEachMeetingAndFollowAMove() async throws {
        let series = try await AnswerRoutesTests(capacity: 2, repeatRule: "FREQ=WEEKLY;COUNT=6")
        let reminders = try await series.service.outbox(state: .pending, kind: .reminder).filter { $0.recipient == "anouk@example.org" }
        #expect(reminders.count == 12)
        let first = Date(timeIntervalSince1970: 1_801_591_200)  // 2027-02-02T18:00:00Z
        #expect(reminders.map(\.dueAt).min() == first.addingTimeInterval(-86_400))
        #expect(Set(reminders.compactMap(\.meetingAt)).count == 6)
        var moved = SessionOptions()
        moved.start = "2027-02-03 19:00"
        _ = try await series.service.updateSession(id: 1, moved)
        let after = try await series.service.outbox(state: .pending, kind: .reminder).filter { $0.recipient == "anouk@example.org" }
        // The series moved a day later, so its first day-before reminder now falls at the old start.
        #expect(after.count == 12 && after.map(\.dueAt).min() == first)
        #expect(Set(after.map(\.messageID)).isDisjoint(with: reminders.map(\.messageID)))
        _ = try await series.service.cancelSession(id: 1, reason: nil)
        await #expect(try series.service.outbox(state: .pending, kind: .reminder).isEmpty)
    }

    @Test func aPersonalFeedShowsOnlyYourSessionsAndNoPersonalData() async throws {
        let link = try #require(try service.personalFeedLink(workerID: 1))
        let uri = String(link.dropFirst("https://overstap.example.org".count))
        try await app().test(.router) { client in
            let feed = try await client.execute(uri: uri, method: .get)
            let body = String(buffer: feed.body)
            #expect(feed.status == .ok && body.contains("SUMMARY:Van keuken naar zorg\r\n"), "both seats are taken, but one is hers")
            #expect(!body.contains("anouk@example.org") && !body.contains("Anouk"))
            let forged = try await client.execute(uri: uri.replacingOccurrences(of: "/me/1.", with: "/me/2."), method: .get)
            #expect(forged.status == .notFound)
        }
    }

    @Test func anEmptyPersonalFeedIsStillAValidCalendar() async throws {
        let uri = String(try #require(try service.personalFeedLink(workerID: 1)).dropFirst("https://overstap.example.org".count))
        let body = try await app().test(.router) { client in
            _ = try await Self.post(client, try path(of: "anouk@example.org"), "decline")
            return String(buffer: try await client.execute(uri: uri, method: .get).body)
        }
        // RFC 5545 §3.6: at least one component. The zone's VTIMEZONE is one; no placeholder event.
        let document = try CalendarDocument.parse(body)
        #expect(document.events.isEmpty && body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam"))
        #expect(try document.restrictionProblems() == [])
        let python = try CLI.shellResult("python3", [
            "-c",
            """
            import sys, icalendar
            calendar = icalendar.Calendar.from_ical(sys.argv[1])
            print(calendar.name, [component.name for component in calendar.subcomponents], len(calendar.walk("VEVENT")))
            """,
            body,
        ])
        #expect(python.status == 0 && python.output == "VCALENDAR ['VTIMEZONE'] 0\n", "\(python.output)")
    }
}
