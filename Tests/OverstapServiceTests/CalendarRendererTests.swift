import Foundation
import ICalendar
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

struct CalendarRendererTests {
    let renderer = CalendarRenderer(
        organiserName: "Mobiliteitsteam Midden-Utrecht", organiserEmail: "team@example.org", alarm: "-PT1H",
        partnerNames: ["roc": "ROC Midden Nederland"])
    let now = ServiceFixture.now

    static let worker = Worker(
        id: 1, email: "anouk.bakker@example.org", name: "Anouk Bakker", sector: "horeca", targets: ["zorg"],
        region: "midden-utrecht", languages: ["nl"], availability: [], availableFrom: nil, availableUntil: nil,
        status: .unemployed, locale: "nl")

    static func stored(
        id: Int64 = 1, title: String = "Van keuken naar zorg", start: LocalDateTime = LocalDateTime(year: 2027, month: 3, day: 9, hour: 19, minute: 0),
        repeatRule: String? = nil, online: Bool = true, status: SessionStatus = .scheduled, sequence: Int = 0,
        updatedAt: Date = ServiceFixture.now, taken: Int = 3
    ) -> StoredSession {
        let session = Session(
            id: id, uid: "session-\(id)@example.org", title: title, description: "Wat een helpende in de zorg doet.",
            kind: .webinar, partners: ["roc"], sector: "zorg", audience: ["horeca"], start: start, end: start.adding(minutes: 90),
            timezone: "Europe/Amsterdam", recurrence: repeatRule, capacity: 20,
            venue: online ? .online(URL(string: "https://meet.example.org/abc")!) : .onSite("Australiëlaan 25, Utrecht"),
            region: "midden-utrecht", language: "nl", status: status, sequence: sequence, cancelReason: status == .cancelled ? "Te weinig aanmeldingen" : nil,
            updatedAt: updatedAt)
        let zone = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)
        let startsAt = try! zone.instant(of: start, place: "test")
        return StoredSession(session: session, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(5400), seatsTaken: taken)
    }

    @Test func anInvitationCarriesEverythingACalendarClientNeeds() throws {
        let text = try renderer.invitation(for: Self.stored(sequence: 2), to: Self.worker, now: now)
        let document = try CalendarDocument.parse(text)
        let event = try #require(document.events.first)
        #expect(document.method == .request)
        #expect(event.uid == "session-1@example.org" && event.sequence == 2)
        #expect(event.stamp == now)
        #expect(event.start == .zoned(CalendarDateTime(year: 2027, month: 3, day: 9, hour: 19, minute: 0), tzid: "Europe/Amsterdam"))
        #expect(event.organizer == CalendarAddress(email: "team@example.org", commonName: "Mobiliteitsteam Midden-Utrecht"))
        #expect(event.attendees == [CalendarAttendee(address: CalendarAddress(email: "anouk.bakker@example.org", commonName: "Anouk Bakker"))])
        #expect(event.conference?.uri == "https://meet.example.org/abc")
        #expect(event.categories == ["zorg"])
        #expect(event.alarms.map(\.trigger) == ["-PT1H"])
        let description = try #require(event.description)
        for part in ["Wat een helpende", "Door: ROC Midden Nederland", "https://meet.example.org/abc", "Laat ons weten of u komt: in uw agenda (Accepteren of Weigeren) of door deze e-mail te beantwoorden; beide werken."] {
            #expect(description.contains(part))
        }
        #expect(text.contains("RSVP=TRUE") && text.contains("ROLE=REQ-PARTICIPANT") && text.contains("PARTSTAT=NEEDS-ACTION"))
        #expect(try document.restrictionProblems() == [])
    }

    @Test func theEntryPointsToTheAnswerLinksOnlyAndASeriesAnswerCoversEveryMeeting() throws {
        let link = "https://overstap.example.org/rsvp/1.abc"
        let single = try #require(
            try CalendarDocument.parse(renderer.invitation(for: Self.stored(), to: Self.worker, answerLink: link, now: now)).events.first?.description)
        #expect(single.hasSuffix("Laat ons weten of u komt, in uw agenda (Accepteren of Weigeren) of met deze links; beide werken:\nIk kom: \(link)?answer=accept\nIk kan niet: \(link)?answer=decline"))
        #expect(single.components(separatedBy: "Laat ons weten").count == 2)
        let series = try #require(
            try CalendarDocument.parse(
                renderer.invitation(for: Self.stored(repeatRule: "FREQ=WEEKLY;COUNT=6"), to: Self.worker, answerLink: link, now: now)
            ).events.first?.description)
        #expect(series.contains("Uw antwoord geldt voor alle 6 bijeenkomsten. Laat ons weten of u komt,"))
    }

    @Test func aQuoteInANameBecomesAnApostropheInTheAttendeeCN() throws {
        var worker = Self.worker
        worker.name = "Anouk \"Noek\" Bakker"
        let text = try renderer.invitation(for: Self.stored(), to: worker, now: now)
        // RFC 5545 forbids DQUOTE inside a parameter value and Outlook ignores RFC 6868's ^' escape.
        #expect(text.replacingOccurrences(of: "\r\n ", with: "").contains("ATTENDEE;CN=Anouk 'Noek' Bakker;"))
        #expect(try CalendarDocument.parse(text).events.first?.attendees.first?.address.commonName == "Anouk 'Noek' Bakker")
    }

    @Test func feedsMarkCancelledAndFullSessionsButAPersonalFeedDoesNotCallYourSeatFull() throws {
        let sessions = [
            Self.stored(id: 1, title: "Open", taken: 3), Self.stored(id: 2, title: "Vol", taken: 20),
            Self.stored(id: 3, title: "Afgelast", status: .cancelled, sequence: 1),
        ]
        let events = try CalendarDocument.parse(renderer.feed(named: "Regio", sessions: sessions, timezone: "Europe/Amsterdam")).events
        #expect(events.map(\.summary) == ["Open", "Vol (vol)", "Gaat niet door: Afgelast"])
        #expect(events.map(\.status) == ["CONFIRMED", "CONFIRMED", "CANCELLED"])
        let personal = try CalendarDocument.parse(
            renderer.feed(named: "Mijn", sessions: [sessions[1]], timezone: "Europe/Amsterdam", marksFull: false)).events
        #expect(personal.map(\.summary) == ["Vol"])
    }

    @Test func englishSpeakersGetEnglishTexts() throws {
        var worker = Self.worker
        worker.locale = "en"
        let event = try #require(try CalendarDocument.parse(renderer.invitation(for: Self.stored(), to: worker, now: now)).events.first)
        #expect(event.description?.contains("Run by: ROC Midden Nederland") == true)
        #expect(event.alarms.first?.description == "Your session starts soon.")
    }

    @Test func theAlarmFollowsTheSetting() throws {
        let silent = CalendarRenderer(organiserName: "T", organiserEmail: "t@example.org", alarm: "none", partnerNames: [:])
        #expect(try !silent.invitation(for: Self.stored(), to: Self.worker, now: now).contains("BEGIN:VALARM"))
        let broken = CalendarRenderer(organiserName: "T", organiserEmail: "t@example.org", alarm: "one hour", partnerNames: [:])
        #expect { try broken.invitation(for: Self.stored(), to: Self.worker, now: now) } throws: { "\($0)".hasPrefix("calendar.alarm") }
    }

    @Test func aCancellationRemovesTheEntryWithAHigherSequence() throws {
        let invited = try CalendarDocument.parse(renderer.invitation(for: Self.stored(sequence: 1), to: Self.worker, now: now))
        let removal = try CalendarDocument.parse(renderer.cancellation(for: Self.stored(sequence: 1), to: Self.worker, now: now))
        let cancelled = try CalendarDocument.parse(
            renderer.cancellation(for: Self.stored(status: .cancelled, sequence: 2), to: Self.worker, now: now))
        for document in [removal, cancelled] {
            let event = try #require(document.events.first)
            #expect(document.method == .cancel && event.status == "CANCELLED")
            #expect(event.uid == invited.events[0].uid && event.sequence > invited.events[0].sequence)
            #expect(event.attendees.map(\.address.email) == ["anouk.bakker@example.org"])
            #expect(try document.restrictionProblems() == [])
        }
        #expect(cancelled.events[0].description?.contains("Te weinig aanmeldingen") == true)
    }

    @Test func sessionsOnTheSwitchDaysAndSeriesAcrossThemKeepTheirLocalTime() throws {
        let sessions = [
            Self.stored(id: 1, start: LocalDateTime(year: 2027, month: 3, day: 28, hour: 10, minute: 0)),
            Self.stored(id: 2, start: LocalDateTime(year: 2027, month: 10, day: 31, hour: 10, minute: 0)),
            Self.stored(id: 3, start: LocalDateTime(year: 2027, month: 3, day: 16, hour: 19, minute: 0), repeatRule: "FREQ=WEEKLY;COUNT=6"),
        ]
        let feed = try renderer.feed(named: "Test", sessions: sessions, timezone: "Europe/Amsterdam")
        let occurrences = try CalendarDocument.occurrences(
            inText: feed, from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2e9), floatingZone: "UTC")
        let zone = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)
        let locals = occurrences.map { zone.local(of: $0.start) }
        #expect(locals.count == 8)
        #expect(locals.allSatisfy { $0.hour == 10 || $0.hour == 19 })
        #expect(occurrences.filter { $0.uid == "session-3@example.org" }.map { zone.offsetString(at: $0.start) }
            == ["+01:00", "+01:00", "+02:00", "+02:00", "+02:00", "+02:00"])
    }

    @Test(arguments: [0, 1, 1_000])
    func feedsOfAnySizePassTheRestrictionCheck(count: Int) throws {
        let sessions = (0..<count).map {
            Self.stored(id: Int64($0 + 1), start: LocalDateTime(year: 2027, month: 2, day: 1, hour: 9, minute: 0).adding(minutes: $0 * 180), online: $0 % 2 == 0)
        }
        let feed = try renderer.feed(named: "ROC", sessions: sessions, timezone: "Europe/Amsterdam")
        let document = try CalendarDocument.parse(feed)
        #expect(document.method == .publish && document.events.count == count)
        #expect(try document.restrictionProblems() == [])
        #expect(feed.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H") && feed.contains("X-PUBLISHED-TTL:PT1H"))
        #expect(!feed.contains("ATTENDEE"))
        // RFC 5545 §3.6 wants at least one component: an empty feed carries its zone's VTIMEZONE.
        #expect(feed.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"))
    }

    @Test func feedsStampEachEventWithItsLastChangeSoRendersAreStable() throws {
        let changed = Date(timeIntervalSince1970: 1_799_000_000)
        let sessions = [Self.stored(updatedAt: changed)]
        let first = try renderer.feed(named: "ROC", sessions: sessions, timezone: "Europe/Amsterdam")
        let second = try renderer.feed(named: "ROC", sessions: sessions, timezone: "Europe/Amsterdam")
        #expect(first == second)
        #expect(try CalendarDocument.parse(first).events[0].stamp == changed)
        #expect(try CalendarDocument.parse(first).events[0].description?.contains("Plaatsen: 3 bezet, 17 vrij") == true)
    }

    @Test func cancelledSessionsStayInFeedsForThirtyDays() {
        let day = 86_400.0
        let recent = Self.stored(id: 1, status: .cancelled, sequence: 1, updatedAt: now.addingTimeInterval(-10 * day))
        let old = Self.stored(id: 2, status: .cancelled, sequence: 1, updatedAt: now.addingTimeInterval(-40 * day))
        var past = Self.stored(id: 3)
        past.endsAt = now.addingTimeInterval(-45 * day)
        let kept = CalendarRenderer.feedSessions([recent, old, past, Self.stored(id: 4)], now: now)
        #expect(kept.map(\.id) == [1, 4])
    }
}

