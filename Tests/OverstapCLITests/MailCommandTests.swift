import Foundation
import OverstapTestSupport
import TestRandom
import Testing

/// `invite` and `outbox …` end to end: the built binary, a real SQLite file, and for SMTP a real
/// aiosmtpd server.
struct MailCommandTests {
    let cli = CLI()

    /// Adds a partner, one online Tuesday-evening session with room for everyone, `count` workers
    /// (the first with a name full of non-ASCII and header specials), places them and queues invitations.
    func queueInvitations(_ count: Int, hold: Bool = false) throws {
        try cli.addPartner()
        _ = try cli.createSession(SessionDraft().with("--capacity", String(count)))
        var csv = "email,name,sector,targets,region,languages,availability,status\n"
        csv += "p0@example.org,\"Çelik \"\"Öz\"\" <Türk>, 😀\",horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
        for index in 1..<count {
            csv += "p\(index)@example.org,Deelnemer \(index),horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
        }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        let invited = try cli.run(["invite"] + (hold ? ["--hold"] : []))
        expectSuccess(invited)
        #expect(invited.stdout.hasPrefix("queued \(count) invitation"))
    }

    /// Outbox rows as `outbox list --json` prints them; invitations only unless told otherwise.
    func outbox(_ state: String? = nil, kind: String? = "invitation") throws -> [[String: Any]] {
        let result = try cli.run(["outbox", "list", "--json"] + (state.map { ["--state", $0] } ?? []) + (kind.map { ["--kind", $0] } ?? []))
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }

    /// Environment for the SMTP transport against `server`.
    func smtp(_ server: SMTPTestServer, tls: String = "none", password: String? = nil) -> [String: String] {
        var env = [
            "OVERSTAP_MAIL_TRANSPORT": "smtp", "OVERSTAP_SMTP_HOST": "localhost", "OVERSTAP_SMTP_PORT": String(server.port),
            "OVERSTAP_SMTP_TLS": tls, "OVERSTAP_SMTP_CA_FILE": server.certificateFile, "OVERSTAP_OUTBOX_RETRY_FIRST": "PT1S",
        ]
        if let password {
            env["OVERSTAP_SMTP_USERNAME"] = "team"
            env["OVERSTAP_SMTP_PASSWORD"] = password
        }
        return env
    }

    static func messageID(_ data: [UInt8]) -> String? {
        String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
            .first { $0.hasPrefix("Message-ID: <") }.map { String($0.dropFirst("Message-ID: <".count).dropLast()) }
    }

