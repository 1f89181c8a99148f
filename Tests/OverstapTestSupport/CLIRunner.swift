import Foundation
import Testing

/// Runs the built `overstap` binary as a subprocess in its own temporary folder, with the clock
/// fixed and the repository's config, so every run is reproducible and touches nothing else.
public struct CLI: Sendable {
    /// What one run of the binary produced.
    public struct Result: Sendable, CustomStringConvertible {
        /// The exit status (128 + signal number when the process was killed by a signal).
        public var status: Int32
        public var stdout: String
        public var stderr: String

        /// Standard output parsed as JSON.
        public func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }

        public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// A run's failure to start, with what to do about it.
    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The instant every run takes as "now" (`OVERSTAP_NOW`).
    public static let now = "2027-01-10T09:00:00+01:00"

    /// The `rsvp.secret` every run has unless a test replaces it.
    public static let rsvpSecret = "cli-test-secret-that-is-long-enough-0123456789"

    /// The working folder; the default database (`sqlite:data/overstap.sqlite`) lands inside it.
    public let directory: TemporaryDirectory
    /// The database every run uses: the default file in the working folder, or on the PostgreSQL
    /// pass a database of its own (`OVERSTAP_DATABASE_URL`).
    public let database: TestDatabase
    /// The environment every run starts from (without the caller's own `OVERSTAP_*` variables).
    public let environment: [String: String]

    /// Creates a runner with a fresh working folder.
    public init() {
        directory = TemporaryDirectory()
        database = TestDatabase(naming: directory, sqliteFile: "data/overstap.sqlite")
        // The initialiser does not throw (every test writes `CLI()`): a database that cannot be
        // made fails the test that asked for it.
        do { try database.create() } catch { Issue.record(error) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OVERSTAP_") }
        environment["OVERSTAP_NOW"] = Self.now
        environment["OVERSTAP_CONFIG"] = Repository.configFile
        environment["OVERSTAP_TEMPLATES_PATH"] = Repository.templatesFolder
        // `outbox send` refuses without a key for the answer links; a test of that sets it to "".
        environment["OVERSTAP_RSVP_SECRET"] = Self.rsvpSecret
        if TestDatabase.isPostgres { environment["OVERSTAP_DATABASE_URL"] = database.url }
        self.environment = environment
    }

    /// The default database file of this runner (on the SQLite pass).
    public var databasePath: String { directory.file("data/overstap.sqlite") }

    /// Runs `overstap` with `arguments`; `env` adds to or replaces variables, `stdin` is fed to it,
    /// `umask` (octal, as the shell takes it) replaces the inherited file creation mask.
    public func run(_ arguments: [String], env: [String: String] = [:], stdin: String? = nil, umask: String? = nil) throws -> Result {
        let process = Process()
        if let umask {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask \(umask) && exec \"$0\" \"$@\"", try Self.executable().path] + arguments
        } else {
            process.executableURL = try Self.executable()
            process.arguments = arguments
        }
        process.environment = environment.merging(env) { _, new in new }
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        // Files instead of pipes: a large output can never fill a pipe and deadlock the test.
        let runID = UUID().uuidString
        let outPath = directory.file(".stdout-\(runID)")
        let errPath = directory.file(".stderr-\(runID)")
        let inPath = directory.file(".stdin-\(runID)")
        try directory.write(".stdout-\(runID)", "")
        try directory.write(".stderr-\(runID)", "")
        try directory.write(".stdin-\(runID)", stdin ?? "")
        defer { for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) } }
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath),
            let input = FileHandle(forReadingAtPath: inPath)
        else { throw LaunchError(description: "cannot open the output files in \(directory.path)") }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        try [out, err, input].forEach { try $0.close() }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(
            status: status, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
            stderr: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    /// Starts `overstap` without waiting, for tests that stop it themselves; standard output goes
    /// to `outputFile` inside the working folder when given, else it is discarded.
    public func launch(_ arguments: [String], env: [String: String] = [:], outputFile: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        process.environment = environment.merging(env) { _, new in new }
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.standardOutput = FileHandle.nullDevice
        if let outputFile {
            try directory.write(outputFile, "")
            process.standardOutput = FileHandle(forWritingAtPath: directory.file(outputFile))
        }
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs another program (found on PATH) and returns its standard output.
    public static func shell(_ program: String, _ arguments: [String]) throws -> String {
        try shellResult(program, arguments).output
    }

    /// Runs another program (found on PATH) and returns its exit status and standard output.
    public static func shellResult(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The `overstap` binary next to the test bundle, else in the repository's `.build/debug`.
    public static func executable() throws -> URL {
        var candidates: [URL] = []
        for bundle in [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])].compactMap({ $0 }) {
            var folder = bundle.deletingLastPathComponent()
            // On macOS the test bundle is `.build/debug/X.xctest/Contents/MacOS/X`.
            while folder.path.contains(".xctest") { folder.deleteLastPathComponent() }
            candidates.append(folder.appendingPathComponent("overstap"))
        }
        candidates.append(URL(fileURLWithPath: "\(Repository.root)/.build/debug/overstap"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw LaunchError(description: """
                the overstap binary was not found (looked at \(candidates.map(\.path).joined(separator: ", "))); \
                run `swift build` before `swift test`
                """)
        }
        return found
    }
}
