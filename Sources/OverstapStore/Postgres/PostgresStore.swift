import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Synchronization
import OverstapCore

/// The store for several daemons on one database: PostgreSQL through postgres-nio's pooled
/// `PostgresClient`. Reads see one snapshot (REPEATABLE READ READ ONLY); writes run SERIALIZABLE
/// and are retried whole on a serialization failure or deadlock, so callers never see one.
public final class PostgresStore: OverstapStore {
    /// Where the server is and how to reach it. The password is never part of a description.
    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var database: String
        public var password: String?
        public var tls: TLSMode
        /// How the store notices other processes' changes (`database.change_poll`).
        public var changes: ChangeDetection

        /// Creates an endpoint.
        public init(
            host: String, port: Int, username: String, database: String, password: String?, tls: TLSMode, changes: ChangeDetection = .listen
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.database = database
            self.password = password
            self.tls = tls
            self.changes = changes
        }

        /// `host:port/database`, for messages: no user name, no password.
        public var place: String {
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "\(shownHost):\(port)/\(database)"
        }
    }

    /// How the connection is encrypted.
    public enum TLSMode: Sendable, Equatable {
        /// Plain TCP (loopback, or a private network the operator trusts).
        case disable
        /// Encrypted, certificate not checked (libpq's `sslmode=require`).
        case require
        /// Encrypted, certificate chain and host name checked, against `caFile` when given, else the system's roots.
        case verifyFull(caFile: String?)
    }

    /// What opening does about the schema before the first transaction.
    public enum SchemaPolicy: Sendable, Equatable {
        /// Refuse a database with pending or unknown migrations (`StoreOpenError`).
        case requireCurrent
        /// Migrate a database nothing was applied to yet (under the advisory lock); otherwise as `requireCurrent`.
        case migrateWhenEmpty
        /// Check nothing: for `db status` and `db migrate`, which look at the schema themselves.
        case unchecked
    }

    /// Where the data lives, for messages.
    public let endpoint: Endpoint
    private let client: PostgresClient
    private let logger: Logger
    private let policy: SchemaPolicy
    /// The client's connection pool runs as long as the store: a CLI run ends with the process, a
    /// daemon's store lives as long as the daemon. It is a task of the store's own (not a child
    /// of a caller's task) because the store outlives every call into it; `shutdown()` and
    /// `deinit` cancel it.
    private let runner: Task<Void, Never>
    private let schemaChecked = Mutex(false)
    /// For work on a connection of its own, outside the pool: the first contact (which reports
    /// why a server cannot be reached at once, where the pool retries for a minute first) and
    /// migrations (whose advisory lock belongs to that session).
    private let singleConnection: PostgresConnection.Configuration
    /// The change counter (`changeCounter()`), watched from the first call on.
    private let changeWatch: PostgresChanges

    /// How often a write is tried before it gives up with `StoreBusyError`.
    static let writeAttempts = 12

    /// Prepares a pool of connections to `endpoint`; nothing connects until the first transaction.
    public init(endpoint: Endpoint, schema: SchemaPolicy, logger: Logger = Logger(label: "overstap.postgres")) throws {
        self.endpoint = endpoint
        self.policy = schema
        self.logger = logger
        let tls = try Self.tlsConfiguration(endpoint.tls, place: endpoint.place)
        var configuration = PostgresClient.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.username, password: endpoint.password,
            database: endpoint.database, tls: tls.map { .require($0) } ?? .disable)
        configuration.options.connectTimeout = .seconds(5)
        var single = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.username, password: endpoint.password,
            database: endpoint.database, tls: try tls.map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable)
        single.options.connectTimeout = .seconds(5)
        singleConnection = single
        configuration.options.maximumConnections = 10
        let client = PostgresClient(configuration: configuration)
        self.client = client
        switch endpoint.changes {
        case .listen:
            changeWatch = PostgresChanges(listeningWith: single, logger: logger)
        case .poll(let interval):
            changeWatch = PostgresChanges(pollingEvery: interval, logger: logger) {
                try await client.withConnection { try await PostgresChanges.reading(on: $0, logger: logger) }
            }
        }
        runner = Task { await client.run() }
    }

    deinit {
        changeWatch.stop()
        runner.cancel()
    }

    /// Closes every connection; the store cannot be used afterwards.
    public func shutdown() {
        changeWatch.stop()
        runner.cancel()
    }

    /// The TLS settings of a mode; nil for `disable`.
    static func tlsConfiguration(_ mode: TLSMode, place: String) throws -> TLSConfiguration? {
        switch mode {
        case .disable:
            return nil
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return tls
        case .verifyFull(let caFile):
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let caFile {
                guard FileManager.default.isReadableFile(atPath: caFile) else {
                    throw StoreOpenError(path: place, reason: "database.ca_file \(caFile) cannot be read; check the path and its permissions")
                }
                tls.trustRoots = .file(caFile)
            }
            return tls
        }
    }

    public nonisolated(nonsending) func read<T>(_ body: @escaping (any StoreReader) async throws -> T) async throws -> T {
        try await ensureSchema()
        return try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { access in
            try await body(access.reader)
        }
    }

    public nonisolated(nonsending) func write<T>(_ body: @escaping (any StoreWriter) async throws -> T) async throws -> T {
        try await ensureSchema()
        return try await serializable { access in try await body(access.writer) }
    }

    /// Runs `body` in a SERIALIZABLE transaction, again from the start when PostgreSQL reports a
    /// conflict with another transaction, up to `writeAttempts` times; then `StoreBusyError`.
    nonisolated(nonsending) func serializable<T>(_ body: (PostgresAccess) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction(begin: "BEGIN ISOLATION LEVEL SERIALIZABLE", body)
            } catch let error as PSQLError where Self.isConflict(error) && attempt < Self.writeAttempts {
                // Another process wrote what this transaction read: run it again from the start,
                // after a short pause that grows and is jittered so two retries do not collide again.
                let pause = Int.random(in: 2...10) * attempt
                try await Task.sleep(for: .milliseconds(pause))
                attempt += 1
            } catch let error as PSQLError where Self.isConflict(error) {
                throw StoreBusyError()
            }
        }
    }

    /// Vacuums the tables that hold people, so the space of erased rows is marked for reuse now
    /// rather than when autovacuum comes by. Unlike SQLite's `secure_delete` this does not
    /// overwrite the old bytes (see docs/architecture.md, "Known gaps"); a plain VACUUM takes no
    /// lock that stops other daemons reading or writing.
    public func purgeErasedData() async throws {
        try await ensureSchema()
        try await onOwnConnection { access in
            // Outside a transaction block: VACUUM refuses to run inside one.
            try await access.execute("VACUUM \(Self.personalTables.joined(separator: ", "))")
        }
    }

    /// The tables that hold a person's data or answers.
    static let personalTables = ["worker", "enrollment", "outbox", "reply", "roster_consent", "attendance", "outcome", "sent_sequence"]

    public func changeCounter() async throws -> Int {
        changeWatch.current()
    }

    /// 40001 serialization_failure and 40P01 deadlock_detected: the transaction can run again.
    static func isConflict(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// Runs `body` in a transaction opened with `begin` on a pooled connection; connection failures
    /// become `DatabaseUnreachableError` naming host and port, server errors `PostgresServerError`
    /// (except conflicts, which `write` retries).
    nonisolated(nonsending) func transaction<T>(begin: String, _ body: (PostgresAccess) async throws -> T) async throws -> T {
        var leased = false
        do {
            return try await client.withConnection { connection in
                leased = true
                let access = PostgresAccess(connection: connection, logger: logger)
                try await access.execute(begin)
                let result: T
                do {
                    result = try await body(access)
                } catch {
                    try? await access.execute("ROLLBACK")
                    throw error
                }
                try await access.execute("COMMIT")
                return result
            }
        } catch where !leased && !(error is PSQLError) {
            // The pool could not open a connection within its connect timeout.
            throw DatabaseUnreachableError(place: endpoint.place, reason: "no connection could be made (\(error))")
        } catch {
            throw translated(error)
        }
    }

    /// Runs `body` in one transaction on a connection of the caller's.
    private static func inTransaction(_ access: PostgresAccess, _ body: (PostgresAccess) async throws -> Void) async throws {
        try await access.execute("BEGIN")
        do {
            try await body(access)
        } catch {
            try? await access.execute("ROLLBACK")
            throw error
        }
        try await access.execute("COMMIT")
    }

    /// Runs `body` on a connection of its own, closed afterwards (which also releases its session's locks).
    private func onOwnConnection<T: Sendable>(_ body: (PostgresAccess) async throws -> T) async throws -> T {
        do {
            let connection = try await PostgresConnection.connect(configuration: singleConnection, id: 0, logger: logger)
            do {
                let result = try await body(PostgresAccess(connection: connection, logger: logger))
                try? await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw translated(error)
        }
    }

    /// PostgreSQL errors as the store reports them; others pass through.
    private func translated(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        if Self.isConflict(error) { return error }
        if error.code != .server { return DatabaseUnreachableError(place: endpoint.place, reason: Self.reason(error)) }
        if let state = error.serverInfo?[.sqlState], Self.isUnavailableState(state) {
            return DatabaseUnreachableError(place: endpoint.place, reason: Self.reason(error))
        }
        return PostgresServerError(error)
    }

    /// Server states that mean "not now": connection exceptions (08), the server shutting down or
    /// starting (57P01-57P03), too many connections (53300), an unknown database (3D000) or role
    /// and password failures (28) are reported as unreachable so a daemon or the mail system retries.
    static func isUnavailableState(_ state: String) -> Bool {
        state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" || state == "3D000" || state.hasPrefix("28")
    }

    private static func reason(_ error: PSQLError) -> String {
        if let tls = error.underlying as? NIOSSLError, "\(tls)".contains("CERTIFICATE_VERIFY_FAILED") {
            return "the server's TLS certificate was not accepted (CERTIFICATE_VERIFY_FAILED): with database.tls verify-full, "
                + "database.ca_file must hold the CA that signed it (leave it out for a public CA) and database.url must name a host it is for"
        }
        if let underlying = error.underlying { return "\(underlying)" }
        if let message = error.serverInfo?[.message] { return message }
        return "\(error.code)"
    }

    // MARK: Schema

    /// Checks (once per store) that the schema is the one this program knows, migrating an empty
    /// database when the policy says so.
    func ensureSchema() async throws {
        if schemaChecked.withLock({ $0 }) || policy == .unchecked { return }
        // On a connection of its own: if the server cannot be reached, this says why at once.
        var status = try await migrationStatus()
        if policy == .migrateWhenEmpty, status.applied.isEmpty {
            _ = try await migrate()
            status = try await migrationStatus()
        }
        try status.requireCurrent(place: endpoint.place)
        schemaChecked.withLock { $0 = true }
    }

    /// What is applied, pending and unknown.
    public func migrationStatus() async throws -> MigrationStatus {
        try await onOwnConnection { access in try await Self.migrationStatus(access) }
    }

    private static func migrationStatus(_ access: PostgresAccess) async throws -> MigrationStatus {
        MigrationStatus(known: PostgresMigrations.all.map(\.name), applied: try await access.appliedMigrations())
    }

    /// Applies every pending migration on a connection of its own that holds the advisory lock
    /// meanwhile, so processes migrating at once apply each migration once; each migration is
    /// one transaction with its row in `schema_migrations`. Returns the names it applied.
    public func migrate() async throws -> [String] {
        let place = endpoint.place
        return try await onOwnConnection { access in
            try await access.execute("SELECT pg_advisory_lock(\(Self.migrationLockKey))")
            // Read under the lock: a process that held it before has committed everything it applied.
            let status = try await Self.migrationStatus(access)
            guard status.unknown.isEmpty else { throw status.newerError(place: place) }
            if status.applied.isEmpty, let table = try await access.someTable() {
                throw StoreOpenError(
                    path: place,
                    reason: "it holds tables overstap did not make (\(table)) and no overstap migrations; "
                        + "give database.url an empty database of its own (CREATE DATABASE overstap OWNER ...)")
            }
            var done: [String] = []
            for migration in PostgresMigrations.all where status.pending.contains(migration.name) {
                try await Self.inTransaction(access) { access in
                    try await access.execute(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL, sha256 text NOT NULL)")
                    try await access.execute(migration.sql)
                    try await access.recordMigration(name: migration.name, sha256: MigrationStatus.sha256(migration.sql))
                }
                done.append(migration.name)
            }
            // Closing the connection ends the session and so releases the lock, also after a failure.
            return done
        }
    }

    /// The key of the advisory lock that migrations take: "overstap" in ASCII, fixed forever.
    static let migrationLockKey: Int64 = 0x6f76_6572_7374_6170
}

/// The database server cannot be reached or refused the connection: try again later (exit 75).
public struct DatabaseUnreachableError: Error, CustomStringConvertible, Sendable {
    /// `host:port/database`, never with a password.
    public var place: String
    public var reason: String
    public var description: String {
        "the database \(place) cannot be reached: \(reason); check that the server runs and database.url, database.password and database.tls, then try again"
    }
}

/// An error the PostgreSQL server reported, with its SQLSTATE and message but no query text.
public struct PostgresServerError: Error, CustomStringConvertible, Sendable {
    /// The five-character SQLSTATE.
    public var sqlState: String
    public var message: String

    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState] ?? "?????"
        message = error.serverInfo?[.message] ?? "\(error.code)"
    }

    public var description: String { "the PostgreSQL server refused a statement (SQLSTATE \(sqlState)): \(message)" }
}
