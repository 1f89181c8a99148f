import Foundation
import Testing

/// The `sqlite3` shell, for what the CLI cannot do itself yet: writing enrollments and holding
/// the write lock as another process would.
enum SQLiteShell {
    static let path = "/usr/bin/sqlite3"

    /// True when the machine has the shell (Debian package `sqlite3`).
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs SQL against a database file and expects it to succeed.
    static func execute(_ sql: String, in database: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [database, "PRAGMA busy_timeout = 5000;\n" + sql]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "sqlite3 failed on: \(sql)")
    }

    /// Runs `body` while another process holds the database's write lock.
    static func whileLocked<T>(_ database: String, _ body: () throws -> T) throws -> T {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [database]
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
            try #require(!chunk.isEmpty, "sqlite3 ended before it held the lock")
            seen += String(decoding: chunk, as: UTF8.self)
        }
        return try body()
    }
}
