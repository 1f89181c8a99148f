import Crypto
import Foundation

/// How a database's schema compares with the migrations this program knows.
public struct MigrationStatus: Sendable, Equatable {
    /// Every migration this program knows, in order.
    public var known: [String]
    /// The migrations the database records as applied.
    public var applied: [String]

    /// Creates a status from the known and the applied names.
    public init(known: [String], applied: [String]) {
        self.known = known
        self.applied = applied
    }

    /// Known migrations not applied yet, in order.
    public var pending: [String] { known.filter { !applied.contains($0) } }
    /// Applied migrations this program does not know: a newer overstap migrated the database.
    public var unknown: [String] { applied.filter { !known.contains($0) }.sorted() }
    /// The last known migration that is applied, nil for an empty database.
    public var version: String? { known.last { applied.contains($0) } }

    /// Refuses a schema with pending or unknown migrations (`StoreOpenError`, exit 1).
    public func requireCurrent(place: String) throws {
        guard unknown.isEmpty else { throw newerError(place: place) }
        guard pending.isEmpty else {
            throw StoreOpenError(
                path: place,
                reason: "its schema has pending migrations (\(pending.joined(separator: ", "))); run overstap db migrate with the same --config first")
        }
    }

    /// Refuses a schema a newer overstap migrated (`StoreOpenError`, exit 1).
    public func refuseNewer(place: String) throws {
        guard unknown.isEmpty else { throw newerError(place: place) }
    }

    /// The refusal for a database that a newer overstap migrated.
    func newerError(place: String) -> StoreOpenError {
        StoreOpenError(
            path: place,
            reason: "this database was migrated by a newer overstap (unknown migrations: \(unknown.joined(separator: ", "))); "
                + "upgrade this overstap to the version the other processes run")
    }

    /// The SHA-256 (hex) of a migration's text, as `schema_migrations` records it.
    public static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
