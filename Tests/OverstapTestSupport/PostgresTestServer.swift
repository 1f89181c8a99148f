import Foundation

/// The PostgreSQL test cluster named by `OVERSTAP_TEST_POSTGRES_URL` (an admin URL with trust
/// authentication on loopback, e.g. `postgres://postgres@127.0.0.1:54329/postgres`), for tests
/// that only make sense on PostgreSQL.
public enum PostgresTestServer {
    /// A fresh, empty database of the cluster, for one test.
    public struct Database: Sendable {
        public let host: String
        public let port: Int
        public let user: String
        public let name: String

        /// Creates a database with a name of its own.
        public init() throws {
            guard let admin = TestDatabase.postgresAdminURL, let components = URLComponents(string: admin), let host = components.host else {
                throw CLI.LaunchError(description: "OVERSTAP_TEST_POSTGRES_URL is not a postgres://USER@HOST:PORT/DATABASE URL")
            }
            self.host = host
            port = components.port ?? 5432
            user = components.user ?? "postgres"
            name = "overstap_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let created = try CLI.shellResult("psql", [admin, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", "CREATE DATABASE \(name)"])
            guard created.status == 0 else { throw CLI.LaunchError(description: "cannot create a database in \(admin)") }
        }

        /// `database.url` of this database (no password: the cluster trusts loopback).
        public var url: String { "postgres://\(user)@\(host):\(port)/\(name)" }

        /// Runs SQL through `psql` and returns its unaligned output, trimmed.
        @discardableResult
        public func psql(_ sql: String) throws -> String {
            let result = try CLI.shellResult("psql", [url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql])
            guard result.status == 0 else { throw CLI.LaunchError(description: "psql failed on: \(sql)") }
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// A `psql` of its own that runs each line sent as it arrives, so a test can hold a
        /// transaction open across other work.
        public func session() throws -> Session {
            try Session(url: url)
        }
    }

    /// An interactive `psql` on one database, fed statements through its standard input.
    public final class Session: @unchecked Sendable {
        private let process = Process()
        private let input = Pipe()

        init(url: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt"]
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        /// Sends one line of SQL; it runs once `psql` reads it.
        public func send(_ sql: String) {
            input.fileHandleForWriting.write(Data((sql + "\n").utf8))
        }

        /// Ends the input and waits for `psql` to exit (an open transaction is rolled back).
        public func close() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }
}
