import Foundation

/// A real SMTP server (aiosmtpd, `smtp_server.py`) running for one test, with its own folder
/// for received messages and, for TLS, its own self-signed certificate.
///
/// `@unchecked Sendable`: every stored property is a `let` set in `init`; the process and pipe are
/// only used to stop the server, which Foundation allows from any thread.
public final class SMTPTestServer: @unchecked Sendable {
    /// One message as the server stored it.
    public struct Received: Sendable {
        /// The envelope sender (`MAIL FROM`).
        public var sender: String
        /// The accepted envelope recipients.
        public var recipients: [String]
        /// `MAIL FROM` parameters such as `BODY=8BITMIME`.
        public var mailOptions: [String]
        /// Whether the session was encrypted.
        public var tls: Bool
        /// The client's port, which tells connections apart.
        public var clientPort: Int
        /// The content with dot-stuffing removed, as received.
        public var data: [UInt8]
    }

    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A temporary folder with `cert.pem` (trusted through `caFile`) and `key.pem`.
    public let folder: String
    public let port: Int
    private let process: Process
    private let input = Pipe()

    public var certificateFile: String { folder + "/cert.pem" }
    private var maildir: String { folder + "/maildir" }

    /// Starts the server with `arguments` (see `smtp_server.py`) and waits until it listens;
    /// `port` reuses a port (a server that "comes back"), else a free one is chosen.
    public init(_ arguments: [String], port requestedPort: Int? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.run("/usr/bin/env", [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
        ])
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("smtp_server.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--maildir", folder + "/maildir",
                             "--cert", folder + "/cert.pem", "--key", folder + "/key.pem"] + arguments
            + (requestedPort.map { ["--port", String($0)] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        // The server exits when this pipe closes, also when the test process dies.
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            process.waitUntilExit()
            throw StartFailure(description: "smtp_server.py did not start (is aiosmtpd installed?)")
        }
        self.port = port
    }

    /// Stops the server and removes its folder.
    public func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Every complete message received so far, in arrival order.
    public func receivedMessages() throws -> [Received] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []
        let numbers = names.filter { $0.hasSuffix(".json") }.compactMap { Int($0.dropLast(5)) }.sorted()
        return try numbers.map { number in
            let base = "\(maildir)/\(number)"
            let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json"))) as? [String: Any] ?? [:]
            return Received(
                sender: envelope["mail_from"] as? String ?? "",
                recipients: envelope["rcpt_tos"] as? [String] ?? [],
                mailOptions: envelope["mail_options"] as? [String] ?? [],
                tls: envelope["tls"] as? Bool ?? false,
                clientPort: envelope["peer_port"] as? Int ?? 0,
                data: Array(try Data(contentsOf: URL(fileURLWithPath: base + ".eml")))
            )
        }
    }

    /// How many complete messages arrived so far (cheap enough to poll).
    public func receivedCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []).filter { $0.hasSuffix(".json") }.count
    }

    /// How many sessions ended with `QUIT`.
    public func quitCount() -> Int {
        let log = (try? String(contentsOfFile: maildir + "/quits.log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").count
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StartFailure(description: "\(arguments.first ?? executable) failed with status \(process.terminationStatus)")
        }
    }
}
