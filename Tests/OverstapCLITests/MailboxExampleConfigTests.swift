import Foundation
import OverstapTestSupport
import Testing

/// The shipped examples for wiring the team mailbox (`config/getmail/`, `config/postfix/`) are
/// what a site copies: each one must work as shipped, with only the site's own names changed.
struct MailboxExampleConfigTests {
    static let rcFile = "\(Repository.configFolder)/getmail/overstap-replies.rc"
    static let shippedArguments = ["reply", "ingest", "--config", "/etc/overstap/overstap.yaml"]

    /// The shipped rc file with the site's names replaced by the test server's: host, port,
    /// login, the CA that signed the server's certificate, the delivery program and the OAuth
    /// token file, which is written as `getmail-gmail-xoauth-tokens --init` leaves it, with an
    /// access token still valid, so the helper hands it to getmail without asking a provider.
    static func shippedRC(for server: DovecotServer, recorder: DeliveryRecorder, caFile: String? = nil) throws -> String {
        var rc = try String(contentsOfFile: rcFile, encoding: .utf8)
        for (key, value) in [
            ("server", "127.0.0.1"), ("port", "\(server.tlsPort)"), ("username", server.username),
            ("ca_certs", caFile ?? server.certificateFile),
        ] {
            rc = Getmail.setting(key, value, in: "retriever", of: rc)
        }
        let tokens = try recorder.folder.write("oauth2.json", """
            {"scope": "https://outlook.office365.com/IMAP.AccessAsUser.All offline_access",
             "user": "\(server.username)", "client_id": "id", "client_secret": "secret",
             "token_uri": "https://login.invalid/token", "auth_uri": "https://login.invalid/authorize",
             "access_token": "\(server.password)", "expires_at": 4102444800}
            """)
        #expect(rc.contains("\"/var/lib/overstap/getmail/oauth2.json\""))
        rc = rc.replacingOccurrences(of: "/var/lib/overstap/getmail/oauth2.json", with: tokens)
        return Getmail.setting("path", recorder.program, in: "destination", of: rc)
    }

    @Test func theShippedXOAUTH2VariantFetchesOverTLSAndRunsTheShippedCommand() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        try server.deliver([MailboxHarnessTests.reply(1), MailboxHarnessTests.reply(2)])
        let recorder = try DeliveryRecorder()
        let getmail = try Getmail(rc: try Self.shippedRC(for: server, recorder: recorder))

        let first = try getmail.run()
        #expect(first.status == 0, "\(first)")
        #expect(first.errors.isEmpty, "\(first)")
        #expect(try recorder.handed() == [1, 2].map { MailboxHarnessTests.withLFLineEnds(MailboxHarnessTests.reply($0)) })
        #expect(try recorder.arguments(1) == Self.shippedArguments)
        #expect(try String(contentsOfFile: server.logFile, encoding: .utf8).contains("method=XOAUTH2"))