    @Test func invitationsLandAsFilesByDefaultAndCanBeReadBeforeTheyGo() throws {
        try queueInvitations(3, hold: true)
        let held = try outbox("held")
        #expect(held.count == 3 && held.allSatisfy { $0["kind"] as? String == "invitation" })
        let id = try #require(held.first?["id"] as? Int)
        let shown = try cli.run(["outbox", "show", String(id)])
        expectSuccess(shown)
        #expect(shown.stdout.contains("Subject: Uitnodiging: Van keuken naar zorg op 2 februari 2027"))
        #expect(shown.stdout.contains("Wanneer: dinsdag 2 februari 2027, 19:00–20:30"))
        let raw = try cli.run(["outbox", "show", String(id), "--raw"])
        expectSuccess(raw)
        #expect(raw.stdout.contains("Content-Type: text/calendar; method=REQUEST; charset=UTF-8"))
        expectSuccess(try cli.run(["outbox", "send"]))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: cli.directory.file("data/mail"))) ?? []).isEmpty)
        expectSuccess(try cli.run(["outbox", "release"]))
        let sent = try cli.run(["outbox", "send"])
        expectSuccess(sent)
        #expect(sent.stdout == "sent 3, deferred 0, failed 0\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.directory.file("data/mail")).filter { $0.hasSuffix(".eml") }
        #expect(files.count == 3)
        let parsed = try PythonMIMEParser.parse(file: cli.directory.file("data/mail/" + files[0]))
        #expect((parsed["structure"] as? [String: Any])?["type"] as? String == "multipart/mixed")
        expectRefused(try cli.run(["outbox", "retry", String(id)]), mentioning: ["only failed messages can be retried"])
        expectRefused(try cli.run(["outbox", "show", "999"]), mentioning: ["no outbox message '999'"])
        expectRefused(try cli.run(["outbox", "release", "999"]), mentioning: ["outbox 999: is not a held message"])
        expectRefused(try cli.run(["outbox", "release", "--session", "1", "2"]), status: 2, mentioning: ["give either --session or message ids"])
    }

    @Test func invitationsArriveThroughSTARTTLSAndAuthAsOneSafeMessageEach() throws {
        let server = try SMTPTestServer(["--tls", "starttls", "--auth", "team:geheim"])
        defer { server.stop() }
        try queueInvitations(5)
        let sent = try cli.run(["outbox", "send"], env: smtp(server, tls: "starttls", password: "geheim"))
        expectSuccess(sent)
        let received = try server.receivedMessages()
        #expect(received.count == 5 && received.allSatisfy { $0.tls && $0.recipients.count == 1 })
        #expect(received.allSatisfy { $0.sender == "mobiliteitsteam@example.org" })
        let special = try #require(received.first { $0.recipients == ["p0@example.org"] })
        let file = try cli.directory.write("special.eml", bytes: special.data)
        let parsed = try PythonMIMEParser.parse(file: file)
        #expect((parsed["defects"] as? [String]) == [])
        #expect(parsed["to_name"] as? String == "Çelik \"Öz\" <Türk>, 😀")
        #expect(parsed["to_address"] as? String == "p0@example.org")
        let headers = (parsed["headers"] as? [[String]] ?? []).map { $0[0] }
        #expect(headers.filter { $0 == "To" }.count == 1)
        let parts = ((parsed["structure"] as? [String: Any])?["parts"] as? [[String: Any]]) ?? []
        let alternative = (parts.first?["parts"] as? [[String: Any]]) ?? []
        let calendar = try #require(alternative.first { $0["type"] as? String == "text/calendar" })
        let method = (calendar["params"] as? [String: String])?["method"]
        #expect(method == "REQUEST" && (calendar["content"] as? String)?.contains("METHOD:REQUEST\r\n") == true)
        #expect(parts.last?["filename"] as? String == "invite.ics")
        #expect(try outbox("sent").count == 5)
    }

    @Test func aWrongPasswordKeepsMailWaitingAndIsNeverPrinted() throws {
        let server = try SMTPTestServer(["--tls", "starttls", "--auth", "team:geheim"])
        defer { server.stop() }
        try queueInvitations(2)
        let result = try cli.run(["outbox", "send"], env: smtp(server, tls: "starttls", password: "fout-wachtwoord-42"))
        expectRefused(result, status: 75, mentioning: ["mail cannot be sent now", "535"], quietStdout: false)
        #expect(!result.stderr.contains("fout-wachtwoord-42") && !result.stdout.contains("fout-wachtwoord-42"))
        #expect(try outbox("pending").count == 2)
        #expect(try server.receivedMessages().isEmpty)
    }

    @Test func withTheServerDownMailWaitsAndGoesOutWhenItReturns() throws {
        let first = try SMTPTestServer(["--tls", "none"])
        let port = first.port
        first.stop()
        try queueInvitations(4)
        let down = try cli.run(["outbox", "send"], env: smtp(first))
        expectRefused(down, status: 75, mentioning: ["mail cannot be sent now"], quietStdout: false)
        #expect(try outbox("pending").count == 4)
        let back = try SMTPTestServer(["--tls", "none"], port: port)
        defer { back.stop() }
        expectSuccess(try cli.run(["outbox", "send"], env: smtp(back)))
        #expect(try back.receivedMessages().count == 4)
    }

    @Test func aRefusedRecipientFailsForGoodAndTheCommandSaysSo() throws {
        let server = try SMTPTestServer(["--tls", "none", "--reject-rcpt", "p1@example.org"])
        defer { server.stop() }
        try queueInvitations(3)
        let result = try cli.run(["outbox", "send"], env: smtp(server))
        expectRefused(result, mentioning: ["1 message(s) failed for good"], quietStdout: false)
        #expect(result.stdout == "sent 2, deferred 0, failed 1\n")
        let failed = try outbox("failed")
        #expect(failed.count == 1 && (failed.first?["last_error"] as? String)?.hasPrefix("550 5.1.1") == true)
        let enrollment = try cli.showSession("1").enrollments.first { $0["worker"] as? String == "p1@example.org" }
        #expect(enrollment?["state"] as? String == "cancelled")
    }

    @Test func killedFiveTimesWhileSendingAThousandNothingIsLostAndOnlyInFlightMailRepeats() throws {
        let server = try SMTPTestServer(["--tls", "none"])
        defer { server.stop() }
        try queueInvitations(1000)
        let ids = Set(try outbox("pending").compactMap { $0["message_id"] as? String })
        #expect(ids.count == 1000)
        var kills = 0
        // Seeded kill points, named in every failure, so a failing run can be repeated.
        var random = SeededRandom(seed: 5)
        for _ in 1...5 {
            let before = server.receivedCount()
            let run = try cli.launch(["outbox", "send"], env: smtp(server))
            // Kill at a random point once sending has started (or right away if it is slow to start).
            let deadline = Date().addingTimeInterval(10)
            let target = before + Int.random(in: 20...150, using: &random)
            while server.receivedCount() < target && run.isRunning && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
            if run.isRunning {
                kill(run.processIdentifier, SIGKILL)
                kills += 1
            }
            run.waitUntilExit()
        }
        expectSuccess(try cli.run(["outbox", "send"], env: smtp(server)))
        let arrived = try server.receivedMessages().compactMap { Self.messageID($0.data) }
        #expect(Set(arrived) == ids, "every message arrived (kill points from seed \(random.seed))")
        // A run claims 64 messages per connection (2) at a time and records one batch while it
        // sends the next: only those two batches can be sent and not yet recorded.
        #expect(arrived.count - ids.count <= kills * 2 * 128, "\(arrived.count - ids.count) repeats after \(kills) kills (seed \(random.seed))")
        #expect(kills >= 1, "seed \(random.seed)")
        #expect(try outbox("sent").count == 1000)
    }

    @Test func aRemovedPersonGetsACancellationAndThenIsFoundNowhereOnDisk() throws {
        try queueInvitations(3)
        expectSuccess(try cli.run(["outbox", "send"]))
        let mail = cli.directory.file("data/mail")
        func everywhere() throws -> [String] {
            let mailFiles = try FileManager.default.contentsOfDirectory(atPath: mail).map { mail + "/" + $0 }
            return mailFiles
        }
        #expect(try cli.database.holds("p1@example.org"))
        #expect(try everywhere().contains { WorkerCommandTests.file($0, contains: "p1@example.org") })
        expectSuccess(try cli.run(["worker", "remove", "p1@example.org"]))
        #expect(try !cli.database.holds("p1@example.org"), "the database still holds the address")
        #expect(try !cli.database.holds("Deelnemer 1"), "the database still holds the name")
        for file in try everywhere() {
            #expect(!WorkerCommandTests.file(file, contains: "p1@example.org"), "\(file) still holds the address")
            #expect(!WorkerCommandTests.file(file, contains: "Deelnemer 1"), "\(file) still holds the name")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mail).count == 2)
        #expect(try cli.showSession("1").session["seats_taken"] as? Int == 2)
    }
}
