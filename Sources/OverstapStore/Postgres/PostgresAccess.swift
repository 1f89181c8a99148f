import Foundation
import Logging
import PostgresNIO
import OverstapCore

/// The store operations over one PostgreSQL connection inside an open transaction.
///
/// The reader operations live in `PostgresAccess+Reads*.swift`, the writer operations in
/// `PostgresAccess+Writes*.swift`; the helpers here are the ones they share.
struct PostgresAccess {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs statements with no parameters and no result; several statements may be separated by
    /// `;` at the end of a line (each runs on its own: the extended protocol takes one at a time).
    func execute(_ sql: String) async throws {
        for statement in sql.components(separatedBy: ";\n") {
            let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
            guard !trimmed.isEmpty else { continue }
            try await run(PostgresQuery(unsafeSQL: trimmed))
        }
    }

    /// Runs a statement and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Runs a statement whose rows do not matter. (postgres-nio's async API does not report how
    /// many rows a statement changed: add `RETURNING 1` and count `rows(_:)` where that matters.)
    func run(_ query: PostgresQuery) async throws {
        for try await _ in try await connection.query(query, logger: logger) {}
    }

    /// The first column of the first row, decoded; nil when there is no row or the value is NULL.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        for try await row in try await connection.query(query, logger: logger) {
            guard let cell = row.first, cell.bytes != nil else { return nil }
            return try cell.decode(T.self)
        }
        return nil
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> [T] {
        var result: [T] = []
        for try await row in try await connection.query(query, logger: logger) {
            result.append(try row.decode(T.self))
        }
        return result
    }

    /// The names of the applied migrations; none when `schema_migrations` does not exist yet.
    func appliedMigrations() async throws -> [String] {
        let exists = try await value("SELECT to_regclass('schema_migrations') IS NOT NULL", as: Bool.self) ?? false
        guard exists else { return [] }
        return try await values("SELECT name FROM schema_migrations ORDER BY name", as: String.self)
    }

    /// The name of some table, view or sequence in the current schema other than
    /// `schema_migrations`; nil when there is none.
    func someTable() async throws -> String? {
        try await value(
            """
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> 'schema_migrations'
            ORDER BY c.relname LIMIT 1
            """)
    }

    /// Notes that a migration was applied, with the hash of its text.
    func recordMigration(name: String, sha256: String) async throws {
        try await run("INSERT INTO schema_migrations (name, applied_at, sha256) VALUES (\(name), now(), \(sha256))")
    }

    /// This access as a reader.
    var reader: any StoreReader { self }

    /// This access as a writer.
    var writer: any StoreWriter { self }
}

/// The cells of one row, read in column order: `id = try cells.next()` decodes the next column
/// as the type it is assigned to (an optional for a column that may be NULL).
struct PostgresCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) { cells = row.makeIterator() }

    /// The next column's value.
    mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard let cell = cells.next() else { throw PostgresDecodingError.Code.missingData }
        return try cell.decode(T.self)
    }
}

/// The `WHERE` clause of a query whose conditions depend on a filter, with `$n` parameters.
struct PostgresConditions {
    private var conditions: [String] = []
    private(set) var bindings = PostgresBindings()

    /// Adds a condition; `sql` receives the parameter's placeholder (`$1`).
    mutating func add<Value: PostgresNonThrowingEncodable>(_ value: Value, _ sql: (String) -> String) {
        bindings.append(value)
        conditions.append(sql("$\(bindings.count)"))
    }

    /// `WHERE a AND b`, or nothing.
    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// A query of `sql` with these parameters.
    func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
