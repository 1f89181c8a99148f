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

    var worker: Worker {
        var worker = Worker(
            id: id, email: email, name: name, sector: sector, targets: targets.split(separator: "|").map(String.init),
            region: region, languages: languages.split(separator: "|").map(String.init),
            availability: availability.split(separator: "|").compactMap(WeeklyWindow.parse),
            availableFrom: availableFrom.flatMap { LocalDate(iso: Substring($0)) },
            availableUntil: availableUntil.flatMap { LocalDate(iso: Substring($0)) },
            status: WorkerStatus(rawValue: status) ?? .unemployed, locale: locale, waitingSince: firstImportedAt)
        worker.undeliverableSince = undeliverableSince
        return worker
    }
}
