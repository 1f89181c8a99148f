import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real mail fetcher (Debian's `getmail6`) with its own rc file and state folder, as a site
/// runs it to hand each new message of the team mailbox to a delivery program (`MDA_external`).
///
/// Each `run()` is one `getmail` run: it logs in, hands every message it has not handed before
/// to the program on standard input, and remembers those the program took (exit 0) in its state
/// folder (`read_all = false`). A message the program refused (any other exit) stays new and is
/// handed again by the next run.
public struct Getmail: Sendable {
    /// What one `getmail` run did.
    public struct Result: Sendable, CustomStringConvertible {
        /// getmail's exit status: 0, or 127 when any message failed (a delivery error included).
        public var status: Int32
        /// What getmail printed on standard output (its per-message lines at `verbose = 1`).
        public var output: String
        /// What getmail printed on standard error (`Delivery error (command … error (75, …))`).
        public var errors: String

        /// How many messages the run fetched from the server, from getmail's summary line
        /// (`3 messages (969 bytes) retrieved, 0 skipped`); nil when it printed none.
        public var retrieved: Int? { summary?.retrieved }
        /// How many messages the run left alone because an earlier run delivered them.
        public var skipped: Int? { summary?.skipped }
        /// How many messages the delivery program refused in this run.
        public var deliveryErrors: Int { errors.components(separatedBy: "Delivery error (").count - 1 }

        private var summary: (retrieved: Int, skipped: Int)? {
            for line in output.split(separator: "\n") where line.contains(" retrieved, ") {
                let words = line.split(separator: " ")
                guard let retrieved = words.first.flatMap({ Int($0) }),
                    let index = words.firstIndex(of: "skipped"), index > 0, let skipped = Int(words[index - 1])
                else { continue }
                return (retrieved, skipped)
            }
            return nil
        }

        public var description: String { "getmail exit \(status)\n--- stdout\n\(output)--- stderr\n\(errors)" }
    }

    /// The rc file this fetcher runs with.
    public let rcFile: String
    /// getmail's own state (`--getmaildir`): the `oldmail-…` file of messages already delivered.
    public let stateFolder: TemporaryDirectory

    /// A fetcher of `server`'s INBOX (over TLS, verifying the server's certificate, unless `tls`
    /// is false) that runs `program` with `arguments` for each new message, with the options of
    /// the shipped example (`config/getmail/overstap-replies.rc`); `options` adds or replaces
    /// entries of the rc file's `[options]` section, `ignoreStderr` is the destination's
    /// `ignore_stderr`.
    public init(
        server: DovecotServer, program: String, arguments: [String] = [], tls: Bool = true,
        ignoreStderr: Bool = true, options: [String: String] = [:]
    ) throws {
        _ = try DovecotServer.installed("/usr/bin/getmail")
        stateFolder = TemporaryDirectory()
        var settings = [
            "read_all": "false", "delete": "false", "delivered_to": "false", "received": "false", "verbose": "1",
        ]
        settings.merge(options) { _, new in new }
        let rc = """
            [retriever]
            type = \(tls ? "SimpleIMAPSSLRetriever" : "SimpleIMAPRetriever")
            server = 127.0.0.1
            port = \(tls ? server.tlsPort : server.plainPort)
            username = \(server.username)
            password = \(server.password)
            \(tls ? "ca_certs = \(server.certificateFile)" : "")
            mailboxes = ("INBOX",)
            record_mailbox = false

            [destination]
            type = MDA_external
            path = \(program)
            arguments = \(Self.tuple(arguments))
            ignore_stderr = \(ignoreStderr)
            \(Self.rootClause)

            [options]
            \(settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n"))

            """
        rcFile = try stateFolder.write("getmailrc", rc)
    }

    /// A fetcher that runs the rc file `text` as given (for example a shipped example with its
    /// server, login and program replaced through `Getmail.setting`); as root it adds
    /// `allow_root_commands`, without which getmail refuses to start the program.
    public init(rc text: String) throws {
        _ = try DovecotServer.installed("/usr/bin/getmail")
        stateFolder = TemporaryDirectory()
        let rc = geteuid() == 0 ? Self.setting("allow_root_commands", "true", in: "destination", of: text) : text
        rcFile = try stateFolder.write("getmailrc", rc)
    }

    /// Runs getmail once, to its end. The delivery program inherits `environment` (else this
    /// process's) and runs in `directory` (else the state folder).
    public func run(environment: [String: String]? = nil, directory: String? = nil) throws -> Result {
        let finished = try DovecotServer.run(
            "/bin/sh",
            ["-c", "cd \"$0\" && exec /usr/bin/getmail --rcfile \"$1\" --getmaildir \"$2\"",
             directory ?? stateFolder.path, rcFile, stateFolder.path],
            environment: environment)
        return Result(status: finished.status, output: finished.output, errors: finished.errors)
    }

    /// `text` (an rc file) with `key = value` set in `[section]`: the first active line of that
    /// key replaced, else the line added at the section's end.
    public static func setting(_ key: String, _ value: String, in section: String, of text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        var current = ""
        var sectionEnd: Int?
        for index in lines.indices {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                if current == section { sectionEnd = index }
                current = String(line.dropFirst().dropLast())
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1)
            if current == section, parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                lines[index] = "\(key) = \(value)"
                return lines.joined(separator: "\n")
            }
        }
        if current == section { sectionEnd = lines.count }
        guard let sectionEnd else { return text + "\n[\(section)]\n\(key) = \(value)\n" }
        lines.insert("\(key) = \(value)", at: sectionEnd)
        return lines.joined(separator: "\n")
    }

    /// getmail refuses to run a program as root unless told; CI runs the tests as root.
    static var rootClause: String { geteuid() == 0 ? "allow_root_commands = true" : "" }

    /// `arguments` as the Python tuple getmail reads: `("reply", "ingest")`.
    public static func tuple(_ arguments: [String]) -> String {
        let quoted = arguments.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return "(" + quoted.joined(separator: ", ") + (quoted.count == 1 ? ",)" : ")")
    }
}
