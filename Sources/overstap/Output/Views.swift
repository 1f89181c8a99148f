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
    /// How the invited answered (`session show` only).
    var answers: AnswerCounts?

    /// One meeting as it now is: moved ones at their new time, cancelled ones still listed.
    struct MeetingView: Encodable {
        var start: String
        var end: String
        /// Who came (`session show` only).
        var attendance: AttendanceCountsView?
        var status: String
        /// Where the series' rule put it: the key `--meeting` takes (its date).
        var originalStart: String

        enum CodingKeys: String, CodingKey {
            case start, end, status, attendance
            case originalStart = "original_start"
        }
    }

    /// Enrollments by answer: invited people who have not answered are `no_answer`.
    struct AnswerCounts: Encodable {
        var accepted = 0
        var tentative = 0
        var declined = 0
        var noAnswer = 0
        var expired = 0

        init(_ states: [EnrollmentState]) {
            for state in states {
                switch state {
                case .accepted: accepted += 1
                case .tentative: tentative += 1
                case .declined: declined += 1
                case .invited: noAnswer += 1
                case .expired: expired += 1
                case .selected, .cancelled, .attended, .noShow: break
                }
            }
        }

        enum CodingKeys: String, CodingKey {
            case accepted, tentative, declined, expired
            case noAnswer = "no_answer"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, uid, title, description, kind, partners, sector, audience, start, end, timezone, meetings, capacity
        case location, region, language, status, sequence, answers
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
            let timed = try stored.timedMeetings()
            let zone = try ZoneResolver(identifier: session.timezone, place: "session \(stored.id)")
            var views: [MeetingView] = []
            for meeting in try session.schedule() {
                let place = "session \(stored.id), meeting of \(meeting.originalStart)"
                var interval = DateInterval(start: stored.startsAt, duration: length)
                if let taking = timed.first(where: { $0.meeting.originalStart == meeting.originalStart }) {
                    interval = taking.interval
                } else {
                    interval.start = try zone.instant(of: meeting.start, place: place)
                }
                var original = interval.start
                if meeting.status != .scheduled { original = try zone.instant(of: meeting.originalStart, place: place) }
                views.append(MeetingView(
                    start: formatter.rfc3339(interval.start, zone: session.timezone), end: formatter.rfc3339(interval.end, zone: session.timezone),
                    status: meeting.status.rawValue, originalStart: formatter.rfc3339(original, zone: session.timezone)))
            }
            meetings = views
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
