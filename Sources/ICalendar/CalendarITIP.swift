import Foundation

/// An iTIP message a calendar client sends back to the organiser (RFC 5546): a REPLY with the
/// attendee's answer, a COUNTER proposing another time, or a REFRESH asking for the invitation
/// again. Read as real clients write it: Exchange leaves ORGANIZER out, SEQUENCE may be missing,
/// `MAILTO:` may be upper case, zones may carry Windows names.
public struct CalendarITIP: Sendable, Hashable {
    /// The `METHOD` of the calendar.
    public var method: ITIPMethod
    /// `PRODID`: which client wrote it (`Microsoft Exchange Server 2010`, `-//Google Inc//Google Calendar 70.9054//EN`).
    public var productID: String?
    /// Every VEVENT, in order: a series answer, or one per meeting answered separately.
    public var events: [ITIPEvent]

    /// Creates a message.
    public init(method: ITIPMethod, productID: String?, events: [ITIPEvent]) {
        self.method = method
        self.productID = productID
        self.events = events
    }
}

/// The iTIP method of a message that comes back to the organiser.
public enum ITIPMethod: Sendable, Hashable {
    case reply
    case counter
    case refresh
    /// Any other method (`REQUEST`, `CANCEL`, `PUBLISH`, an X-method), upper case.
    case other(String)
    /// The calendar has no METHOD: a plain .ics file, not an iTIP message.
    case missing

    /// The method as iCalendar writes it (`REPLY`), empty when missing.
    public var name: String {
        switch self {
        case .reply: return "REPLY"
        case .counter: return "COUNTER"
        case .refresh: return "REFRESH"
        case .other(let name): return name
        case .missing: return ""
        }
    }
}

/// One VEVENT of an iTIP message, with the facts that tell whether an answer is genuine and current.
public struct ITIPEvent: Sendable, Hashable {
    public var uid: String
    /// SEQUENCE; nil when absent (unknown, which is not the same as 0).
    public var sequence: Int?
    /// DTSTAMP: when the client wrote this answer; nil when absent.
    public var stamp: Date?
    /// RECURRENCE-ID: set when the answer is for one meeting of a series.
    public var recurrenceID: ITIPTime?
    /// ORGANIZER; Exchange and Outlook leave it out of replies.
    public var organizer: CalendarAddress?
    public var attendees: [ITIPAttendee]
    /// COMMENT texts: what the person wrote with the answer or proposal.
    public var comments: [String]
    /// DTSTART: in a COUNTER, the proposed start.
    public var start: ITIPTime?
    /// DTEND (or DTSTART + DURATION): in a COUNTER, the proposed end.
    public var end: ITIPTime?
    /// The 1-based line of `BEGIN:VEVENT`.
    public var line: Int

    /// Creates an event.
    public init(
        uid: String, sequence: Int? = nil, stamp: Date? = nil, recurrenceID: ITIPTime? = nil, organizer: CalendarAddress? = nil,
        attendees: [ITIPAttendee] = [], comments: [String] = [], start: ITIPTime? = nil, end: ITIPTime? = nil, line: Int = 1
    ) {
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.recurrenceID = recurrenceID
        self.organizer = organizer
        self.attendees = attendees
        self.comments = comments
        self.start = start
        self.end = end
        self.line = line
    }
}

/// A date-time as written (local time with its TZID, UTC, floating or a date) and, where the zone
/// is known (the file's VTIMEZONE, an IANA name or a Windows name), the instant it means.
public struct ITIPTime: Sendable, Hashable {
    public var local: CalendarTime
    /// Nil for floating times, whole days and unknown zones.
    public var instant: Date?

    /// Creates a time.
    public init(local: CalendarTime, instant: Date?) {
        self.local = local
        self.instant = instant
    }
}

/// An ATTENDEE of an iTIP message: who answers and what.
public struct ITIPAttendee: Sendable, Hashable {
    /// The address without `mailto:` (any case), as written.
    public var address: String
    /// CN, quoted or not.
    public var commonName: String?
    public var participation: ITIPParticipation
    /// DELEGATED-TO addresses without `mailto:` (libical 3.0 keeps the first of several).
    public var delegatedTo: [String]
    /// The 1-based line of the ATTENDEE property.
    public var line: Int

    /// Creates an attendee.
    public init(address: String, commonName: String? = nil, participation: ITIPParticipation, delegatedTo: [String] = [], line: Int = 1) {
        self.address = address
        self.commonName = commonName
        self.participation = participation
        self.delegatedTo = delegatedTo
        self.line = line
    }
}

/// PARTSTAT of an attendee in a VEVENT.
public enum ITIPParticipation: Sendable, Hashable {
    case needsAction
    case accepted
    case declined
    case tentative
    case delegated
    /// Any other value (`COMPLETED`, an X-value), upper case.
    case other(String)

    /// Reads a PARTSTAT value in any case; a missing value is `NEEDS-ACTION` (RFC 5545 default).
    public init(_ value: String?) {
        switch value?.uppercased() ?? "NEEDS-ACTION" {
        case "NEEDS-ACTION": self = .needsAction
        case "ACCEPTED": self = .accepted
        case "DECLINED": self = .declined
        case "TENTATIVE": self = .tentative
        case "DELEGATED": self = .delegated
        case let other: self = .other(other)
        }
    }
}
