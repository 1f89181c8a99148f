import Foundation
import ICalendar
import Mail
import OverstapCore
import OverstapTestSupport
import Testing

/// Each fixture read as `overstap reply ingest` will read it: the mail, then its iTIP parts, then
/// the judge's decision for each answer, given what the store would know.
struct ReplyFixtureTests {
    /// One answer found in a message: the attendee's facts and the event and part they came from.
    struct Found {
        var facts: ReplyFacts
        var event: ITIPEvent
        var part: InboundCalendarPart
        var productID: String?
    }

    /// The mapping the service makes from a parsed mail to the judge's facts. An answer sent twice
    /// in one message (inline and as an attachment) counts once.
    static func answers(in message: InboundMessage) throws -> [Found] {
        var found: [Found] = []
        var seen: Set<String> = []
        for part in message.calendarParts {
            let itip = try CalendarITIP.parse(part.text)
            let method: ReplyFacts.Method = switch itip.method {
            case .reply: .reply
            case .counter: .counter
            case .refresh: .refresh
            case .other, .missing: .other(itip.method.name)
            }
            for event in itip.events {
                for attendee in event.attendees {
                    let key = "\(event.uid)|\(attendee.address.lowercased())|\(String(describing: event.recurrenceID?.local))"
                    guard seen.insert(key).inserted else { continue }
                    let participation: ReplyFacts.Participation = switch attendee.participation {
                    case .accepted: .accepted
                    case .declined: .declined
                    case .tentative: .tentative
                    case .delegated: .delegated
                    case .needsAction: .needsAction
                    case .other(let value): .other(value)
                    }
                    let facts = ReplyFacts(
                        method: method, uid: event.uid, attendee: attendee.address, participation: participation, sequence: event.sequence,
                        stamp: event.stamp, isForOneMeeting: event.recurrenceID != nil, from: message.from?.address,
                        dmarcFailed: message.failedDMARCDomain != nil, isForwarded: part.isForwarded)
                    found.append(Found(facts: facts, event: event, part: part, productID: itip.productID))
                }
            }
        }
        return found
    }

    static func read(_ fixture: ReplyFixture) throws -> (InboundMessage, [Found]) {
        let message = try InboundMessage.parse(try fixture.bytes())
        return (message, try answers(in: message))
    }

    static func invited(_ address: String, _ state: EnrollmentState = .invited, lastSent: Int? = 2, recorded: Date? = nil) -> ReplyStanding {
        ReplyStanding(session: .scheduled, invitee: .init(address: address, state: state, lastSequenceSent: lastSent, recordedAnswerStamp: recorded))
    }

    static func only(_ fixture: ReplyFixture) throws -> (InboundMessage, Found) {
        let (message, found) = try read(fixture)
        try #require(found.count == 1)
        #expect(found[0].facts.uid == ReplyFixture.sessionUID)
        return (message, found[0])
    }

