import Foundation
import OverstapTestSupport
import Testing

/// `outbox send` and `serve` against a scripted hostile SMTP server: policy refusals, unknown
/// mailboxes, a greeting that never ends, a server that refuses every session.
struct HostileMailServerTests {
    let cli = CLI()

    /// Six people in six domains fill a session of six; two more wait for a seat.
    func placeSixAndQueueInvitations() throws {
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--capacity", "6"))
        var csv = "email,name,sector,targets,region,languages,availability,status\n"
        for index in 0..<8 {
            csv += "p\(index)@domain\(index).example,Deelnemer \(index),horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
        }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"]))
    }

    /// The environment for the SMTP transport against `server`, one connection.
    func smtp(_ server: HostileSMTPServer) -> [String: String] {
        [
            "OVERSTAP_MAIL_TRANSPORT": "smtp", "OVERSTAP_SMTP_HOST": "127.0.0.1", "OVERSTAP_SMTP_PORT": String(server.port),
            "OVERSTAP_SMTP_TLS": "none", "OVERSTAP_SMTP_CONNECTIONS": "1",
            "OVERSTAP_RSVP_SECRET": String(repeating: "hostile-test-secret-", count: 3),
        ]
    }

    func outbox(_ state: String) throws -> [[String: Any]] {
        let result = try cli.run(["outbox", "list", "--json", "--state", state, "--kind", "invitation"])
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }

    func flagged() throws -> [String] {
        try cli.workers().filter { !($0["undeliverable_since"] is NSNull) }.compactMap { $0["email"] as? String }
    }

