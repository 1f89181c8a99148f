import Configuration
import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What `db copy` did: the rows of each table, in the order they were copied, and where to.
    public struct DatabaseCopyReport: Sendable, Equatable {
        public var tables: [DatabaseCopy.TableCount]
        /// The target as `host:port/database`.
        public var target: String
    }

    /// Copies the SQLite database `from` names into the empty PostgreSQL database `to` names
    /// (`overstap db copy`), verified row by row. Both take `database.url`'s forms; the password,
    /// `database.tls` and `database.ca_file` for `to` come from `reader` as for `database.url`.
    public static func copyDatabase(from: String, to: String, reader: ConfigReader, now: Date) async throws -> DatabaseCopyReport {
        func text(_ key: String, secret: Bool = false) -> String { reader.string(forKey: ConfigKey(key), isSecret: secret) ?? "" }
        func parsed(_ url: String, option: String) throws -> DatabaseSettings {
            do {
                return try DatabaseSettings(
                    url: url, password: text("database.password", secret: true), tls: text("database.tls"), caFile: text("database.ca_file"))
            } catch {
                var refusal = error
                if refusal.place == "database.url" { refusal.place = option }
                throw refusal
            }
        }
        guard case .sqlite(let path) = try parsed(from, option: "--from") else {
            throw InputError(
                place: "--from", problem: "names a PostgreSQL database; db copy moves a SQLite deployment onto PostgreSQL",
                fix: "give the SQLite database to move, e.g. --from sqlite:data/overstap.sqlite")
        }
        guard case .postgres(let endpoint) = try parsed(to, option: "--to") else {
            throw InputError(
                place: "--to", problem: "names a SQLite file; db copy fills a PostgreSQL database",
                fix: "give an empty PostgreSQL database, e.g. --to postgres://overstap@db.example.org/overstap")
        }
        let target = try PostgresStore(endpoint: endpoint, schema: .unchecked)
        defer { target.shutdown() }
        let tables = try await DatabaseCopy.copy(sqlitePath: path, to: target, now: now)
        return DatabaseCopyReport(tables: tables, target: endpoint.place)
    }
}
