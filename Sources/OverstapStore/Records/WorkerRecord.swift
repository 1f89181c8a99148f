import Foundation
import GRDB
import OverstapCore

/// A row of `worker`.
struct WorkerRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "worker"

    var id: Int64?
    var emailKey: String
    var email: String
    var name: String
    var sector: String
    var targets: String
    var region: String
    var languages: String
    var availability: String
    var availableFrom: String?
    var availableUntil: String?
    var status: String
    var locale: String
    var firstImportedAt: Date
    var updatedAt: Date
    var undeliverableSince: Date?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let emailKey = Column(CodingKeys.emailKey)
    }

    enum CodingKeys: String, CodingKey {
        case id, email, name, sector, targets, region, languages, availability, status, locale
        case emailKey = "email_key", availableFrom = "available_from", availableUntil = "available_until"
        case firstImportedAt = "first_imported_at", updatedAt = "updated_at", undeliverableSince = "undeliverable_since"
    }

    init(_ worker: Worker, firstImportedAt: Date, updatedAt: Date) {
        id = worker.id
        emailKey = worker.email.lowercased()
        email = worker.email
        name = worker.name
        sector = worker.sector
        targets = worker.targets.joined(separator: "|")
        region = worker.region
        languages = worker.languages.joined(separator: "|")
        availability = worker.availability.map(\.description).joined(separator: "|")
        availableFrom = worker.availableFrom?.description
        availableUntil = worker.availableUntil?.description
        status = worker.status.rawValue
        locale = worker.locale
        self.firstImportedAt = firstImportedAt
        self.updatedAt = updatedAt
        undeliverableSince = worker.undeliverableSince
    }

    /// Reads the columns directly: loading every worker for a matching run is hot, and Codable
    /// decoding cost twice as much.
    init(row: Row) throws {
        id = row[CodingKeys.id.rawValue]
        emailKey = row[CodingKeys.emailKey.rawValue]
        email = row[CodingKeys.email.rawValue]
        name = row[CodingKeys.name.rawValue]
        sector = row[CodingKeys.sector.rawValue]
        targets = row[CodingKeys.targets.rawValue]
        region = row[CodingKeys.region.rawValue]
        languages = row[CodingKeys.languages.rawValue]
        availability = row[CodingKeys.availability.rawValue]
        availableFrom = row[CodingKeys.availableFrom.rawValue]
        availableUntil = row[CodingKeys.availableUntil.rawValue]
        status = row[CodingKeys.status.rawValue]
        locale = row[CodingKeys.locale.rawValue]
        firstImportedAt = row[CodingKeys.firstImportedAt.rawValue]
        updatedAt = row[CodingKeys.updatedAt.rawValue]
        undeliverableSince = row[CodingKeys.undeliverableSince.rawValue]
    }

    var worker: Worker {
        var lists = ListColumns()
        return worker(&lists)
    }

    /// The worker, with its list columns split through `lists`, which remembers each text it split.
    func worker(_ lists: inout ListColumns) -> Worker {
        var worker = Worker(
            id: id, email: email, name: name, sector: sector, targets: lists.names(targets),
            region: region, languages: lists.names(languages), availability: lists.windows(availability),
            availableFrom: availableFrom.flatMap { LocalDate(iso: Substring($0)) },
            availableUntil: availableUntil.flatMap { LocalDate(iso: Substring($0)) },
            status: WorkerStatus(rawValue: status) ?? .unemployed, locale: locale, waitingSince: firstImportedAt)
        worker.undeliverableSince = undeliverableSince
        return worker
    }

    /// Splits the `|`-separated list columns, once per distinct text: thousands of workers share
    /// a few hundred lists of sectors, languages and weekly windows.
    struct ListColumns {
        private var namesByText: [String: [String]] = [:]
        private var windowsByText: [String: [WeeklyWindow]] = [:]
        /// Single windows by their text: lists differ far more often than the windows in them.
        private var windowByText: [String: WeeklyWindow?] = [:]

        mutating func names(_ text: String) -> [String] {
            if let names = namesByText[text] { return names }
            let names = text.split(separator: "|").map(String.init)
            namesByText[text] = names
            return names
        }

        mutating func windows(_ text: String) -> [WeeklyWindow] {
            if let windows = windowsByText[text] { return windows }
            let windows = text.split(separator: "|").compactMap { part in
                let key = String(part)
                if let known = windowByText[key] { return known }
                let window = WeeklyWindow.parse(part)
                windowByText[key] = window
                return window
            }
            windowsByText[text] = windows
            return windows
        }
    }
}
