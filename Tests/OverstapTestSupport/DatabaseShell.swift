import Foundation

/// The database's own shell (`sqlite3` or `psql`), for what the CLI cannot do itself: writing rows
/// as an older version or another program would, reading what is stored, holding SQLite's write
/// lock as another process would.
public enum DatabaseShell {
    /// A shell that failed, with what it said.
    public struct ShellError: Error, CustomStringConvertible {
        public var description: String
    }

    static let sqlite3 = "/usr/bin/sqlite3"
    static let psqlPath = "/usr/bin/psql"

    /// True when the machine has the shell this run needs (Debian `sqlite3` or `postgresql-client`).
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: TestDatabase.isSQLite ? sqlite3 : psqlPath) }

    /// Runs SQL against the database and expects it to succeed.
    public static func execute(_ sql: String, in database: TestDatabase) throws {
        _ = try rows(sql, in: database)
    }

    /// The rows a query returns, one string per row with its fields joined by `|` (NULL is empty).
    /// PostgreSQL shows instants in UTC.
    public static func rows(_ sql: String, in database: TestDatabase) throws -> [String] {
        let output: String
        if let path = database.sqlitePath {
            output = try run(sqlite3, ["-cmd", ".timeout 5000", path, sql])
        } else {
            output = try psql(sql, url: database.url)
        }
        return output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// How the shell shows a stored instant given as `YYYY-MM-DD HH:MM:SS` in UTC: SQLite keeps
    /// text with milliseconds, PostgreSQL a `timestamptz` shown with its offset.
    public static func instant(_ utc: String) -> String {
        TestDatabase.isSQLite ? utc + ".000" : utc + "+00"
    }

    /// Runs `body` while another process holds a SQLite database's write lock.
    public static func whileLocked<T>(_ database: TestDatabase, _ body: () throws -> T) throws -> T {
        guard let path = database.sqlitePath else { throw ShellError(description: "whileLocked holds SQLite's lock; this run tests PostgreSQL") }
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.write(contentsOf: Data("ROLLBACK;\n.quit\n".utf8))
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        try input.fileHandleForWriting.write(contentsOf: Data("BEGIN IMMEDIATE;\nSELECT 'locked';\n".utf8))
        var seen = ""
        while !seen.contains("locked") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw ShellError(description: "sqlite3 ended before it held the lock") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        return try body()
    }

    /// Runs SQL with `psql` on the database at `url`: unaligned rows, `|` between fields, UTC.
    static func psql(_ sql: String, url: String) throws -> String {
        try run(psqlPath, ["-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], environment: ["PGTZ": "UTC"])
    }

    /// Runs a shell and returns its standard output; a failure carries its standard error.
    private static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        // Files instead of pipes: a large result can never fill a pipe and deadlock the test.
        let folder = TemporaryDirectory()
        try folder.write("out", "")
        try folder.write("err", "")
        guard let out = FileHandle(forWritingAtPath: folder.file("out")), let err = FileHandle(forWritingAtPath: folder.file("err")) else {
            throw ShellError(description: "cannot open the output files in \(folder.path)")
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let output = try String(contentsOfFile: folder.file("out"), encoding: .utf8)
        guard process.terminationStatus == 0 else {
            let message = try String(contentsOfFile: folder.file("err"), encoding: .utf8)
            throw ShellError(description: "\(URL(fileURLWithPath: program).lastPathComponent) failed (exit \(process.terminationStatus)) on: \(sql(of: arguments))\n\(message)")
        }
        return output
    }

    /// The SQL a shell was given (its last argument), for error messages.
    private static func sql(of arguments: [String]) -> String { arguments.last ?? "" }
}
