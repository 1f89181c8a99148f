import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real IMAP server (Debian's Dovecot, `dovecot-imapd`) for one test: its own config, users,
/// Maildir, TLS certificate and log in a temporary folder, listening on free ports of 127.0.0.1.
///
/// It holds one mailbox, `team` with password `secret` (also accepted as an XOAUTH2 bearer
/// token, as Microsoft 365 and Google accept theirs), like a team mailbox that people and
/// `getmail` both read. Messages go in through `doveadm save`, which gives them IMAP UIDs in the
/// order they were delivered. When the process running the test dies, Dovecot stops with it.
///
/// `@unchecked Sendable`: every stored property is a `let` set in `init` (`stopped` is a
/// `Mutex`); the process and pipe are only used to stop the server, which Foundation allows
/// from any thread.
public final class DovecotServer: @unchecked Sendable {
    /// Why the server could not start, with what to do about it.
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The mailbox's login name.
    public let username = "team"
    /// The mailbox's password.
    public let password = "secret"
    /// The port that speaks IMAP over TLS (like 993), with `certificateFile`'s certificate.
    public let tlsPort: Int
    /// The port that speaks plain IMAP (like 143), for clients without TLS.
    public let plainPort: Int
    /// The server's temporary folder: config, log, Maildir, certificate.
    public let folder: TemporaryDirectory

    private let process: Process
    private let lifeline: Pipe
    private let stopped = Mutex(false)

    /// The self-signed certificate of `localhost` and `127.0.0.1`; clients trust it as their CA file.
    public var certificateFile: String { folder.file("cert.pem") }
    /// Dovecot's log (logins, errors), for failure messages.
    public var logFile: String { folder.file("dovecot.log") }
    /// The generated `dovecot.conf`.
    public var configFile: String { folder.file("dovecot.conf") }

    /// Starts Dovecot and returns once it answers IMAP on its plain port.
    public init() throws {
        let dovecot = try Self.installed("/usr/sbin/dovecot")
        _ = try Self.installed("/usr/bin/doveadm")
        folder = TemporaryDirectory()
        let account = try Self.mailAccount()
        for name in ["run", "state", "mail/Maildir/new", "mail/Maildir/cur", "mail/Maildir/tmp"] {
            try FileManager.default.createDirectory(atPath: folder.file(name), withIntermediateDirectories: true)
        }
        // Dovecot's unprivileged processes must reach the folder whatever the test's umask.
        for name in ["", "/run", "/state", "/mail", "/mail/Maildir", "/mail/Maildir/new", "/mail/Maildir/cur", "/mail/Maildir/tmp"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path + name)
        }
        try Self.chownTree(folder.file("mail"), to: account)
        let certificate = try Self.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout", folder.file("key.pem"), "-out", folder.file("cert.pem"),
        ])
        guard certificate.status == 0 else {
            throw StartFailure(description: "openssl could not make the test certificate: \(certificate.errors)")
        }
        try folder.write("passwd", "\(username):{PLAIN}\(password)\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.file("passwd"))

        // A port found free may be taken before Dovecot binds it: try again with new ones.
        var attempt = 0
        while true {
            attempt += 1
            let ports = try (Self.freePort(), Self.freePort())
            try folder.write("dovecot.conf", Self.config(folder: folder.path, account: account, plain: ports.0, tls: ports.1))
            try? FileManager.default.removeItem(atPath: folder.file("dovecot.log"))
            let lifeline = Pipe()
            // Only the wrapper may hold the pipe: a copy in another child (a server started
            // by a test running in parallel) would keep it open after this process has gone.
            for handle in [lifeline.fileHandleForReading, lifeline.fileHandleForWriting] {
                _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
            }
            let process = Process()
            // The wrapper stops Dovecot when its standard input closes: when `stop()` closes the
            // pipe, and also when the test process dies without stopping it.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [
                "-c", Self.unblockSignals, "/bin/sh", "-c",
                """
                exec 3<&0
                "$0" -F -c "$1" </dev/null & pid=$!
                { read -r _ <&3; kill -TERM "$pid" 2>/dev/null; } &
                wait "$pid"
                """,
                dovecot, folder.file("dovecot.conf"),
            ]
            process.standardInput = lifeline
            process.standardOutput = FileHandle(forWritingAtPath: try folder.write("dovecot.stdout", ""))
            process.standardError = FileHandle(forWritingAtPath: try folder.write("dovecot.stderr", ""))
            try process.run()
            if Self.waitForGreeting(port: ports.0, while: process) {
                self.process = process
                self.lifeline = lifeline
                plainPort = ports.0
                tlsPort = ports.1
                return
            }
            Self.end(process, lifeline: lifeline, masterPIDFile: folder.file("run/master.pid"))
            let report = [folder.file("dovecot.stderr"), folder.file("dovecot.log")]
                .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.joined()
            if report.contains("Address already in use") && attempt < 3 { continue }
            throw StartFailure(description: "Dovecot did not start (config \(folder.file("dovecot.conf"))):\n\(report)")
        }
    }

    deinit { stop() }

    /// Stops Dovecot and waits until its master process has gone.
    public func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        Self.end(process, lifeline: lifeline, masterPIDFile: folder.file("run/master.pid"))
    }

    /// Puts one message into the mailbox's INBOX, as a mail server delivering to it would.
    public func deliver(_ message: [UInt8]) throws {
        let save = try Self.run("/usr/bin/doveadm", ["-c", configFile, "save", "-u", username, "-m", "INBOX"], input: message)
        guard save.status == 0 else {
            throw StartFailure(description: "doveadm save failed with status \(save.status): \(save.errors)")
        }
    }

    /// Puts each message into the INBOX, in this order (which is their IMAP UID order).
    public func deliver(_ messages: [[UInt8]]) throws {
        for message in messages { try deliver(message) }
    }

    /// How many messages the INBOX holds.
    public func messageCount() throws -> Int { try status("messages") }

    /// How many messages of the INBOX nobody has read (no `\Seen` flag).
    public func unseenCount() throws -> Int { try status("unseen") }

    private func status(_ field: String) throws -> Int {
        let result = try Self.run("/usr/bin/doveadm", ["-c", configFile, "-f", "flow", "mailbox", "status", "-u", username, field, "INBOX"])
        // `-f flow` prints `messages=3`.
        guard result.status == 0, let value = result.output.split(separator: "=").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw StartFailure(description: "doveadm mailbox status failed (\(result.status)): \(result.output)\(result.errors)")
        }
        return value
    }
}