        let second = try getmail.run()
        #expect(second.status == 0, "\(second)")
        #expect(try recorder.handed().count == 2, "read_all = false: nothing is handed over twice")
        #expect(try server.unseenCount() == 2, "the team's people still see the messages as unread")
    }

    @Test func theShippedPasswordVariantForASelfHostedServerFetchesToo() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        try server.deliver([MailboxHarnessTests.reply(1)])
        let recorder = try DeliveryRecorder()
        let passwordFile = try recorder.folder.write("imap-password", server.password + "\n")
        // The site follows the comment: drop the XOAUTH2 lines, use the two commented ones.
        var rc = try Self.shippedRC(for: server, recorder: recorder).components(separatedBy: "\n")
            .filter { !$0.hasPrefix("use_xoauth2") && !$0.hasPrefix("password_command") }
            .map { $0.hasPrefix("#use_xoauth2") || $0.hasPrefix("#password_command") ? String($0.dropFirst()) : $0 }
            .joined(separator: "\n")
        #expect(rc.contains("\"/etc/overstap/getmail/imap-password\""))
        rc = rc.replacingOccurrences(of: "/etc/overstap/getmail/imap-password", with: passwordFile)
        let getmail = try Getmail(rc: rc)

        let run = try getmail.run()
        #expect(run.status == 0, "\(run)")
        #expect(try recorder.handed() == [MailboxHarnessTests.withLFLineEnds(MailboxHarnessTests.reply(1))])
        #expect(try recorder.arguments(1) == Self.shippedArguments)
        #expect(try String(contentsOfFile: server.logFile, encoding: .utf8).contains("method=PLAIN"))
    }

    /// getmail checks the server's certificate only with `ca_certs`: the shipped file sets it,
    /// so a server that cannot prove its name (here: a self-signed certificate) gets nothing.
    @Test func theShippedRCRefusesAServerWhoseCertificateItCannotVerify() throws {
        let server = try DovecotServer()
        defer { server.stop() }
        try server.deliver([MailboxHarnessTests.reply(1)])
        let recorder = try DeliveryRecorder()
        let rc = try Self.shippedRC(for: server, recorder: recorder, caFile: "/etc/ssl/certs/ca-certificates.crt")
        let getmail = try Getmail(rc: rc)

        let run = try getmail.run()
        #expect(run.status != 0, "\(run)")
        #expect(run.errors.contains("CERTIFICATE_VERIFY_FAILED"), "\(run)")
        #expect(try recorder.handed().isEmpty)
        #expect(!(try String(contentsOfFile: server.logFile, encoding: .utf8).contains("Login: user=")))
    }

    /// The timer's service runs getmail as the daemon runs: same user, working folder (where the
    /// default `sqlite:data/overstap.sqlite` points) and environment, so `reply ingest` opens the
    /// daemon's database and no other.
    @Test func theFetcherServiceRunsWhereTheDaemonRuns() throws {
        let daemon = try Self.unitSettings("\(Repository.configFolder)/overstap.service")
        let fetcher = try Self.unitSettings("\(Repository.configFolder)/getmail/overstap-replies.service")
        for key in ["User", "Group", "WorkingDirectory", "Environment", "EnvironmentFile", "UMask", "ReadWritePaths"] {
            #expect(fetcher[key] == daemon[key], "\(key)")
        }
        #expect(fetcher["Type"] == ["oneshot"])
        #expect(fetcher["ExecStart"] == [
            "/usr/bin/getmail --rcfile /etc/overstap/getmail/overstap-replies.rc --getmaildir /var/lib/overstap/getmail",
        ])
        let timer = try Self.unitSettings("\(Repository.configFolder)/getmail/overstap-replies.timer")
        #expect(timer["OnCalendar"] == ["minutely"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func theFetcherUnitsVerify() throws {
        let directory = TemporaryDirectory()
        for name in ["overstap-replies.service", "overstap-replies.timer"] {
            try directory.write(name, try String(contentsOfFile: "\(Repository.configFolder)/getmail/\(name)", encoding: .utf8))
        }
        let report = try CLI.shellResult("sh", [
            "-c", "systemd-analyze verify \"$0/overstap-replies.service\" \"$0/overstap-replies.timer\" 2>&1", directory.path,
        ])
        #expect(report.status == 0, "\(report.output)")
        #expect(!report.output.contains("Unknown key"), "\(report.output)")
        #expect(!report.output.contains("Failed to parse"), "\(report.output)")
    }

    /// The Postfix example as `postconf` reads it: a pipe transport that runs one `reply ingest`
    /// at a time as the overstap user, and the tables that copy the team address's mail to it
    /// while the mailbox keeps receiving it.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/postconf")))
    func thePostfixExampleRoutesACopyToOnePipeAtATime() throws {
        let directory = TemporaryDirectory()
        let shipped = "\(Repository.configFolder)/postfix"
        let defaults = (try? String(contentsOfFile: "/usr/share/postfix/master.cf.dist", encoding: .utf8)) ?? ""
        try directory.write("master.cf", defaults + (try String(contentsOfFile: "\(shipped)/master.cf", encoding: .utf8)))
        try directory.write("main.cf", try String(contentsOfFile: "\(shipped)/main.cf", encoding: .utf8)
            .replacingOccurrences(of: "/etc/postfix/", with: directory.path + "/"))
        for table in ["overstap-bcc", "overstap-transport"] {
            try directory.write(table, try String(contentsOfFile: "\(shipped)/\(table)", encoding: .utf8))
        }
        func postfix(_ command: String) throws -> String {
            let result = try CLI.shellResult("sh", ["-c", "\(command) 2>&1", directory.path])
            #expect(result.status == 0, "\(command): \(result.output)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try postfix("postmap -c \"$0\" \"$0/overstap-bcc\" \"$0/overstap-transport\"")

        #expect(try postfix("postconf -c \"$0\" -F overstap/unix/process_limit") == "overstap/unix/process_limit = 1")
        #expect(try postfix("postconf -c \"$0\" -F overstap/unix/command") == """
            overstap/unix/command = pipe flags=Rq user=overstap directory=/var/lib/overstap argv=/usr/local/bin/overstap reply ingest --config /etc/overstap/overstap.yaml
            """)
        #expect(try postfix("postconf -c \"$0\" -h overstap_destination_concurrency_limit overstap_destination_recipient_limit") == "1\n1")
        // postconf warns on standard error about parameters no service uses (misspelt names).
        #expect(!(try postfix("postconf -c \"$0\" -n")).contains("warning"))

        // The team address (organiser.email, the ORGANIZER of every invitation) gets a copy ...
        let organiser = try #require(String(contentsOfFile: Repository.configFile, encoding: .utf8)
            .split(separator: "\n").first { $0.contains("email:") }?
            .split(separator: "\"").dropFirst().first.map(String.init))
        let copy = try postfix("postmap -c \"$0\" -q \(organiser) hash:\"$0/overstap-bcc\"")
        #expect(copy == "replies@overstap.invalid")
        // ... which goes to the pipe transport, not to any other mail server.
        #expect(try postfix("postmap -c \"$0\" -q \(copy) hash:\"$0/overstap-transport\"") == "overstap:")
    }

    /// The settings of a systemd unit file, each key with its values in order.
    static func unitSettings(_ path: String) throws -> [String: [String]] {
        var settings: [String: [String]] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { settings[String(parts[0]), default: []].append(String(parts[1])) }
        }
        return settings
    }
}