struct FeedServiceTests {
    @Test func feedsNeverCarryParticipantsAndRenderIdenticallyADayLater() async throws {
        let fixture = try await ServiceFixture()
        let id = try await fixture.service.createSession(SessionOptions.fixture()).id
        let csv = try fixture.directory.write(
            "w.csv", ServiceFixture.csvHeader + "anouk.private@example.org,Anouk Geheim,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n")
        _ = try await fixture.service.importWorkers(path: csv, dryRun: false)
        let worker = try #require(try await fixture.service.workers().first)
        try await fixture.service.store.write { tx in
            try await tx.enroll(sessionID: id, workerID: worker.id!, as: .accepted, now: ServiceFixture.now)
        }
        let partnerFeed = try await fixture.service.partnerFeed(slug: "roc")
        let regionFeed = try await fixture.service.regionFeed(region: "midden-utrecht")
        let single = try await fixture.service.sessionCalendar(id: id)
        for text in [partnerFeed, regionFeed, single] {
            let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(!unfolded.contains("anouk.private") && !unfolded.contains("Geheim") && !unfolded.contains("ATTENDEE"))
            #expect(try CalendarDocument.parse(text).events[0].description?.contains("1 bezet, 19 vrij") == true)
        }
        let later = OverstapService(
            store: fixture.service.store, settings: fixture.service.settings, catalogues: fixture.service.catalogues,
            clock: .fixed(ServiceFixture.now.addingTimeInterval(86_400)))
        #expect(try await later.partnerFeed(slug: "roc") == partnerFeed)
        #expect(try await later.regionFeed(region: "midden-utrecht") == regionFeed)
        #expect(try await fixture.service.regionFeed(region: "twente").contains("BEGIN:VEVENT") == false)
    }
}
