import Foundation
import GRDB
import Logging
import NIOCore
import OverstapCore
import PostgresNIO

/// Moves a SQLite database onto an empty PostgreSQL one (`overstap db copy`): one read snapshot
/// of the source, every table in dependency order with every id kept (answer links and personal
/// feed tokens name them), SQLite's values converted to the PostgreSQL column types, the identity
/// sequences moved past the highest id, then every row read back and compared column by column.
/// It all happens in one target transaction: a refusal or a difference leaves the target as it was.
public enum DatabaseCopy {
    /// The rows of one table, copied and verified.
    public struct TableCount: Sendable, Equatable {
        public var table: String
        public var rows: Int
    }

    /// One table as both sides have it.
    struct Table {
        var name: String
        /// The source's columns, each with its PostgreSQL kind.
        var columns: [(name: String, kind: ColumnKind)]
        /// The primary key's columns: both sides are read in this order.
        var key: [String]
        /// The identity column, whose sequence is moved past its highest value.
        var identity: String?

        var columnList: String { columns.map { "\"\($0.name)\"" }.joined(separator: ", ") }

        /// `ORDER BY` of the key; PostgreSQL compares text byte by byte (`C`), as SQLite does.
        func order(postgres: Bool) -> String {
            key.map { column in
                let isText = columns.first { $0.name == column }?.kind == .text
                return postgres && isText ? "\"\(column)\" COLLATE \"C\"" : "\"\(column)\""
            }.joined(separator: ", ")
        }
    }