extension DovecotServer {
    /// The user that owns the mail: Dovecot's own `dovecot` user when the test runs as root
    /// (Dovecot refuses to run its processes as root), else the test's own user.
    struct MailAccount {
        var user: String
        var group: String
        var uid: uid_t
        var gid: gid_t
        /// The unprivileged user of the login processes.
        var loginUser: String
    }

    /// Closes the wrapper's lifeline, which makes it stop Dovecot with SIGTERM, and waits for
    /// the wrapper; a master still running after ten seconds gets SIGKILL (its children notice
    /// and leave).
    static func end(_ process: Process, lifeline: Pipe, masterPIDFile: String) {
        try? lifeline.fileHandleForWriting.close()
        for _ in 0..<200 where process.isRunning { usleep(50_000) }
        if process.isRunning,
            let text = try? String(contentsOfFile: masterPIDFile, encoding: .utf8),
            let master = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            kill(master, SIGKILL)
        }
        process.waitUntilExit()
    }

    static func mailAccount() throws -> MailAccount {
        if geteuid() == 0 {
            guard let dovecot = getpwnam("dovecot"), getpwnam("dovenull") != nil, let group = getgrgid(dovecot.pointee.pw_gid) else {
                throw StartFailure(description: "the users dovecot and dovenull are missing; run scripts/install-deps.sh (Debian's dovecot-imapd creates them)")
            }
            return MailAccount(user: "dovecot", group: String(cString: group.pointee.gr_name),
                               uid: dovecot.pointee.pw_uid, gid: dovecot.pointee.pw_gid, loginUser: "dovenull")
        }
        guard let me = getpwuid(geteuid()), let group = getgrgid(getegid()) else {
            throw StartFailure(description: "the test's own user (uid \(geteuid())) has no passwd entry")
        }
        let name = String(cString: me.pointee.pw_name)
        return MailAccount(user: name, group: String(cString: group.pointee.gr_name), uid: geteuid(), gid: getegid(), loginUser: name)
    }

    static func config(folder: String, account: MailAccount, plain: Int, tls: Int) -> String {
        """
        # Generated for one test by DovecotServer.swift: loopback only, everything in \(folder).
        protocols = imap
        listen = 127.0.0.1
        base_dir = \(folder)/run
        state_dir = \(folder)/state
        log_path = \(folder)/dovecot.log
        info_log_path = \(folder)/dovecot.log
        default_internal_user = \(account.user)
        default_internal_group = \(account.group)
        default_login_user = \(account.loginUser)
        first_valid_uid = \(account.uid)
        first_valid_gid = \(account.gid)
        ssl = yes
        ssl_cert = <\(folder)/cert.pem
        ssl_key = <\(folder)/key.pem
        disable_plaintext_auth = no
        auth_mechanisms = plain login xoauth2
        mail_location = maildir:\(folder)/mail/Maildir
        passdb {
          driver = passwd-file
          args = scheme=PLAIN \(folder)/passwd
        }
        userdb {
          driver = static
          args = uid=\(account.uid) gid=\(account.gid) home=\(folder)/mail
        }
        service imap-login {
          chroot =
          inet_listener imap {
            address = 127.0.0.1
            port = \(plain)
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = \(tls)
            ssl = yes
          }
        }
        service anvil {
          chroot =
        }

        """
    }

    /// The path of a program the harness needs, or a failure that says how to install it.
    static func installed(_ path: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw StartFailure(description: """
                \(path) is missing: the mailbox tests need Debian's dovecot-imapd and getmail6; \
                run scripts/install-deps.sh
                """)
        }
        return path
    }

    static func chownTree(_ path: String, to account: MailAccount) throws {
        guard geteuid() == 0 else { return }
        var paths = [path]
        if let enumerator = FileManager.default.enumerator(atPath: path) {
            paths += enumerator.compactMap { $0 as? String }.map { "\(path)/\($0)" }
        }
        for item in paths where chown(item, account.uid, account.gid) != 0 {
            throw StartFailure(description: "cannot give \(item) to \(account.user): errno \(errno)")
        }
    }

    /// A port of 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartFailure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw StartFailure(description: "cannot find a free port on 127.0.0.1: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until the server greets with `* OK` on `port`, or `process` has ended.
    /// Start-up takes well under a second; the bound only keeps a broken install from hanging.
    static func waitForGreeting(port: Int, while process: Process) -> Bool {
        for _ in 0..<400 where process.isRunning {
            if greeting(port: port).hasPrefix("* OK") { return true }
            usleep(50_000)
        }
        return false
    }

    static func greeting(port: Int) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return "" }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    /// A python3 program that runs its arguments with no signal blocked. The threads of the
    /// test process block most signals and the programs it starts inherit that mask: Dovecot
    /// would ignore SIGTERM, `sh`'s `wait` would never return, and getmail, which waits for its
    /// delivery program through a SIGCHLD handler, would wait out its timeout (180 s) after
    /// every message.
    static let unblockSignals =
        "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, set()); os.execv(sys.argv[1], sys.argv[1:])"

    /// What a program run to its end printed.
    struct Finished {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs a program to its end, with no signal blocked, `input` on standard input and
    /// `environment` (else this process's).
    static func run(_ executable: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String]? = nil) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", unblockSignals, executable] + arguments
        if let environment { process.environment = environment }
        // Files instead of pipes: nothing can fill a pipe and block the program.
        let base = NSTemporaryDirectory() + "overstap-run-" + UUID().uuidString
        let paths = (input: base + ".in", output: base + ".out", errors: base + ".err")
        defer { for path in [paths.input, paths.output, paths.errors] { try? FileManager.default.removeItem(atPath: path) } }
        try Data(input).write(to: URL(fileURLWithPath: paths.input))
        try Data().write(to: URL(fileURLWithPath: paths.output))
        try Data().write(to: URL(fileURLWithPath: paths.errors))
        process.standardInput = FileHandle(forReadingAtPath: paths.input)
        process.standardOutput = FileHandle(forWritingAtPath: paths.output)
        process.standardError = FileHandle(forWritingAtPath: paths.errors)
        try process.run()
        process.waitUntilExit()
        return Finished(
            status: process.terminationStatus,
            output: (try? String(contentsOfFile: paths.output, encoding: .utf8)) ?? "",
            errors: (try? String(contentsOfFile: paths.errors, encoding: .utf8)) ?? "")
    }
}
