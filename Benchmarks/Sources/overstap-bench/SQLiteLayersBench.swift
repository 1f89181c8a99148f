import ArgumentParser
import Foundation
import GRDB
import OverstapStore
import SQLiteKit

extension OverstapBench {
    /// Times the two SQLite layers issue #22 weighed: GRDB (what the store uses) against SQLKit on
    /// sqlite-nio (the layer sql-kit would share with PostgreSQL), writing and reading the same
    /// `worker` rows in Overstap's own schema.
    struct SQLiteLayers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sqlite-layers", abstract: "Insert and read workers through GRDB and through SQLKit on sqlite-nio.")
        @Option(help: "Workers to insert and read.") var workers = 100_000
        @Option(help: "Rows per INSERT statement for SQLKit (each statement is one hop to its thread pool).") var batch = 100

        static let columns = [
            "email_key", "email", "name", "sector", "targets", "region", "languages", "availability", "status", "locale",
            "first_imported_at", "updated_at",
        ]

        func run() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-layers-\(getpid())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let rows = (0..<workers).map(Self.row)
            print("\(workers) workers in Overstap's schema (seconds, best of 3):")
            var grdb: (insert: Double, read: Double) = (.infinity, .infinity)
            var kit: (insert: Double, read: Double) = (.infinity, .infinity)
            for round in 0..<3 {
                let viaGRDB = try grdbRound(rows, path: folder.appendingPathComponent("grdb-\(round).sqlite").path)
                let viaKit = try await sqlKitRound(rows, path: folder.appendingPathComponent("kit-\(round).sqlite").path)
                grdb = (min(grdb.insert, viaGRDB.insert), min(grdb.read, viaGRDB.read))
                kit = (min(kit.insert, viaKit.insert), min(kit.read, viaKit.read))
            }
            print(String(format: "  insert  GRDB %.3f   SQLKit/sqlite-nio %.3f  (%.1f×)", grdb.insert, kit.insert, kit.insert / grdb.insert))
            print(String(format: "  read    GRDB %.3f   SQLKit/sqlite-nio %.3f  (%.1f×)", grdb.read, kit.read, kit.read / grdb.read))
        }

        /// One worker's column values, as the import stores them.
        static func row(_ index: Int) -> [String] {
            let email = "deelnemer\(index)@bench.example.org"
            return [
                email, email, "Deelnemer \(index)", "horeca", "zorg", "midden-utrecht", "nl", "di 18:00-22:00", "unemployed", "nl",
                "2027-01-10 08:00:00.000", "2027-01-10 08:00:00.000",
            ]
        }

        /// A database with Overstap's schema, migrated by the store itself.
        static func emptyDatabase(at path: String) throws {
            _ = try SQLiteStore(path: path)
        }

        private func grdbRound(_ rows: [[String]], path: String) throws -> (insert: Double, read: Double) {
            try Self.emptyDatabase(at: path)
            let queue = try DatabaseQueue(path: path)
            let insert = try Self.seconds {
                try queue.write { db in
                    let statement = try db.makeStatement(
                        sql: "INSERT INTO worker (\(Self.columns.joined(separator: ", "))) VALUES (\(Self.columns.map { _ in "?" }.joined(separator: ", ")))")
                    for row in rows { try statement.execute(arguments: StatementArguments(row)) }
                }
            }
            var read = 0
            let reading = try Self.seconds {
                try queue.read { db in
                    let cursor = try Row.fetchCursor(db, sql: "SELECT id, \(Self.columns.joined(separator: ", ")) FROM worker ORDER BY id")
                    while let row = try cursor.next() {
                        let id: Int64 = row[0]
                        let values = (1...Self.columns.count).map { row[$0] as String }
                        read += values.count + Int(id % 2)
                    }
                }
            }
            precondition(read >= rows.count * Self.columns.count, "GRDB read every row")
            return (insert, reading)
        }

        private func sqlKitRound(_ rows: [[String]], path: String) async throws -> (insert: Double, read: Double) {
            try Self.emptyDatabase(at: path)
            let connection = try await SQLiteConnection.open(storage: .file(path: path)).get()
            let database = connection.sql()
            let start = ContinuousClock.now
            try await database.raw("BEGIN").run()
            for chunk in stride(from: 0, to: rows.count, by: batch) {
                var builder = database.insert(into: "worker").columns(Self.columns)
                for row in rows[chunk..<min(chunk + batch, rows.count)] { builder = builder.values(row) }
                try await builder.run()
            }
            try await database.raw("COMMIT").run()
            let insert = Self.elapsed(since: start)
            let readStart = ContinuousClock.now
            let fetched = try await database.raw("SELECT id, \(unsafeRaw: Self.columns.joined(separator: ", ")) FROM worker ORDER BY id").all()
            var read = 0
            for row in fetched {
                let id = try row.decode(column: "id", as: Int64.self)
                let values = try Self.columns.map { try row.decode(column: $0, as: String.self) }
                read += values.count + Int(id % 2)
            }
            let reading = Self.elapsed(since: readStart)
            precondition(read >= rows.count * Self.columns.count, "SQLKit read every row")
            try await connection.close()
            return (insert, reading)
        }

        static func seconds(_ body: () throws -> Void) throws -> Double {
            let start = ContinuousClock.now
            try body()
            return elapsed(since: start)
        }

        static func elapsed(since start: ContinuousClock.Instant) -> Double {
            let span = ContinuousClock.now - start
            return Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        }
    }
}
