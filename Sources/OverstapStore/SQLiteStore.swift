import Foundation
import GRDB
import Synchronization
import OverstapCore

/// The embedded default store: one SQLite file in WAL mode with `secure_delete` on.
public final class SQLiteStore: OverstapStore {
    private let pool: DatabasePool
    /// A connection of its own for `changeCounter`, opened on first use.
    private let probe = Mutex<DatabaseQueue?>(nil)
    /// Where the database file lives.
    public let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date; with
    /// `existingOnly`, opens only a database that is there and migrated, and changes nothing
    /// (`StoreUnavailableError` otherwise).
    public init(path: String, existingOnly: Bool = false) throws {
        self.path = path
        if existingOnly {
            guard FileManager.default.fileExists(atPath: path) else {
                throw StoreUnavailableError(path: path, reason: "it does not exist")
            }
            // Checked read-only first: opening the pool would already turn an empty file into a
            // WAL database.
            var readOnly = Configuration()
            readOnly.readonly = true
            let migrated: Bool
            do {
                migrated = try DatabaseQueue(path: path, configuration: readOnly).read(Self.migrator.hasCompletedMigrations)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                throw StoreBusyError()
            } catch {
                migrated = false
            }
            guard migrated else { throw StoreUnavailableError(path: path, reason: "its schema is not up to date") }
        } else {
            try Self.createForOwnerOnly(path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Erased people must not linger in free pages: overwrite deleted content with zeros.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Only migrate when needed: migrating takes the write lock, and a reader must not wait
            // for (or fail on) another process's write just to find the schema up to date.
            let migrator = Self.migrator
            // An `existingOnly` database was checked above and is never migrated here.
            if !existingOnly, try !pool.read(migrator.hasCompletedMigrations) { try migrator.migrate(pool) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreBusyError()
        } catch let error as DatabaseError {
            throw StoreOpenError(path: path, reason: error.message ?? "SQLite error \(error.resultCode)")
        }
    }

    /// The database holds names, addresses and employment status: its folder is created for the
    /// owner only, the file is created 0600 before SQLite opens it (SQLite gives its WAL and shared
    /// memory files the database file's mode), and files an older version left readable to
    /// others are tightened, whatever the umask.
    private static func createForOwnerOnly(_ path: String) throws {
        let files = FileManager.default
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreOpenError(path: path, reason: "cannot create folder \(directory)")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw StoreOpenError(path: path, reason: "cannot create the file (\(String(cString: strerror(errno))))")
        }
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            guard chmod(file, status.st_mode & 0o700) == 0 else {
                throw StoreOpenError(path: path, reason: "\(file) is readable by others and cannot be made private; run: chmod 600 \(file)")
            }
        }
    }

    /// How the file at `path` compares with this program's migrations, read-only: a file that is
    /// not there has nothing applied, and none is created.
    public static func migrationStatus(path: String) throws -> MigrationStatus {
        let known = Migrations.all.map(\.name)
        guard FileManager.default.fileExists(atPath: path) else { return MigrationStatus(known: known, applied: []) }
        var readOnly = Configuration()
        readOnly.readonly = true
        do {
            let applied = try DatabaseQueue(path: path, configuration: readOnly).read { db in
                try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
            }
            return MigrationStatus(known: known, applied: known.filter(applied.contains) + applied.subtracting(known).sorted())
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreBusyError()
        } catch let error as DatabaseError {
            throw StoreOpenError(path: path, reason: error.message ?? "SQLite error \(error.resultCode)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Migrations.all {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    public nonisolated(nonsending) func read<T>(_ body: @escaping (any StoreReader) async throws -> T) async throws -> T {
        try await ThreadBoundExecutor.running(body) { handoff in
            try await translatingBusy { try await pool.read { db in try handoff.run(with: SQLiteAccess(db: db)) } }
        }
    }

    public nonisolated(nonsending) func write<T>(_ body: @escaping (any StoreWriter) async throws -> T) async throws -> T {
        try await ThreadBoundExecutor.running(body) { handoff in
            try await translatingBusy { try await pool.write { db in try handoff.run(with: SQLiteAccess(db: db)) } }
        }
    }

    public func claimOutbox(
        owner: String, lease: TimeInterval, now: Date, limit: Int, workerID: Int64?, ownerIsGone: @escaping @Sendable (String) -> Bool
    ) async throws -> [OutboxMessage] {
        let claim: (SQLiteAccess) async throws -> [OutboxMessage] = { access in
            try await access.claimOutbox(owner: owner, lease: lease, now: now, limit: limit, workerID: workerID, ownerIsGone: ownerIsGone)
        }
        return try await ThreadBoundExecutor.running(claim) { handoff in
            try await translatingBusy { try await pool.write { db in try handoff.run(with: SQLiteAccess(db: db)) } }
        }
    }

    public func changeCounter() async throws -> Int {
        let probe = try await probeConnection()
        // data_version changes when another connection commits; this one never writes, so it
        // sees every commit, the daemon's own and a CLI process's alike.
        return try await translatingBusy { try await probe.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 } }
    }

    private func probeConnection() async throws -> DatabaseQueue {
        try await translatingBusy {
            try probe.withLock { connection in
                if let connection { return connection }
                let opened = try DatabaseQueue(path: path)
                connection = opened
                return opened
            }
        }
    }

    public func purgeErasedData() async throws {
        try await translatingBusy {
            try await pool.writeWithoutTransaction { db in
                // TRUNCATE empties the WAL file so old frames with the erased rows are gone from disk.
                try db.checkpoint(.truncate)
            }
        }
    }

    @discardableResult
    private func translatingBusy<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreBusyError()
        }
    }

}
