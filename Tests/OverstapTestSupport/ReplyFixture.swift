import Foundation

/// The calendar answers in `Tests/Fixtures/Replies/` (written by `generate.py` there from the
/// public descriptions of each client), for parser, judge, CLI and integration tests alike.
/// Every one answers the session with UID `ReplyFixture.sessionUID`, sent by `teamAddress`.
public enum ReplyFixture: String, CaseIterable, Sendable {
    /// Outlook on Exchange 2010: no ORGANIZER, `MAILTO:Anouk.Jansen@Example.nl`, Windows zone, base64, SEQUENCE 2.
    case outlookExchange2010Accept = "outlook-exchange2010-accept"
    /// The same message delivered again (same Message-ID, folded differently).
    case outlookExchange2010AcceptRedelivered = "outlook-exchange2010-accept-redelivered"
    /// Microsoft 365 decline with SEQUENCE 1 and a COMMENT; topmost Authentication-Results has no authserv-id.
    case microsoft365DeclineOlderSequence = "microsoft365-decline-older-sequence"
    /// Outlook COUNTER proposing 20:00–22:30 with a COMMENT.
    case outlookCounterWithComment = "outlook-counter-with-comment"
    /// Outlook REPLY with PARTSTAT=DELEGATED to m.dekker@example.nl.
    case outlookDelegated = "outlook-delegated"
    /// A decline whose receiving server found DMARC failing for example.nl.
    case forgedDMARCFail = "forged-dmarc-fail"
    /// Gmail accept: inline text/calendar (7bit) and an application/ics attachment (base64).
    case gmailAccept = "gmail-accept"
    /// Gmail accept of SEQUENCE 0 (the person was sent SEQUENCE 2 since).
    case gmailAcceptStaleSequence = "gmail-accept-stale-sequence"
    /// Gmail accept naming `bramdevries@gmail.com` (the invitation went to `bram.devries@gmail.com`);
    /// only an application/octet-stream attachment with an RFC 2231 file name.
    case gmailAcceptDottedAlias = "gmail-accept-dotted-alias"
    /// Apple Mail / iCloud tentative: quoted-printable, X-APPLE properties, quoted CN, encoded-word From.
    case appleICloudTentative = "apple-icloud-tentative"
    /// Thunderbird declines the meeting of 16 February only (RECURRENCE-ID), mbox `From ` line, bare LF.
    case thunderbirdDeclineOneMeeting = "thunderbird-decline-one-meeting"
    /// Thunderbird decline written on 14 January…
    case thunderbirdOutOfOrder1Decline = "thunderbird-out-of-order-1-decline"
    /// …and an accept written on 13 January that arrives after it.
    case thunderbirdOutOfOrder2AcceptWrittenEarlier = "thunderbird-out-of-order-2-accept-written-earlier"
    /// A colleague forwards Anouk's acceptance as message/rfc822.
    case forwardedAccept = "forwarded-accept"
    /// Evolution REFRESH, single text/calendar part in ISO-8859-1.
    case evolutionRefreshLatin1 = "evolution-refresh-latin1"
    /// A person's question to the team: no calendar part.
    case questionNoCalendar = "question-no-calendar"

    /// The UID of the session every fixture answers.
    public static let sessionUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7@mobiliteit.example.nl"
    /// The team mailbox (ORGANIZER) the answers go to.
    public static let teamAddress = "team@mobiliteit.example.nl"
    /// The folder holding the `.eml` files.
    public static var folder: String { "\(Repository.root)/Tests/Fixtures/Replies" }

    /// The fixture's file path.
    public var path: String { "\(Self.folder)/\(rawValue).eml" }

    /// The message exactly as stored.
    public func bytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
}
