import Foundation
import OverstapTestSupport
import Testing

/// `overstap serve` as deployed: the built binary on a free port, fetched over real HTTP, changed
/// by a second CLI process, stopped with SIGTERM.
struct ServeCommandTests {
    let cli = CLI()

    /// A port nobody listens on right now.
    static func freePort() throws -> Int {
        let result = try CLI.shell("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return try #require(Int(result.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Headers and body of a GET, through curl.
    static func get(_ url: String, headers: [String] = []) throws -> (status: Int, etag: String?, body: String) {
        let output = try CLI.shell("curl", ["-s", "-i", "--max-time", "5"] + headers.flatMap { ["-H", $0] } + [url])
        let parts = output.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let etag = head.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("etag:") }.map { String($0.dropFirst(6)) }
        return (status, etag, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Answer links (without the preselected answer) in the quoted-printable text of the mails in `folder`.
    static func answerLinks(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") }.sorted().flatMap { name in
            let raw = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let text = raw.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
            return text.components(separatedBy: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"<>")))
                .filter { $0.contains("/rsvp/") && $0.hasPrefix("http") && $0.hasSuffix("?answer=decline") }
                .map { String($0.dropLast("?answer=decline".count)) }
        }
    }

    static func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    @Test func theDaemonServesFeedsSeesCLIChangesSendsMailAndStopsCleanly() throws {
        expectSuccess(try cli.run(["demo"]))
        let port = try Self.freePort()
        let base = "http://127.0.0.1:\(port)"
        let env = ["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": base]
        let added = try cli.run(["partner", "add", "--name", "Feed School", "--email", "feed@example.org"], env: env)
        expectSuccess(added)
        let feedURL = try #require(added.stdout.components(separatedBy: "\n").first { $0.hasPrefix("feed ") }?.components(separatedBy: ": ").last)
        #expect(added.stdout.contains("webcal://127.0.0.1:\(port)/feeds/partners/feed-school.ics?token="))

        let daemon = try cli.launch(["serve", "--demo"], env: env, outputFile: "serve.log")
        defer { if daemon.isRunning { daemon.terminate() } }
        let ready = Self.waitUntil(seconds: 30) {
            (try? String(contentsOfFile: cli.directory.file("serve.log"), encoding: .utf8))?.contains("listening on") == true
        }
        #expect(ready, "the daemon did not start")

        let region = try Self.get("\(base)/feeds/regions/midden-utrecht.ics")
        #expect(region.status == 200 && region.body.contains("BEGIN:VCALENDAR"))
        #expect(try Self.get(feedURL).status == 200)
        #expect(try Self.get(feedURL.replacingOccurrences(of: "token=", with: "token=x")).status == 404)

        expectSuccess(try cli.run(["session", "update", "1", "--title", "Van keuken naar zorg (nieuwe titel)"], env: env))
        let seen = try Self.waitUntil(seconds: 5) {
            let now = try Self.get("\(base)/feeds/regions/midden-utrecht.ics")
            return now.etag != region.etag && now.body.contains("nieuwe titel")
        }
        #expect(seen, "a change by another process reaches the running daemon")

        expectSuccess(try cli.run(["match", "--commit"], env: env))
        expectSuccess(try cli.run(["invite", "--session", "1"], env: env))
        let mailed = Self.waitUntil(seconds: 10) {
            ((try? FileManager.default.contentsOfDirectory(atPath: cli.directory.file("data/mail"))) ?? []).contains { $0.hasSuffix(".eml") }
        }
        #expect(mailed, "the dispatcher sends what the CLI queued")

        // Answer through the link in a mail the daemon sent: GET shows, POST records.
        let link = try #require(try Self.answerLinks(in: cli.directory.file("data/mail")).first, "an invitation carries an answer link")
        #expect(link.hasPrefix("\(base)/rsvp/"))
        let page = try Self.get(link)
        #expect(page.status == 200 && page.body.contains("Ik kan niet"))
        let answered = try CLI.shell("curl", ["-s", "-i", "-L", "--max-time", "5", "-d", "answer=decline", link])
        #expect(answered.hasPrefix("HTTP/1.1 303") && answered.contains("Jammer dat u niet kunt"))

        // The same page in a real browser, phone-sized, without JavaScript: another person's link.
        let second = try #require(try Self.answerLinks(in: cli.directory.file("data/mail")).first { $0 != link })
        let artifacts = Repository.root + "/.build/test-artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let script = Repository.root + "/Tests/OverstapTestSupport/browser_rsvp.py"
        let browser = try CLI.shellResult("python3", [script, second, artifacts + "/rsvp-declined.png"])
        #expect(browser.status == 0, "browser check failed: \(browser.output)")
        #expect(FileManager.default.fileExists(atPath: artifacts + "/rsvp-declined.png"))

        kill(daemon.processIdentifier, SIGTERM)
        let stopped = Self.waitUntil(seconds: 10) { !daemon.isRunning }
        #expect(stopped, "SIGTERM stops the daemon within 10 s")
        daemon.waitUntilExit()
        #expect(daemon.terminationReason == .exit && daemon.terminationStatus == 0)
    }

    @Test func withoutAnAnswerSecretTheDaemonRefusesToStartAndSaysHowToFixIt() throws {
        expectRefused(
            try cli.run(["serve"], env: ["OVERSTAP_HTTP_PORT": String(try Self.freePort()), "OVERSTAP_RSVP_SECRET": ""]),
            mentioning: ["rsvp.secret: is not set", "OVERSTAP_RSVP_SECRET", "serve --demo"])
        expectRefused(
            try cli.run(["serve"], env: ["OVERSTAP_RSVP_SECRET": "too-short"]), mentioning: ["rsvp.secret: is shorter than 32 characters"])
    }

