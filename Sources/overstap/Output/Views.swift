import Foundation
import OverstapCore

/// Formats instants as RFC 3339 with the offset of a zone (`2027-02-02T19:00:00+01:00`).
struct TimeFormatter {
    private var resolvers: [String: ZoneResolver] = [:]

    mutating func rfc3339(_ instant: Date, zone identifier: String) -> String {
        let resolver = resolvers[identifier] ?? (try? ZoneResolver(identifier: identifier, place: "timezone")) ?? ZoneResolver(zone: .gmt)
        resolvers[identifier] = resolver
        let local = resolver.local(of: instant)
        return "\(local.date)T\(local.description.suffix(5)):00\(resolver.offsetString(at: instant))"
    }
}

/// A partner as `--json` prints it.
struct PartnerView: Encodable {
    var slug: String
    var name: String
    var email: String
    var kind: String
    var region: String?

    init(_ partner: Partner) {
        slug = partner.slug
        name = partner.name
        email = partner.email
        kind = partner.kind.rawValue
        region = partner.region
    }
}

/// A session as `--json` prints it.
struct SessionView: Encodable {
    var id: String
    var uid: String
    var title: String
    var description: String
    var kind: String
    var partners: [String]
    var sector: String
    var audience: [String]
    var start: String
    var end: String
    var timezone: String
    var repeatRule: String?
    var meetings: [MeetingView]?
    var capacity: Int
    var seatsTaken: Int
    var seatsFree: Int
    var onlineURL: String?
    var location: String?
    var region: String
    var language: String
    var status: String
    var sequence: Int
    var cancelReason: String?

    struct MeetingView: Encodable {
        var start: String
        var end: String
        /// Who came (`session show` only).
        var attendance: AttendanceCountsView?
    }

    enum CodingKeys: String, CodingKey {
        case id, uid, title, description, kind, partners, sector, audience, start, end, timezone, meetings, capacity
        case location, region, language, status, sequence
        case repeatRule = "repeat", seatsTaken = "seats_taken", seatsFree = "seats_free", onlineURL = "online_url"
        case cancelReason = "cancel_reason"
    }

    init(_ stored: StoredSession, formatter: inout TimeFormatter, withMeetings: Bool) throws(InputError) {
        let session = stored.session
        let length = TimeInterval(session.durationMinutes * 60)
        id = String(stored.id)
        uid = session.uid
        title = session.title
        description = session.description
        kind = session.kind.rawValue
        partners = session.partners
        sector = session.sector
        audience = session.audience
        start = formatter.rfc3339(stored.startsAt, zone: session.timezone)
        end = formatter.rfc3339(stored.startsAt.addingTimeInterval(length), zone: session.timezone)
        timezone = session.timezone
        repeatRule = session.recurrence
        if withMeetings {
            meetings = try stored.meetingIntervals().map { meeting in
                MeetingView(
                    start: formatter.rfc3339(meeting.start, zone: session.timezone),
                    end: formatter.rfc3339(meeting.end, zone: session.timezone))
            }
        }
        capacity = session.capacity
        seatsTaken = stored.seatsTaken
        seatsFree = max(0, session.capacity - stored.seatsTaken)
        onlineURL = session.venue.joinLink?.absoluteString
        location = session.venue.address
        region = session.region
        language = session.language
        status = session.status.rawValue
        sequence = session.sequence
        cancelReason = session.cancelReason
    }
}

/// A worker as `--json` prints it.
struct WorkerView: Encodable {
    var email: String
    var name: String
    var sector: String
    var targets: [String]
    var region: String
    var languages: [String]
    var availability: [String]
    var availableFrom: String?
    var availableUntil: String?
    var status: String
    var locale: String
    /// When mail to this address was first refused because the mailbox does not exist.
    var undeliverableSince: String?

    enum CodingKeys: String, CodingKey {
        case email, name, sector, targets, region, languages, availability, status, locale
        case availableFrom = "available_from", availableUntil = "available_until", undeliverableSince = "undeliverable_since"
    }

    init(_ worker: Worker) {
        email = worker.email
        name = worker.name
        sector = worker.sector
        targets = worker.targets
        region = worker.region
        languages = worker.languages
        availability = worker.availability.map(\.description)
        availableFrom = worker.availableFrom?.description
        availableUntil = worker.availableUntil?.description
        status = worker.status.rawValue
        locale = worker.locale
    }

    /// The view with the undeliverable flag shown in `zone`.
    init(_ worker: Worker, formatter: inout TimeFormatter, zone: String) {
        self.init(worker)
        undeliverableSince = worker.undeliverableSince.map { formatter.rfc3339($0, zone: zone) }
    }

    /// Always present in JSON (null when the address is fine), so a script can rely on the key.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(sector, forKey: .sector)
        try container.encode(targets, forKey: .targets)
        try container.encode(region, forKey: .region)
        try container.encode(languages, forKey: .languages)
        try container.encode(availability, forKey: .availability)
        try container.encodeIfPresent(availableFrom, forKey: .availableFrom)
        try container.encodeIfPresent(availableUntil, forKey: .availableUntil)
        try container.encode(status, forKey: .status)
        try container.encode(locale, forKey: .locale)
        try container.encode(undeliverableSince, forKey: .undeliverableSince)
    }
}

/// An enrollment as `--json` prints it, seen from the session or from the worker.
struct EnrollmentView: Encodable {
    var session: String?
    var title: String?
    var start: String?
    var worker: String?
    var name: String?
    var state: String
}