    @Test func outlookOnExchange2010AcceptsWithoutOrganizer() throws {
        let (message, answer) = try Self.only(.outlookExchange2010Accept)
        #expect(message.messageID == "AM0PR02MB5123A1B2C3D4E5F6A7B8C9D0@AM0PR02MB5123.eurprd02.prod.outlook.com")
        #expect(message.from == InboundMailbox(address: "anouk.jansen@example.nl", displayName: "Jansen, Anouk"))
        #expect(answer.productID == "Microsoft Exchange Server 2010" && answer.event.organizer == nil)
        #expect(answer.facts.attendee == "Anouk.Jansen@Example.nl" && answer.facts.participation == .accepted && answer.facts.sequence == 2)
        #expect(answer.event.start?.instant == Date(timeIntervalSince1970: 1_801_591_200))
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("anouk.jansen@example.nl")) == .apply(.answered(.accept)))
    }

    @Test func theSameMessageDeliveredAgainIsHandledOnce() throws {
        let (first, _) = try Self.only(.outlookExchange2010Accept)
        let (again, answer) = try Self.only(.outlookExchange2010AcceptRedelivered)
        #expect(again.messageID == first.messageID)
        var standing = Self.invited("anouk.jansen@example.nl", .accepted)
        standing.messageAlreadyHandled = true
        #expect(ReplyJudge.decide(answer.facts, standing: standing) == .ignored(.duplicateMessage))
    }

    @Test func microsoft365DeclineCountsDespiteAnOlderSequence() throws {
        let (message, answer) = try Self.only(.microsoft365DeclineOlderSequence)
        #expect(message.authenticationResults?.authservID == nil && message.authenticationResults?.dmarc?.result == "pass")
        #expect(message.failedDMARCDomain == nil)
        #expect(answer.facts.sequence == 1 && answer.event.comments == ["Ik heb die avond dienst, sorry."])
        let standing = Self.invited("sanne.visser@contoso-zorg.nl", .accepted, lastSent: 2)
        #expect(ReplyJudge.decide(answer.facts, standing: standing) == .apply(.answered(.decline)))
    }

    @Test func outlookCounterKeepsTheProposedTimeAndComment() throws {
        let (_, answer) = try Self.only(.outlookCounterWithComment)
        #expect(answer.facts.method == .counter)
        #expect(answer.event.start?.instant == Date(timeIntervalSince1970: 1_801_594_800))
        #expect(answer.event.end?.instant == Date(timeIntervalSince1970: 1_801_594_800 + 9_000))
        #expect(answer.event.comments == ["Kan het een uur later? Ik werk tot half zeven."])
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("anouk.jansen@example.nl")) == .counterProposal)
    }

    @Test func aDelegationGoesToTheOrganiser() throws {
        let (_, answer) = try Self.only(.outlookDelegated)
        #expect(answer.event.attendees[0].delegatedTo == ["m.dekker@example.nl"])
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("anouk.jansen@example.nl")) == .needsReview(.delegated))
    }

    @Test func aForgedDeclineGoesToTheOrganiser() throws {
        let (message, answer) = try Self.only(.forgedDMARCFail)
        #expect(message.failedDMARCDomain == "example.nl" && message.authenticationResults?.authservID == "mx.mobiliteit.example.nl")
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("anouk.jansen@example.nl")) == .needsReview(.dmarcFailed))
    }

    @Test func gmailSendsTheAnswerTwiceAndItCountsOnce() throws {
        let (message, found) = try Self.read(.gmailAccept)
        #expect(message.calendarParts.map(\.contentType) == ["text/calendar", "application/ics"])
        #expect(message.calendarParts.map(\.section) == ["1.3", "2"] && message.calendarParts[1].filename == "invite.ics")
        #expect(found.count == 1)
        let answer = found[0]
        #expect(answer.event.organizer?.email == ReplyFixture.teamAddress)
        #expect(answer.event.attendees[0].commonName == "Bram de Vries")
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("bram.devries@gmail.com")) == .apply(.answered(.accept)))
        let unknown = ReplyStanding(session: .unknown, invitee: nil)
        #expect(ReplyJudge.decide(answer.facts, standing: unknown) == .ignored(.unknownSession))
    }

    @Test func anAcceptOfAnOlderInvitationGoesToTheOrganiser() throws {
        let (_, found) = try Self.read(.gmailAcceptStaleSequence)
        #expect(found.count == 1 && found[0].facts.sequence == 0)
        #expect(ReplyJudge.decide(found[0].facts, standing: Self.invited("bram.devries@gmail.com", lastSent: 2)) == .needsReview(.staleSequence))
    }

    @Test func anAliasTheStoreDoesNotKnowGoesToTheOrganiser() throws {
        let (message, answer) = try Self.only(.gmailAcceptDottedAlias)
        #expect(message.calendarParts.map(\.contentType) == ["application/octet-stream"])
        #expect(message.calendarParts[0].filename == "uitnodiging één.ics")
        #expect(answer.facts.attendee == "bramdevries@gmail.com")
        let noSuchInvitee = ReplyStanding(session: .scheduled, invitee: nil)
        #expect(ReplyJudge.decide(answer.facts, standing: noSuchInvitee) == .needsReview(.attendeeNotInvited))
    }

    @Test func appleTentativeInQuotedPrintable() throws {
        let (message, answer) = try Self.only(.appleICloudTentative)
        #expect(message.from == InboundMailbox(address: "fatima.elamrani@icloud.com", displayName: "Fatima El Amrani"))
        #expect(message.calendarParts[0].filename == "iCal-20270111-193011.ics" && message.calendarParts[0].method == "REPLY")
        #expect(answer.event.attendees[0].commonName == "Fatima El Amrani" && answer.facts.participation == .tentative)
        #expect(answer.productID == "-//Apple Inc.//iPhone OS 18.1//EN")
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("fatima.elamrani@icloud.com")) == .apply(.answered(.tentative)))
    }

    @Test func thunderbirdDeclinesOneMeetingFromAnMboxFile() throws {
        let bytes = try ReplyFixture.thunderbirdDeclineOneMeeting.bytes()
        #expect(bytes.starts(with: Array("From piet".utf8)) && !bytes.contains(13))
        let (_, answer) = try Self.only(.thunderbirdDeclineOneMeeting)
        let recurrence = try #require(answer.event.recurrenceID)
        #expect(recurrence.local == .zoned(CalendarDateTime(year: 2027, month: 2, day: 16, hour: 19, minute: 0), tzid: "Europe/Amsterdam"))
        #expect(recurrence.instant == Date(timeIntervalSince1970: 1_802_800_800))
        #expect(answer.event.comments == ["Op 16 februari ben ik op vakantie."])
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("piet.bakker@posteo.nl", .accepted)) == .meetingNotice(.decline))
    }

    @Test func anAnswerWrittenEarlierButArrivingLaterIsIgnored() throws {
        let (_, decline) = try Self.only(.thunderbirdOutOfOrder1Decline)
        let (_, accept) = try Self.only(.thunderbirdOutOfOrder2AcceptWrittenEarlier)
        #expect(ReplyJudge.decide(decline.facts, standing: Self.invited("piet.bakker@posteo.nl", .accepted)) == .apply(.answered(.decline)))
        let afterDecline = Self.invited("piet.bakker@posteo.nl", .declined, recorded: decline.facts.stamp)
        #expect(ReplyJudge.decide(accept.facts, standing: afterDecline) == .ignored(.olderThanRecordedAnswer))
    }

    @Test func aForwardedAnswerGoesToTheOrganiser() throws {
        let (message, answer) = try Self.only(.forwardedAccept)
        #expect(message.from?.address == "lisa.smit@gemeente.example.nl")
        #expect(answer.part.isForwarded && answer.facts.attendee == "Anouk.Jansen@Example.nl")
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("anouk.jansen@example.nl")) == .needsReview(.forwarded))
    }

    @Test func aRefreshInLatin1QueuesTheInvitationAgain() throws {
        let (message, answer) = try Self.only(.evolutionRefreshLatin1)
        #expect(message.from == InboundMailbox(address: "helene.bos@example.org", displayName: "Hélène Bos"))
        #expect(answer.facts.method == .refresh && answer.event.attendees[0].commonName == "Hélène Bos")
        #expect(ReplyJudge.decide(answer.facts, standing: Self.invited("helene.bos@example.org", .accepted)) == .apply(.refreshRequested))
    }

    @Test func aQuestionHasNoCalendarPart() throws {
        let (message, found) = try Self.read(.questionNoCalendar)
        #expect(message.calendarParts.isEmpty && found.isEmpty)
        #expect(message.from == InboundMailbox(address: "jeroen.mulder@example.com", displayName: "Mulder, Jeroen"))
    }

    /// Python's `email` package, as an independent reader, finds the same calendar parts with the
    /// same text, and the same sender and Message-ID, in every fixture.
    @Test(arguments: ReplyFixture.allCases)
    func pythonsMailReaderAgrees(fixture: ReplyFixture) throws {
        let script = #"""
            import json, sys, email
            from email import policy
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
            parts = []
            def walk(part, forwarded):
                if part.get_content_type() == 'message/rfc822':
                    for inner in part.iter_parts(): walk(inner, True)
                elif part.is_multipart():
                    for inner in part.iter_parts(): walk(inner, forwarded)
                else:
                    name = part.get_filename() or ''
                    if part.get_content_type() in ('text/calendar', 'application/ics') or name.lower().endswith('.ics'):
                        data = part.get_payload(decode=True)
                        if data.startswith(b'\xef\xbb\xbf'): data = data[3:]
                        parts.append([data.decode(part.get_content_charset() or 'utf-8'), forwarded])
            walk(m, False)
            print(json.dumps({'from': m['From'].addresses[0].addr_spec, 'id': m['Message-ID'].strip().strip('<>'), 'parts': parts}))
            """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, fixture.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let python = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let message = try InboundMessage.parse(try fixture.bytes())
        #expect(message.from?.address == (python["from"] as? String)?.lowercased())
        #expect(message.messageID == python["id"] as? String)
        let parts = try #require(python["parts"] as? [[Any]])
        #expect(message.calendarParts.map(\.text) == parts.map { $0[0] as? String ?? "" })
        #expect(message.calendarParts.map(\.isForwarded) == parts.map { $0[1] as? Bool ?? false })
    }
}