    /// Starts `serve --demo` under `ulimit -n descriptors` and returns it once it listens (or exits).
    func serveWithDescriptorLimit(_ descriptors: Int, env: [String: String]) throws -> Process {
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/bin/sh")
        daemon.arguments = ["-c", "ulimit -n \(descriptors) && exec \"$0\" serve --demo > serve.log 2> serve.err", try CLI.executable().path]
        daemon.environment = cli.environment.merging(env) { _, new in new }
        daemon.currentDirectoryURL = URL(fileURLWithPath: cli.directory.path)
        try daemon.run()
        _ = Self.waitUntil(seconds: 30) {
            !daemon.isRunning || (try? String(contentsOfFile: cli.directory.file("serve.log"), encoding: .utf8))?.contains("listening on") == true
        }
        return daemon
    }

    /// User and system CPU time the process has used, in seconds.
    static func cpuSeconds(_ pid: Int32) throws -> Double {
        let fields = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8).split(separator: ")").last?.split(separator: " ") ?? []
        // utime and stime are fields 14 and 15 of stat; after the command's ")" they are the 12th and 13th.
        return Double((Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test func connectionsThatNeverFinishTheirHeadNeitherSpinTheDaemonNorLockOthersOut() throws {
        expectSuccess(try cli.run(["demo"]))
        let port = try Self.freePort()
        let env = ["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1:\(port)", "OVERSTAP_HTTP_HEAD_TIMEOUT": "PT2S"]
        let daemon = try serveWithDescriptorLimit(160, env: env)
        defer { if daemon.isRunning { daemon.terminate() } }
        #expect(daemon.isRunning, "serve started under ulimit -n 160")
        // 300 connections (the limit leaves room for 96) send half a head and then nothing for 8 s.
        let stall = Process()
        stall.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        stall.arguments = [
            "python3", "-c",
            """
            import socket, sys, time
            held = []
            for _ in range(300):
                s = socket.socket(); s.settimeout(1)
                try:
                    s.connect(("127.0.0.1", int(sys.argv[1]))); s.send(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n"); held.append(s)
                except OSError:
                    pass
            time.sleep(8)
            """, String(port),
        ]
        try stall.run()
        defer { if stall.isRunning { stall.terminate() } }
        Thread.sleep(forTimeInterval: 3)
        let before = try Self.cpuSeconds(daemon.processIdentifier)
        Thread.sleep(forTimeInterval: 2)
        let used = try Self.cpuSeconds(daemon.processIdentifier) - before
        #expect(used < 0.5, "the daemon used \(used) s of CPU in 2 s while the connections stalled")
        let health = try Self.get("http://127.0.0.1:\(port)/healthz")
        #expect(health.status == 200, "a well-behaved client is answered once stalled connections time out")
        stall.waitUntilExit()
    }

    @Test func serveRefusesADescriptorLimitTooLowToServeAndSaysHowToRaiseIt() throws {
        expectSuccess(try cli.run(["demo"]))
        let daemon = try serveWithDescriptorLimit(100, env: ["OVERSTAP_HTTP_PORT": String(try Self.freePort())])
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 1)
        let error = try String(contentsOfFile: cli.directory.file("serve.err"), encoding: .utf8)
        #expect(error.contains("descriptor limit (ulimit -n): is 100") && error.contains("LimitNOFILE"), "\(error)")
    }

    @Test func theTimeLimitsAreReadFromConfigListedByConfigCheckAndValidated() throws {
        let check = try cli.run(["config", "check"], env: ["OVERSTAP_HTTP_IDLE_TIMEOUT": "PT2M"])
        expectSuccess(check)
        #expect(check.stdout.contains("http.head_timeout") && check.stdout.contains("PT10S") && check.stdout.contains("PT2M"))
        expectRefused(
            try cli.run(["config", "check"], env: ["OVERSTAP_HTTP_HEAD_TIMEOUT": "10"]),
            mentioning: ["http.head_timeout: '10' is not a positive ISO 8601 duration", "PT10S"])
    }

    @Test func theDaemonClosesAConnectionWhoseHeadIsNotWholeInTime() throws {
        expectSuccess(try cli.run(["demo"]))
        let port = try Self.freePort()
        let env = ["OVERSTAP_HTTP_PORT": String(port), "OVERSTAP_HTTP_PUBLIC_URL": "http://127.0.0.1:\(port)", "OVERSTAP_HTTP_HEAD_TIMEOUT": "PT1S"]
        let daemon = try cli.launch(["serve", "--demo"], env: env, outputFile: "serve.log")
        defer { if daemon.isRunning { daemon.terminate() } }
        _ = Self.waitUntil(seconds: 30) {
            (try? String(contentsOfFile: cli.directory.file("serve.log"), encoding: .utf8))?.contains("listening on") == true
        }
        let probe = try CLI.shellResult(
            "python3",
            [
                "-c",
                """
                import socket, sys, time
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(10)
                s.send(b"GET /healthz HTTP/1.1\\r\\nHost: x\\r\\n")
                started = time.monotonic()
                print("closed" if s.recv(100) == b"" else "answered", round(time.monotonic() - started))
                """, String(port),
            ])
        #expect(probe.output.trimmingCharacters(in: .whitespacesAndNewlines) == "closed 1", "\(probe.output)")
    }
}
