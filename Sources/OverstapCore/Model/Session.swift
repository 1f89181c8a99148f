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
    /// Meetings of the series that were cancelled or moved one by one, by original start.
    public var exceptions: [MeetingException] = []

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

    /// The local starts the series' rule produces, before any exception (one for a single session).
    public func originalStarts() throws(InputError) -> [LocalDateTime] {
        guard let recurrence else { return [start] }
        return try RecurrenceRule.parse(recurrence, place: "--repeat").localStarts(from: start)
    }

    /// Every meeting that takes place, as it now is (moved ones at their new time), by start.
    public func meetings() throws(InputError) -> [Meeting] {
        try schedule().filter { $0.status != .cancelled }
    }

    /// Every meeting the series planned, cancelled ones included, by current start.
    public func schedule() throws(InputError) -> [Meeting] {
        // Most sessions have no exception: no lookup, and the rule's order is already by start.
        guard !exceptions.isEmpty else {
            return try originalStarts().map { Meeting(start: $0, end: $0.adding(minutes: durationMinutes)) }
        }
        let changes = Dictionary(exceptions.map { ($0.originalStart, $0.change) }, uniquingKeysWith: { _, last in last })
        return try originalStarts().map { original in
            switch changes[original] {
            case nil:
                return Meeting(start: original, end: original.adding(minutes: durationMinutes))
            case .cancelled?:
                return Meeting(start: original, end: original.adding(minutes: durationMinutes), status: .cancelled, originalStart: original)
            case .moved(let start, let end)?:
                return Meeting(start: start, end: end, status: .moved, originalStart: original)
            }
        }.sorted { ($0.start, $0.originalStart) < ($1.start, $1.originalStart) }
    }
}

/// One meeting of a session, in local time, as it now is.
public struct Meeting: Equatable, Sendable {
    public var start: LocalDateTime
    public var end: LocalDateTime
    /// Whether it was moved or called off on its own.
    public var status: MeetingStatus
    /// The start the series' rule gave it: the key others use for this meeting.
    public var originalStart: LocalDateTime

    /// Creates a meeting; by default one that takes place as planned.
    public init(start: LocalDateTime, end: LocalDateTime, status: MeetingStatus = .scheduled, originalStart: LocalDateTime? = nil) {
        self.start = start
        self.end = end
        self.status = status
        self.originalStart = originalStart ?? start
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