    /// Copies the SQLite database at `sqlitePath` into `target`, which is migrated first and must
    /// be empty; `now` decides whether an outbox lease is still live. Returns the rows per table.
    public static func copy(sqlitePath: String, to target: PostgresStore, now: Date) async throws -> [TableCount] {
        guard FileManager.default.fileExists(atPath: sqlitePath) else {
            throw InputError(
                place: "--from sqlite:\(sqlitePath)", problem: "there is no such file",
                fix: "give the database.url of the deployment to move, e.g. --from sqlite:data/overstap.sqlite")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let source: DatabaseQueue
        do {
            source = try DatabaseQueue(path: sqlitePath, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreOpenError(path: sqlitePath, reason: error.message ?? "SQLite error \(error.resultCode)")
        }
        _ = try await target.migrate()
        return try await ThreadBoundExecutor.running({ (db: Database) in
            try await copy(from: db, place: "--from sqlite:\(sqlitePath)", to: target, now: now)
        }) { handoff in
            do {
                try await source.read { db in try handoff.run(with: db) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                throw StoreBusyError()
            } catch let error as DatabaseError {
                throw StoreOpenError(path: sqlitePath, reason: error.message ?? "SQLite error \(error.resultCode)")
            }
        }
    }

    /// The copy inside the source's read transaction, on its connection's thread.
    private static func copy(from db: Database, place: String, to target: PostgresStore, now: Date) async throws -> [TableCount] {
        try checkSchema(db, place: place)
        try refuseLiveLease(db, place: place, now: now)
        let sourceTables = try sourceColumns(db)
        return try await target.transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { access in
            let tables = try await targetTables(access, matching: sourceTables, place: target.endpoint.place)
            var counts: [TableCount] = []
            for table in tables {
                counts.append(TableCount(table: table.name, rows: try await copyRows(of: table, from: db, into: access)))
            }
            for table in tables {
                guard let identity = table.identity else { continue }
                try await access.execute(
                    "SELECT setval(pg_get_serial_sequence('\"\(table.name)\"', '\(identity)'), max(\"\(identity)\")) FROM \"\(table.name)\"")
            }
            for (table, count) in zip(tables, counts) {
                try await verify(table, copied: count.rows, from: db, in: access)
            }
            return counts
        }
    }

    /// Refuses a source whose schema is older or newer than this program's.
    private static func checkSchema(_ db: Database, place: String) throws {
        let migrator = SQLiteStore.migrator
        if try migrator.hasBeenSuperseded(db) {
            throw InputError(place: place, problem: "was written by a newer overstap", fix: "run db copy with that version of overstap")
        }
        guard try migrator.hasCompletedMigrations(db) else {
            throw InputError(
                place: place, problem: "its schema is not up to date",
                fix: "run overstap db migrate --database-url \(place.dropFirst("--from ".count)) first, then copy again")
        }
    }

    /// Refuses a source with an outbox message being sent under a lease that has not lapsed.
    private static func refuseLiveLease(_ db: Database, place: String, now: Date) throws {
        let nowMicros = Int64((now.timeIntervalSince1970 * 1_000_000).rounded())
        let rows = try Row.fetchAll(db, sql: "SELECT id, lease_until FROM outbox WHERE state = 'sending' ORDER BY id")
        for row in rows {
            let until: String? = row["lease_until"]
            guard let until, let micros = Value.microseconds(until), micros <= nowMicros else {
                let id: Int64 = row["id"]
                throw InputError(
                    place: place,
                    problem: "outbox message \(id) is being sent under a lease until \(until ?? "an unknown time") (UTC): a daemon or outbox send is running",
                    fix: "stop overstap serve and any outbox send on this database, then copy again")
            }
        }
    }

    /// The source's tables and their columns, by name.
    private static func sourceColumns(_ db: Database) throws -> [String: [String]] {
        let names = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'")
        var tables: [String: [String]] = [:]
        for name in names {
            tables[name] = try db.columns(in: name).map(\.name)
        }
        return tables
    }

    /// The target's tables in dependency order (a table after those it refers to), each with the
    /// source's columns typed as the target has them; refuses a target with rows.
    private static func targetTables(_ access: PostgresAccess, matching source: [String: [String]], place: String) async throws -> [Table] {
        var types: [String: [String: (kind: ColumnKind, identity: Bool)]] = [:]
        for try await (table, column, type, identity) in try await access.connection.query(
            """
            SELECT table_name::text, column_name::text, data_type::text, is_identity::text FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """, logger: access.logger
        ).decode((String, String, String, String).self) {
            types[table, default: [:]][column] = (ColumnKind(dataType: type), identity == "YES")
        }
        var keys: [String: [String]] = [:]
        for try await (table, column) in try await access.connection.query(
            """
            SELECT tc.table_name::text, kcu.column_name::text FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
                ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
            ORDER BY tc.table_name, kcu.ordinal_position
            """, logger: access.logger
        ).decode((String, String).self) {
            keys[table, default: []].append(column)
        }
        var parents: [String: Set<String>] = [:]
        for try await (child, parent) in try await access.connection.query(
            """
            SELECT child.relname::text, parent.relname::text FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace
            """, logger: access.logger
        ).decode((String, String).self) where child != parent {
            parents[child, default: []].insert(parent)
        }
        let targetNames = types.keys.filter { $0 != "schema_migrations" }.sorted()
        for name in targetNames {
            let hasRows = try await access.value(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \"\(name)\")"), as: Bool.self) ?? false
            if hasRows {
                throw InputError(
                    place: "--to \(place)", problem: "table \(name) already holds rows; db copy only fills an empty database",
                    fix: "copy into a new, empty database (createdb), or drop and recreate this one if nothing in it is needed")
            }
        }
        var tables: [String: Table] = [:]
        for (name, columns) in source {
            guard let targetColumns = types[name] else {
                throw DatabaseCopyMismatch(table: name, detail: "the PostgreSQL schema has no such table")
            }
            var typed: [(name: String, kind: ColumnKind)] = []
            for column in columns {
                guard let type = targetColumns[column] else {
                    throw DatabaseCopyMismatch(table: name, detail: "the PostgreSQL table has no column \(column)")
                }
                typed.append((column, type.kind))
            }
            let key = keys[name] ?? columns
            let identity = targetColumns.first { $0.value.identity }?.key
            tables[name] = Table(name: name, columns: typed, key: key, identity: identity)
        }
        return try dependencyOrder(tables, parents: parents)
    }

    /// Tables ordered so that each comes after every table it refers to; by name otherwise.
    static func dependencyOrder(_ tables: [String: Table], parents: [String: Set<String>]) throws -> [Table] {
        var ordered: [Table] = []
        var placed: Set<String> = []
        var remaining = tables.keys.sorted()
        while !remaining.isEmpty {
            guard let next = remaining.first(where: { parents[$0, default: []].subtracting(placed).intersection(tables.keys).isEmpty }) else {
                throw DatabaseCopyMismatch(table: remaining[0], detail: "its foreign keys form a cycle")
            }
            ordered.append(tables[next]!)
            placed.insert(next)
            remaining.removeAll { $0 == next }
        }
        return ordered
    }

    /// Streams one table into the target with `COPY … FROM STDIN`; returns the rows copied.
    private static func copyRows(of table: Table, from db: Database, into access: PostgresAccess) async throws -> Int {
        let rows = try Row.fetchCursor(db, sql: "SELECT \(table.columnList) FROM \"\(table.name)\" ORDER BY \(table.order(postgres: false))")
        var count = 0
        try await access.connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: access.logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 20)
            while let row = try rows.next() {
                for (index, column) in table.columns.enumerated() {
                    if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                    guard let value = Value(sqlite: row[index], as: column.kind) else {
                        throw DatabaseCopyMismatch(
                            table: table.name, detail: "row \(keyText(row, table)): column \(column.name) holds a value that is not a \(column.kind)")
                    }
                    value.writeCopyText(into: &buffer, as: column.kind)
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
                count += 1
                if buffer.readableBytes >= 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
        return count
    }

    /// Reads the table back from the target in key order beside the source and compares every
    /// column after conversion.
    private static func verify(_ table: Table, copied: Int, from db: Database, in access: PostgresAccess) async throws {
        let source = try Row.fetchCursor(db, sql: "SELECT \(table.columnList) FROM \"\(table.name)\" ORDER BY \(table.order(postgres: false))")
        let readBack = table.columns.map { $0.kind.readBack($0.name) }.joined(separator: ", ")
        let query = PostgresQuery(unsafeSQL: "SELECT \(readBack) FROM \"\(table.name)\" ORDER BY \(table.order(postgres: true))")
        var count = 0
        for try await copiedRow in try await access.connection.query(query, logger: access.logger) {
            guard let row = try source.next() else {
                throw DatabaseCopyMismatch(table: table.name, detail: "PostgreSQL holds more rows than the source")
            }
            let cells = copiedRow.makeRandomAccess()
            for (index, column) in table.columns.enumerated() {
                let copiedValue = try Value(postgres: cells[index], as: column.kind)
                guard Value(sqlite: row[index], as: column.kind) == copiedValue else {
                    throw DatabaseCopyMismatch(table: table.name, detail: "row \(keyText(row, table)): column \(column.name) differs after the copy")
                }
            }
            count += 1
        }
        guard try source.next() == nil, count == copied else {
            throw DatabaseCopyMismatch(table: table.name, detail: "PostgreSQL holds \(count) rows, the source more")
        }
    }

    /// The key of a source row, for messages (ids and times, never names or addresses).
    private static func keyText(_ row: Row, _ table: Table) -> String {
        table.key.map { column in
            let value: DatabaseValue = row[column]
            return "\(column) \(value)"
        }.joined(separator: ", ")
    }
}

/// The copy found a difference between the two schemas or between a source row and its copy;
/// nothing was committed.
public struct DatabaseCopyMismatch: Error, CustomStringConvertible, Sendable {
    public var table: String
    public var detail: String
    public var description: String {
        "table \(table): \(detail); nothing was copied (the target is as it was). This is a fault of overstap: keep the source as it is and report it"
    }
}
