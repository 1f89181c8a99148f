import Foundation
import OverstapCore
import OverstapStore

/// What `overstap db status` shows.
public struct DatabaseStatus: Sendable, Equatable {
    /// `sqlite` or `postgresql`.
    public var backend: String
    /// The SQLite path, or `host:port/database` (never a password).
    public var place: String
    /// The last applied migration this program knows; nil for an empty database.
    public var version: String?
    /// The applied migrations.
    public var applied: [String]
    /// Known migrations not applied yet.
    public var pending: [String]
    /// Applied migrations this program does not know (a newer overstap migrated the database).
    public var unknown: [String]

    init(backend: String, place: String, migrations: MigrationStatus) {
        self.backend = backend
        self.place = place
        version = migrations.version
        applied = migrations.applied
        pending = migrations.pending
        unknown = migrations.unknown
    }
}

extension OverstapService {
    /// Opens one read transaction, so a database that cannot be reached or whose schema this
    /// program does not match (PostgreSQL: pending or newer migrations) is refused now.
    public func checkDatabase() async throws {
        try await store.read { _ in }
    }

    /// The schema of the database the settings name, changing nothing (a missing SQLite file is not created).
    public static func databaseStatus(settings: OverstapSettings) async throws -> DatabaseStatus {
        let migrations: MigrationStatus
        switch settings.database {
        case .sqlite(let path):
            migrations = try SQLiteStore.migrationStatus(path: path)
        case .postgres(let endpoint):
            let store = try PostgresStore(endpoint: endpoint, schema: .unchecked)
            defer { store.shutdown() }
            migrations = try await store.migrationStatus()
        }
        return DatabaseStatus(backend: settings.database.backend, place: settings.database.place, migrations: migrations)
    }

    /// Applies the pending migrations of the database the settings name (PostgreSQL: under the
    /// advisory lock, so processes migrating at once apply each once); returns the names applied.
    public static func migrateDatabase(settings: OverstapSettings) async throws -> [String] {
        switch settings.database {
        case .sqlite(let path):
            let before = try SQLiteStore.migrationStatus(path: path)
            try before.refuseNewer(place: path)
            _ = try SQLiteStore(path: path)
            return before.pending
        case .postgres(let endpoint):
            let store = try PostgresStore(endpoint: endpoint, schema: .unchecked)
            defer { store.shutdown() }
            return try await store.migrate()
        }
    }
}
