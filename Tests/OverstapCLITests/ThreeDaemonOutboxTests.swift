import Foundation
import OverstapTestSupport
import Testing

/// Three `overstap serve` processes on one database (PostgreSQL on that pass, one SQLite file on
/// the other) send 3,000 due invitations to a real SMTP server; one is killed with SIGKILL half-way.
/// Every message arrives; only the ones the killed daemon had on the wire arrive twice, with the
/// same Message-ID (the others take its leases over and send them again); every reminder exists once.
struct ThreeDaemonOutboxTests {
    let cli = CLI()

    static let invitations = 3_000

    /// Starts `overstap serve` on a free port with the SMTP transport and waits until it listens.
    func serve(_ number: Int, smtp: [String: String]) throws -> Process {
        let port = try ServeCommandTests.freePort()
        let log = "serve-\(number).log"
        let env = smtp.merging(["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1:\(port)"]) { _, new in new }
        // Standard error (the log) is kept too: a failing run shows what each daemon said.
        let daemon = Process()
        daemon.executableURL = try CLI.executable()
        daemon.arguments = ["serve"]
        daemon.environment = cli.environment.merging(env) { _, new in new }
        daemon.currentDirectoryURL = URL(fileURLWithPath: cli.directory.path)
        try cli.directory.write(log, "")
        try cli.directory.write("serve-\(number).err", "")
        daemon.standardOutput = FileHandle(forWritingAtPath: cli.directory.file(log))
        daemon.standardError = FileHandle(forWritingAtPath: cli.directory.file("serve-\(number).err"))
        try daemon.run()
        let ready = ServeCommandTests.waitUntil(seconds: 60) {
            (try? String(contentsOfFile: cli.directory.file(log), encoding: .utf8))?.contains("listening on") == true
        }
        #expect(ready, "daemon \(number) did not start")
        return daemon
    }

    /// The local ports of `pid`'s TCP connections to `port` on this host, from `/proc`.
    static func connections(of pid: Int32, to port: Int) -> Set<Int> {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
        let sockets = Set(descriptors.compactMap { descriptor -> String? in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)"),
                target.hasPrefix("socket:[")
            else { return nil }
            return String(target.dropFirst("socket:[".count).dropLast())
        })
        var ports = Set<Int>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // /proc files report a size of 0: read them to their end rather than by their size.
            let contents = FileHandle(forReadingAtPath: table).map { String(decoding: $0.readDataToEndOfFile(), as: UTF8.self) } ?? ""
            let lines = contents.split(separator: "\n").dropFirst()
            for line in lines {
                let fields = line.split(separator: " ")
                guard fields.count > 9, sockets.contains(String(fields[9])),
                    let local = fields[1].split(separator: ":").last.flatMap({ Int($0, radix: 16) }),
                    let remote = fields[2].split(separator: ":").last.flatMap({ Int($0, radix: 16) }), remote == port
                else { continue }
                ports.insert(local)
            }
        }
        return ports
    }

    /// Rows of `outbox list --json` of one kind.
    func outbox(kind: String, state: String? = nil) throws -> [[String: Any]] {
        let result = try cli.run(["outbox", "list", "--json", "--kind", kind] + (state.map { ["--state", $0] } ?? []))
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }

    @Test func threeDaemonsSendEveryInvitationOnceExceptWhatWasOnTheWireAtAKill() throws {
        let server = try SMTPTestServer([])
        defer { server.stop() }
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--capacity", String(Self.invitations)))
        var csv = "email,name,sector,targets,region,languages,availability,status\n"
        for index in 0..<Self.invitations {
            csv += "p\(index)@example.org,Deelnemer \(index),horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
        }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        let invited = try cli.run(["invite"])
        expectSuccess(invited)
        #expect(invited.stdout.hasPrefix("queued \(Self.invitations) invitation"))
        let queued = Set(try outbox(kind: "invitation").compactMap { $0["message_id"] as? String })
        #expect(queued.count == Self.invitations)

        let connections = 2
        let smtp = [
            "OVERSTAP_MAIL_TRANSPORT": "smtp", "OVERSTAP_SMTP_HOST": "127.0.0.1", "OVERSTAP_SMTP_PORT": String(server.port),
            "OVERSTAP_SMTP_TLS": "none", "OVERSTAP_SMTP_CONNECTIONS": String(connections),
        ]
        let started = Date()
        var daemons = try (0..<3).map { try serve($0, smtp: smtp) }
        defer { for daemon in daemons where daemon.isRunning { daemon.terminate() } }

        // Half-way, kill the first daemon while it has messages on the wire.
        let victim = daemons[0]
        var onTheWire = Set<Int>()
        let halfWay = ServeCommandTests.waitUntil(seconds: 600) {
            guard server.receivedCount() >= Self.invitations / 2 else { return false }
            onTheWire = Self.connections(of: victim.processIdentifier, to: server.port)
            guard !onTheWire.isEmpty else { return false }
            kill(victim.processIdentifier, SIGKILL)
            return true
        }
        try #require(halfWay, "the sink received \(server.receivedCount()) messages and the first daemon never sent")
        victim.waitUntilExit()
        daemons.removeFirst()

        let allSent = try ServeCommandTests.waitUntil(seconds: 600) {
            try outbox(kind: "invitation", state: "sent").count == Self.invitations
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(allSent, "every invitation is sent once the two others took the killed daemon's leases over")
        for daemon in daemons {
            daemon.terminate()
            daemon.waitUntilExit()
        }

        let received = try server.receivedMessages()
        var copies: [String: [Int]] = [:]
        for message in received {
            guard let id = MailCommandTests.messageID(message.data) else { continue }
            copies[id, default: []].append(message.clientPort)
        }
        #expect(Set(copies.keys) == queued, "every invitation arrived, and nothing else")
        let twice = copies.filter { $0.value.count > 1 }
        #expect(twice.values.allSatisfy { $0.count == 2 }, "a message arrives at most twice")
        #expect(twice.values.allSatisfy { onTheWire.contains($0[0]) }, "only what the killed daemon had on the wire arrives again")
        let logs = (1..<3).map { (try? String(contentsOfFile: cli.directory.file("serve-\($0).err"), encoding: .utf8)) ?? "" }
        // A claim takes 64 messages per connection (OverstapService.batchPerLane); a run records one
        // batch while it sends the next, so two batches can be on the wire unrecorded.
        #expect(twice.count <= 2 * 64 * connections, "at most two claimed batches of the killed daemon; the others said:\n\(logs.joined())")
        #expect(!logs.joined().contains("outbox send failed"), "\(logs.joined())")

        let reminders = try outbox(kind: "reminder")
        let keys = reminders.map { "\($0["recipient"] ?? "")|\($0["state"] ?? "")|\($0["next_attempt"] ?? "")" }
        #expect(reminders.count == 2 * Self.invitations, "two reminders (P1D, PT2H) before the one meeting, per invited person")
        #expect(reminders.allSatisfy { $0["state"] as? String == "pending" })
        #expect(Set(keys).count == keys.count, "every reminder exists once")
        print("three daemons: \(Self.invitations) invitations in \(String(format: "%.1f", seconds)) s, \(twice.count) sent twice")
    }
}