    func enrollmentStates() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try cli.showSession("1").enrollments.compactMap { row in
            (row["worker"] as? String).map { ($0, row["state"] as? String ?? "") }
        })
    }

    @Test func aRelayThatDeniesEveryoneByPolicyIsAServerFaultThatCostsNobodyTheirSeat() throws {
        var script = HostileSMTPServer.Script()
        script.recipient = { _ in "550 5.7.1 Relaying denied" }
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        let result = try cli.run(["outbox", "send"], env: smtp(server))
        expectRefused(result, status: 75, mentioning: ["refused recipients in 3 different domains by policy", "550 5.7.1 Relaying denied"], quietStdout: false)
        #expect(result.stderr.split(separator: "\n").count == 1, "one clear line for the operator: \(result.stderr)")
        #expect(try flagged().isEmpty)
        #expect(Set(try enrollmentStates().values) == ["invited"], "nobody lost a seat, nobody waiting was invited")
        #expect(try outbox("failed").isEmpty)
        #expect(try outbox("pending").count == 6)
    }

    @Test func onlyAMissingMailboxCostsASeatAndTheFlagIsClearedOnlyOnPurpose() throws {
        var script = HostileSMTPServer.Script()
        script.recipient = { address in
            switch address {
            case "p0@domain0.example": "550 5.1.1 <p0@domain0.example>: no such user"
            case "p1@domain1.example": "550 5.7.1 not from your network"
            case "p2@domain2.example": "554 5.4.4 unable to route"
            default: "250 2.1.5 ok"
            }
        }
        script.endOfData = { recipients in recipients == ["p3@domain3.example"] ? "554 5.6.0 message content rejected" : "250 2.0.0 queued" }
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        let result = try cli.run(["outbox", "send"], env: smtp(server))
        expectRefused(result, status: 1, mentioning: ["failed for good"], quietStdout: false)
        let states = try enrollmentStates()
        #expect(states["p0@domain0.example"] == "cancelled", "the seat of a missing mailbox is freed")
        #expect(["p1@domain1.example", "p2@domain2.example", "p3@domain3.example"].allSatisfy { states[$0] == "invited" })
        #expect(try flagged() == ["p0@domain0.example"])
        #expect(states.count == 7, "a waiting person got the freed seat")

        let list = try cli.run(["worker", "list"])
        #expect(list.stdout.contains("UNDELIVERABLE SINCE"))
        #expect(list.stdout.split(separator: "\n").first { $0.contains("p0@domain0.example") }?.contains("2027-01-10T09:00") == true)
        let show = try cli.run(["worker", "show", "p0@domain0.example"])
        #expect(show.stdout.contains("mail: undeliverable since 2027-01-10T09:00:00+01:00"))
        #expect(show.stdout.contains("overstap worker deliverable p0@domain0.example"))
        let shown = try #require(try cli.run(["worker", "show", "p0@domain0.example", "--json"]).json() as? [String: Any])
        #expect((shown["worker"] as? [String: Any])?["undeliverable_since"] as? String == "2027-01-10T09:00:00+01:00")

        var again = "email,name,sector,targets,region,languages,availability,status\n"
        again += "p0@domain0.example,Deelnemer 0,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("again.csv", again)]))
        #expect(try flagged() == ["p0@domain0.example"], "a weekly re-import must not clear the flag")

        let cleared = try cli.run(["worker", "deliverable", "p0@domain0.example"])
        expectSuccess(cleared)
        #expect(cleared.stdout.contains("p0@domain0.example is deliverable again"))
        #expect(try flagged().isEmpty)
        expectRefused(try cli.run(["worker", "deliverable"]), status: 2, mentioning: ["give either an e-mail address or --since TIME"])
        expectRefused(try cli.run(["worker", "deliverable", "--since", "gisteren"]), mentioning: ["--since: 'gisteren' is not a date and time"])
    }

    @Test func anIncidentIsUndoneWithDeliverableSince() throws {
        var script = HostileSMTPServer.Script()
        script.recipient = { _ in "550 5.1.1 no such user" }
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        _ = try cli.run(["outbox", "send"], env: smtp(server))
        #expect(try flagged().count == 8, "the six invited and the two waiting who got their seats")
        let undone = try cli.run(["worker", "deliverable", "--since", "2027-01-10 08:30"])
        expectSuccess(undone)
        #expect(undone.stdout.hasPrefix("cleared 8 workers flagged since 2027-01-10 08:30"))
        #expect(try flagged().isEmpty)
    }

    @Test func aRetryOfAnInvitationWhoseSeatWasFreedIsRefusedWithTheReason() throws {
        var script = HostileSMTPServer.Script()
        script.recipient = { $0 == "p0@domain0.example" ? "550 5.1.1 no such user" : "250 ok" }
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        _ = try cli.run(["outbox", "send"], env: smtp(server))
        let failed = try #require(try outbox("failed").first?["id"] as? Int)
        expectRefused(
            try cli.run(["outbox", "retry", String(failed)]),
            mentioning: ["outbox \(failed): is an invitation for an enrollment that is cancelled, so it would offer a seat that does not exist"])
        #expect(try outbox("failed").count == 1)
    }

    @Test func aGreetingThatNeverEndsFailsTheSendAtOnce() throws {
        var script = HostileSMTPServer.Script()
        script.endlessGreeting = true
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        let result = try cli.run(["outbox", "send"], env: smtp(server))
        expectRefused(result, status: 75, mentioning: ["did not end within 100 lines"], quietStdout: false)
        #expect(try outbox("pending").count == 6)
    }

    @Test func theDaemonStopsOnSIGTERMWhileAServerStreamsItsGreetingForever() throws {
        var script = HostileSMTPServer.Script()
        script.endlessGreeting = true
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        let port = try ServeCommandTests.freePort()
        let env = smtp(server).merging(["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1:\(port)"]) { $1 }
        let daemon = try cli.launch(["serve"], env: env, outputFile: "serve.log")
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(ServeCommandTests.waitUntil(seconds: 30) { server.connections > 0 }, "the dispatcher connects")
        Thread.sleep(forTimeInterval: 1)
        kill(daemon.processIdentifier, SIGTERM)
        #expect(ServeCommandTests.waitUntil(seconds: 15) { !daemon.isRunning }, "SIGTERM stops the daemon")
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0)
        #expect(server.bytesStreamed < 10_000_000, "the client stopped reading: \(server.bytesStreamed) bytes")
    }

    @Test func theDaemonBacksOffFromAServerThatRefusesEverySession() throws {
        var script = HostileSMTPServer.Script()
        script.greeting = "554 5.7.0 no service for you"
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        try placeSixAndQueueInvitations()
        let port = try ServeCommandTests.freePort()
        let env = smtp(server).merging(["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1:\(port)"]) { $1 }
        let daemon = try cli.launch(["serve"], env: env, outputFile: "serve.log")
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(ServeCommandTests.waitUntil(seconds: 30) { server.connections > 0 }, "the dispatcher connects")
        // Without back-off (and woken by its own writes) it tried about four times a second.
        Thread.sleep(forTimeInterval: 3)
        #expect(server.connections == 1, "\(server.connections) sessions in 3 s")
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
    }
}
