import Foundation
import GRDB
import OverstapCore

/// A row of `partner`.
struct PartnerRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "partner"

    var id: Int64?
    var slug: String
    var name: String
    var email: String
    var kind: String
    var region: String?
    var createdAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let slug = Column(CodingKeys.slug)
    }

    enum CodingKeys: String, CodingKey {
        case id, slug, name, email, kind, region
        case createdAt = "created_at"
    }

    init(_ partner: Partner, createdAt: Date) {
        slug = partner.slug
        name = partner.name
        email = partner.email
        kind = partner.kind.rawValue
        region = partner.region
        self.createdAt = createdAt
    }

    var partner: Partner {
        Partner(slug: slug, name: name, email: email, kind: PartnerKind(rawValue: kind) ?? .other, region: region)
    }
}
