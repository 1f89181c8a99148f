import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap db …`
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Inspect and migrate the database schema.", subcommands: [Status.self, Migrate.self, DbCopyCommand.self])
}

extension DbCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the backend, where the data lives, the schema version and pending migrations; changes nothing.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let status = try await OverstapService.databaseStatus(settings: try await global.loadConfig().settings)
            let migrations = status
            if output.json {
                try JSONOutput.print(StatusView(
                    backend: status.backend, database: status.place, version: migrations.version, applied: migrations.applied,
                    pending: migrations.pending, unknown: migrations.unknown))
                return
            }
            func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
            print("backend:  \(status.backend)")
            print("database: \(status.place)")
            print("version:  \(migrations.version ?? "none (empty database)")")
            print("pending:  \(list(migrations.pending))")
            if !migrations.unknown.isEmpty {
                print("unknown:  \(list(migrations.unknown)) (migrated by a newer overstap)")
            }
        }

        struct StatusView: Encodable {
            var backend: String
            var database: String
            var version: String?
            var applied: [String]
            var pending: [String]
            var unknown: [String]

            /// Writes `version` as null for an empty database, so the key is always there.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(backend, forKey: .backend)
                try container.encode(database, forKey: .database)
                try container.encode(version, forKey: .version)
                try container.encode(applied, forKey: .applied)
                try container.encode(pending, forKey: .pending)
                try container.encode(unknown, forKey: .unknown)
            }

            enum CodingKeys: String, CodingKey { case backend, database, version, applied, pending, unknown }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending schema migrations (PostgreSQL: under an advisory lock, so processes starting at once migrate once).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let settings = try await global.loadConfig().settings
            let applied = try await OverstapService.migrateDatabase(settings: settings)
            if applied.isEmpty {
                print("the schema of \(settings.database.place) is up to date; nothing to migrate")
            } else {
                print("applied to \(settings.database.place): \(applied.joined(separator: ", "))")
            }
        }
    }
}
