import Foundation
import Mail
import OverstapCore
import OverstapStore

/// The use cases the CLI and the daemon call: one value holding the store, settings, catalogues
/// and clock.
public struct OverstapService: Sendable {
    public let store: any OverstapStore
    public let settings: OverstapSettings
    public let catalogues: CatalogueLoader.Catalogues
    public let clock: TimeSource
    /// How long an outbox claim holds before another sender may take the message over.
    public var outboxLease = OverstapService.defaultOutboxLease

    /// Creates the service over an open store.
    public init(store: any OverstapStore, settings: OverstapSettings, catalogues: CatalogueLoader.Catalogues, clock: TimeSource) {
        self.store = store
        self.settings = settings
        self.catalogues = catalogues
        self.clock = clock
    }

    /// Opens the store named by the settings and loads the catalogues.
    /// With `existingDatabaseOnly` (a program the mail system runs) a missing or unmigrated
    /// database is `StoreUnavailableError`, never created or migrated.
    public static func open(settings: OverstapSettings, clock: TimeSource, existingDatabaseOnly: Bool = false) throws -> OverstapService {
        let catalogues = try CatalogueLoader.load(folder: settings.cataloguesPath)
        try catalogues.regions.validate(settings.organiserRegion, place: "organiser.region")
        let store = try openStore(settings: settings, existingDatabaseOnly: existingDatabaseOnly)
        if settings.mail.transport == .file {
            // Files an older version wrote with the umask's modes hold personal data too.
            try? FileTransport(directory: settings.mail.directory).restrictToOwner()
        }
        return OverstapService(store: store, settings: settings, catalogues: catalogues, clock: clock)
    }

    /// Opens the store `database.url` names. SQLite creates and migrates its file (unless
    /// `existingDatabaseOnly`); PostgreSQL migrates a database nothing was applied to yet, under
    /// the advisory lock, and refuses one with pending or newer migrations (`overstap db migrate`).
    public static func openStore(settings: OverstapSettings, existingDatabaseOnly: Bool = false) throws -> any OverstapStore {
        switch settings.database {
        case .sqlite(let path):
            return try SQLiteStore(path: path, existingOnly: existingDatabaseOnly)
        case .postgres(let endpoint):
            return try PostgresStore(endpoint: endpoint, schema: existingDatabaseOnly ? .requireCurrent : .migrateWhenEmpty)
        }
    }

    /// The rules sessions are checked against, as of now.
    var sessionRules: SessionRules {
        SessionRules(sectors: catalogues.sectors, regions: catalogues.regions, now: clock.now())
    }
}
