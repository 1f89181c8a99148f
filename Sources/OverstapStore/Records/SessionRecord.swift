import Foundation
import GRDB
import OverstapCore

/// A row of `session`.
struct SessionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "session"

    var id: Int64?
    var uid: String
    var title: String
    var description: String
    var kind: String
    var sector: String
    var audience: String
    var startLocal: String
    var endLocal: String
    var timezone: String
    var recurrence: String?
    var capacity: Int
    var onlineURL: String?
    var location: String?
    var region: String
    var language: String
    var status: String
    var sequence: Int
    var cancelReason: String?
    var startsAt: Date
    var endsAt: Date
    var createdAt: Date
    var updatedAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let region = Column(CodingKeys.region)
        static let startsAt = Column(CodingKeys.startsAt)
        static let endsAt = Column(CodingKeys.endsAt)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, uid, title, description, kind, sector, audience
        case startLocal = "start_local", endLocal = "end_local"
        case timezone, recurrence, capacity
        case onlineURL = "online_url"
        case location, region, language, status, sequence
        case cancelReason = "cancel_reason", startsAt = "starts_at", endsAt = "ends_at"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    /// Every column in a fixed order, so list queries can decode by position: decoding by name
    /// costs a case-insensitive lookup per column and dominated `session list` over 10,000 rows.
    static let orderedColumns = CodingKeys.allCases.map { "s.\($0.rawValue)" }.joined(separator: ", ")

    /// Decodes a row selected with `orderedColumns` first.
    init(orderedRow row: Row) {
        id = row[0]
        uid = row[1]
        title = row[2]
        description = row[3]
        kind = row[4]
        sector = row[5]
        audience = row[6]
        startLocal = row[7]
        endLocal = row[8]
        timezone = row[9]
        recurrence = row[10]
        capacity = row[11]
        onlineURL = row[12]
        location = row[13]
        region = row[14]
        language = row[15]
        status = row[16]
        sequence = row[17]
        cancelReason = row[18]
        startsAt = row[19]
        endsAt = row[20]
        createdAt = row[21]
        updatedAt = row[22]
    }

    init(_ session: Session, startsAt: Date, endsAt: Date, createdAt: Date) {
        id = session.id
        uid = session.uid
        title = session.title
        description = session.description
        kind = session.kind.rawValue
        sector = session.sector
        audience = session.audience.joined(separator: "|")
        startLocal = session.start.description
        endLocal = session.end.description
        timezone = session.timezone
        recurrence = session.recurrence
        capacity = session.capacity
        onlineURL = session.venue.joinLink?.absoluteString
        location = session.venue.address
        region = session.region
        language = session.language
        status = session.status.rawValue
        sequence = session.sequence
        cancelReason = session.cancelReason
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdAt = createdAt
        updatedAt = session.updatedAt
    }

    func session(partners: [String]) -> Session {
        let venue: Venue = onlineURL.flatMap(URL.init(string:)).map(Venue.online) ?? .onSite(location ?? "")
        return Session(
            id: id, uid: uid, title: title, description: description, kind: SessionKind(rawValue: kind) ?? .webinar,
            partners: partners, sector: sector, audience: audience.split(separator: "|").map(String.init),
            start: StoredText.localDateTime(startLocal), end: StoredText.localDateTime(endLocal), timezone: timezone,
            recurrence: recurrence, capacity: capacity, venue: venue, region: region, language: language,
            status: SessionStatus(rawValue: status) ?? .scheduled, sequence: sequence, cancelReason: cancelReason,
            updatedAt: updatedAt)
    }
}

/// How domain values that have no native column type are written as text.
enum StoredText {
    /// `YYYY-MM-DDTHH:MM`: how a meeting's local time is keyed.
    static func key(_ local: LocalDateTime) -> String {
        "\(local.date)T" + local.description.suffix(5)
    }

    static func localDateTime(_ text: String) -> LocalDateTime {
        (try? TimeInput.stamp(text, place: "database").local) ?? LocalDateTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0)
    }
}
