import Foundation

/// A webinar, training or workshop run with one or more partners: what the organiser planned.
public struct Session: Equatable, Sendable {
    /// The database id, shown to organisers; nil before the session is stored.
    public var id: Int64?
    /// The iCalendar UID, fixed at creation so every update replaces the same calendar entry.
    public var uid: String
    public var title: String
    public var description: String
    public var kind: SessionKind
    /// Slugs of the partners who run it, the first being the lead partner.
    public var partners: [String]
    /// The sector the session prepares people for.
    public var sector: String
    /// The sectors the session is tailored for (where its participants come from).
    public var audience: [String]
    public var start: LocalDateTime
    public var end: LocalDateTime
    /// The IANA zone the local times are in.
    public var timezone: String
    /// A bounded RRULE (`FREQ=WEEKLY;COUNT=6`), nil for a single meeting.
    public var recurrence: String?
    public var capacity: Int
    public var venue: Venue
    /// The organising region; on-site sessions take place there.
    public var region: String
    /// The language the session is held in (`nl`, `en`, …).
    public var language: String
    public var status: SessionStatus
    /// Raised on every change a participant should see, so calendars replace the old entry.
    public var sequence: Int
    /// Why the session was cancelled, when it was.
    public var cancelReason: String?
    /// When anything about the session last changed (UTC).
    public var updatedAt: Date

    /// Creates a session.
    public init(
        id: Int64? = nil, uid: String, title: String, description: String, kind: SessionKind,
        partners: [String], sector: String, audience: [String], start: LocalDateTime, end: LocalDateTime,
        timezone: String, recurrence: String?, capacity: Int, venue: Venue, region: String,
        language: String, status: SessionStatus = .scheduled, sequence: Int = 0, cancelReason: String? = nil,
        updatedAt: Date
    ) {
        self.id = id
        self.uid = uid
        self.title = title
        self.description = description
        self.kind = kind
        self.partners = partners
        self.sector = sector
        self.audience = audience
        self.start = start
        self.end = end
        self.timezone = timezone
        self.recurrence = recurrence
        self.capacity = capacity
        self.venue = venue
        self.region = region
        self.language = language
        self.status = status
        self.sequence = sequence
        self.cancelReason = cancelReason
        self.updatedAt = updatedAt
    }

    /// Length of each meeting in minutes.
    public var durationMinutes: Int { start.minutes(until: end) }

    /// Every meeting's local start and end, in order (one for a single session).
    public func meetings() throws(InputError) -> [Meeting] {
        let starts: [LocalDateTime]
        if let recurrence {
            starts = try RecurrenceRule.parse(recurrence, place: "--repeat").localStarts(from: start)
        } else {
            starts = [start]
        }
        return starts.map { Meeting(start: $0, end: $0.adding(minutes: durationMinutes)) }
    }
}

/// One meeting of a session, in local time.
public struct Meeting: Equatable, Sendable {
    public var start: LocalDateTime
    public var end: LocalDateTime

    /// Creates a meeting.
    public init(start: LocalDateTime, end: LocalDateTime) {
        self.start = start
        self.end = end
    }
}

/// Where a session takes place.
public enum Venue: Equatable, Sendable {
    /// Online, with the join link.
    case online(URL)
    /// On site, with the address as the participant should read it.
    case onSite(String)

    /// True for online sessions.
    public var isOnline: Bool { joinLink != nil }

    /// The join link of an online session.
    public var joinLink: URL? {
        if case .online(let url) = self { return url }
        return nil
    }

    /// The address of an on-site session.
    public var address: String? {
        if case .onSite(let text) = self { return text }
        return nil
    }
}

/// The format of a session.
public enum SessionKind: String, CaseIterable, Codable, Sendable {
    case webinar, training, workshop
}

/// Whether a session still takes place.
public enum SessionStatus: String, CaseIterable, Codable, Sendable {
    case scheduled, cancelled
}
