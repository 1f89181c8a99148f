import Foundation
import OverstapStore
import Synchronization

/// The database one test runs on. With `OVERSTAP_TEST_POSTGRES_URL` set (the admin URL of a test
/// cluster, see `scripts/postgres-test-cluster.sh`) it is a PostgreSQL database of its own, made
/// for the test's folder; otherwise a SQLite file inside that folder, as on a single machine.
public struct TestDatabase: Sendable {
    /// Why a test database could not be made, with what to do about it.
    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The admin URL of the PostgreSQL test cluster, when this run tests PostgreSQL.
    public static let postgresAdminURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["OVERSTAP_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }()

    /// True when this run tests SQLite: `OVERSTAP_TEST_POSTGRES_URL` is not set.
    public static var isSQLite: Bool { postgresAdminURL == nil }

    /// True when this run tests PostgreSQL.
    public static var isPostgres: Bool { !isSQLite }

    /// The databases this process made, so a folder's database is made once.
    private static let made = Mutex<Set<String>>([])

    /// The value for `database.url` (`OVERSTAP_DATABASE_URL`).
    public let url: String
    /// The SQLite file, on the SQLite pass; nil on PostgreSQL.
    public let sqlitePath: String?
    /// The PostgreSQL database's name, on the PostgreSQL pass; nil on SQLite.
    public let postgresName: String?

    /// The database of `directory`: the file `sqliteFile` inside it on SQLite, or on PostgreSQL a
    /// database named after the folder, made the first time it is asked for.
    public init(in directory: TemporaryDirectory, sqliteFile: String = "overstap.sqlite") throws {
        self.init(naming: directory, sqliteFile: sqliteFile)
        try create()
    }

    /// Names the database of `directory` without making it (`create()` makes it).
    init(naming directory: TemporaryDirectory, sqliteFile: String) {
        guard let admin = Self.postgresAdminURL else {
            sqlitePath = directory.file(sqliteFile)
            url = "sqlite:\(directory.file(sqliteFile))"
            postgresName = nil
            return
        }
        // The folder's name ends in a UUID: unique across the runs sharing one cluster.
        let folder = URL(fileURLWithPath: directory.path).lastPathComponent.lowercased()
        let name = "overstap_test_" + String(folder.suffix(36).map { $0.isLetter || $0.isNumber ? $0 : "_" })
        // postgres://USER@HOST:PORT/DATABASE: the same server and user, another database.
        let authority = admin.range(of: "://").map { admin[$0.upperBound...] } ?? admin[...]
        let server = authority.firstIndex(of: "/").map { admin[..<$0] } ?? admin[...]
        url = "\(server)/\(name)"
        sqlitePath = nil
        postgresName = name
    }

    /// Makes the PostgreSQL database unless this process made it already; nothing on SQLite,
    /// where the store makes its file itself.
    func create() throws {
        guard let name = postgresName, let admin = Self.postgresAdminURL, !Self.made.withLock({ $0.contains(name) }) else { return }
        do {
            _ = try DatabaseShell.psql("CREATE DATABASE \(name)", url: admin)
        } catch let error as DatabaseShell.ShellError where error.description.contains("already exists") {}
        catch {
            throw SetupError(description: "cannot create a test database in the cluster at \(admin): \(error); start one with `scripts/postgres-test-cluster.sh start`")
        }
        Self.made.withLock { _ = $0.insert(name) }
    }

    /// Opens the store on this database as the CLI does: created and migrated on first use.
    public func openStore() throws -> any OverstapStore {
        if let sqlitePath { return try SQLiteStore(path: sqlitePath) }
        guard let name = postgresName, let server = URLComponents(string: url), let host = server.host else {
            throw SetupError(description: "'\(url)' is not a URL such as postgres://postgres@127.0.0.1:54329/postgres")
        }
        return try PostgresStore(
            endpoint: PostgresStore.Endpoint(
                host: host, port: server.port ?? 5432, username: server.user ?? "postgres", database: name, password: nil, tls: .disable),
            schema: .migrateWhenEmpty)
    }

    /// True when the database holds `text` anywhere it keeps data: on SQLite in the raw bytes of
    /// its file and the files beside it (the write-ahead log, shared memory), like `grep -a`; on
    /// PostgreSQL, whose files belong to the server, in any row of any table (`rowsAsText()`).
    public func holds(_ text: String) throws -> Bool {
        let needle = Data(text.utf8)
        if let rows = try rowsAsText() { return rows.range(of: needle) != nil }
        return ["", "-wal", "-shm"].contains { suffix in
            FileManager.default.contents(atPath: (sqlitePath ?? "") + suffix).map { $0.range(of: needle) != nil } ?? false
        }
    }

    /// On PostgreSQL every row of every table, as text, one a line; nil on SQLite, whose bytes
    /// on disk a test reads itself.
    public func rowsAsText() throws -> Data? {
        guard postgresName != nil else { return nil }
        let tables = try DatabaseShell.rows(
            "SELECT quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            in: self)
        guard !tables.isEmpty else { return Data() }
        let rows = try DatabaseShell.rows(tables.map { "SELECT t::text FROM \($0) t;" }.joined(separator: "\n"), in: self)
        return Data(rows.joined(separator: "\n").utf8)
    }
}
