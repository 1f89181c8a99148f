import Foundation
import OverstapTestSupport
import Testing

/// A new organiser's first hour: the demo script, its answer links in a live daemon and a phone
/// browser, running it again, the links' address, and the README's walkthrough as written.
struct NewcomerPathTests {
    let cli = CLI()

    /// A newcomer has no `rsvp.secret`; the daemon listens on a free port.
    func newcomerEnvironment(port: Int) throws -> [String: String] {
        ["OVERSTAP_RSVP_SECRET": "", "OVERSTAP_HTTP_PORT": String(port), "DEMO_BIN": try CLI.executable().path]
    }

    /// Starts `scripts/demo.sh` in the runner's folder (it ends by exec'ing `serve --demo`) and
    /// waits until the daemon listens; returns the process and what the script printed.
    func startDemo(_ env: [String: String], log: String) throws -> (process: Process, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Repository.root + "/scripts/demo.sh"]
        process.environment = cli.environment.merging(env) { _, new in new }
        process.currentDirectoryURL = URL(fileURLWithPath: cli.directory.path)
        try cli.directory.write(log, "")
        process.standardOutput = FileHandle(forWritingAtPath: cli.directory.file(log))
        process.standardError = process.standardOutput
        try process.run()
        let ready = ServeCommandTests.waitUntil(seconds: 60) {
            (try? String(contentsOfFile: cli.directory.file(log), encoding: .utf8))?.contains("listening on") == true
        }
        let output = try String(contentsOfFile: cli.directory.file(log), encoding: .utf8)
        #expect(ready, "the demo's daemon did not start:\n\(output)")
        return (process, output)
    }

    /// Waits (at most 30 s) until the daemon's health check reports no due message.
    func waitUntilNothingIsDue(port: Int) throws {
        for _ in 0..<150 {
            let health = try ServeCommandTests.get("http://127.0.0.1:\(port)/healthz")
            if health.body.contains("\"outbox_backlog\":0") { return }
            usleep(200_000)
        }
        Issue.record("the daemon still had due messages after 30 s")
    }

    func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// The ids of every outbox message, in any state.
    func outboxIDs(_ env: [String: String]) throws -> [Int] {
        let list = try cli.run(["outbox", "list", "--json"], env: env)
        expectSuccess(list)
        return try #require(try list.json() as? [[String: Any]]).compactMap { $0["id"] as? Int }
    }

    func mailFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: cli.directory.file("data/mail"))) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
    }

    /// The answer link (without `?answer=…`) in one quoted-printable .eml file.
    static func answerLink(inFile path: String) throws -> String? {
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "=\r\n", with: "")
            .replacingOccurrences(of: "=3D", with: "=")
        return text.components(separatedBy: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"<>")))
            .first { $0.hasPrefix("http") && $0.contains("/rsvp/") && $0.hasSuffix("?answer=decline") }
            .map { String($0.dropLast("?answer=decline".count)) }
    }

    /// The value after `prefix` on the first output line that starts with it.
    static func line(_ output: String, after prefix: String) -> String? {
        output.components(separatedBy: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    @Test func theDemoLinksWorkInItsDaemonOnAPhoneAndARepeatUndoesNothing() throws {
        let port = try ServeCommandTests.freePort()
        let env = try newcomerEnvironment(port: port)
        var (daemon, output) = try startDemo(env, log: "demo-1.log")
        defer { stop(daemon) }
        #expect(output.contains("demo: added 4 partners, 6 sessions, 300 workers"))
        #expect(output.contains("links use http://127.0.0.1:\(port)"))
        let sent = try #require(Self.line(output, after: "sent ").flatMap { Int($0.prefix { $0.isNumber }) }, "\(output)")
        #expect(sent > 0 && sent == mailFiles().count && output.contains("(this run's invitations, written to data/mail/)"))
        let key = try FileManager.default.attributesOfItem(atPath: cli.directory.file("data/demo-rsvp.secret"))
        #expect((key[.posixPermissions] as? Int) == 0o600)

        let feed = try #require(Self.line(output, after: "demo school feed (roc-midden-nederland): "), "\(output)")
        #expect(feed.hasPrefix("http://127.0.0.1:\(port)/feeds/partners/roc-midden-nederland.ics?token="))
        #expect(try ServeCommandTests.get(feed).status == 200)

        // An answer link from an .eml file that outbox send --demo wrote, in a phone-sized browser.
        let file = try #require(mailFiles().first)
        let link = try #require(try Self.answerLink(inFile: cli.directory.file("data/mail/" + file)))
        #expect(try ServeCommandTests.get(link).status == 200)
        let artifacts = Repository.root + "/.build/test-artifacts"
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let browser = try CLI.shellResult("python3", [
            Repository.root + "/Tests/OverstapTestSupport/browser_rsvp.py", link + "?answer=decline", artifacts + "/demo-decline.png",
            cli.directory.file("data/mail/" + file),
        ])
        #expect(browser.status == 0, "browser check failed: \(browser.output)")
        // The decline's cancellation and the waiting list's invitation leave before the daemon stops,
        // so a second run has nothing left over to send.
        try waitUntilNothingIsDue(port: port)
        stop(daemon)

        // The user removes someone the demo invited; running the demo again must not bring her back.
        let invited = try cli.run(["outbox", "list", "--kind", "invitation", "--json"])
        let someone = try #require((try invited.json() as? [[String: Any]])?.compactMap { $0["recipient"] as? String }.last)
        expectSuccess(try cli.run(["worker", "remove", someone], env: env))
        // Her seat went to the waiting list: that invitation may leave during the repeat.
        let queuedBefore = try outboxIDs(env)
        (daemon, output) = try startDemo(env, log: "demo-2.log")
        #expect(output.contains("demo: already in place; nothing added, nothing you changed was undone"))
        #expect(output.contains("the demo was seeded before: nothing placed, invited or sent again"))
        #expect(Self.line(output, after: "demo school feed (roc-midden-nederland): ") == feed)
        #expect(try ServeCommandTests.get(feed).status == 200, "the printed feed address keeps working")
        expectRefused(try cli.run(["worker", "show", someone], env: env), mentioning: ["no worker '\(someone)'"])
        #expect(try outboxIDs(env) == queuedBefore, "the repeat queues nothing")
        let toHer = try mailFiles().filter { name in
            try String(contentsOfFile: cli.directory.file("data/mail/" + name), encoding: .utf8).contains(someone)
        }
        #expect(toHer.isEmpty, "nothing of hers is kept or sent: \(toHer)")
    }

    /// The commands of the README's walkthrough and of "Day to day", which goes on from it: each
    /// section's first `sh` block, continuation lines joined, comments and blank lines left out.
    static func walkthrough() throws -> [String] {
        let readme = try String(contentsOfFile: Repository.root + "/README.md", encoding: .utf8)
        return try ["Walkthrough", "Day to day"].flatMap { title in
            let section = try #require(readme.components(separatedBy: "\n## \(title)\n").dropFirst().first)
            return commands(in: try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "\n```").first))
        }
    }

    private static func commands(in block: String) -> [String] {
        var commands: [String] = []
        var pending = ""
        for line in block.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
            if trimmed.hasSuffix("\\") {
                pending += String(trimmed.dropLast()) + " "
                continue
            }
            commands.append(pending + trimmed)
            pending = ""
        }
        return commands
    }

    @Test func theReadmeWalkthroughWorksAsWrittenAfterTheDemo() throws {
        let port = try ServeCommandTests.freePort()
        let env = try newcomerEnvironment(port: port)
        let (daemon, _) = try startDemo(env, log: "demo.log")
        defer { stop(daemon) }
        // The repository folder as start.sh leaves it: the binary in .build/debug, the examples in docs/.
        try FileManager.default.createDirectory(atPath: cli.directory.file(".build"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: cli.directory.file(".build/debug"), withDestinationPath: try CLI.executable().deletingLastPathComponent().path)
        try FileManager.default.createSymbolicLink(atPath: cli.directory.file("docs"), withDestinationPath: Repository.root + "/docs")

        let commands = try Self.walkthrough()
        #expect(commands.count > 30 && commands.first?.hasPrefix("export PATH=") == true)
        #expect(!commands.contains { $0.hasPrefix("overstap serve") }, "the walkthrough runs beside the daemon start.sh started")
        let expectations = [
            "overstap match --session 7 --session 8 --commit": "stored as selected enrollments",
            "overstap outbox list --state held": "invitation  held",
            "overstap outbox show \"$held\" --demo": "Ik kom: http://127.0.0.1:\(port)/rsvp/",
            "overstap feed --region midden-utrecht": "SUMMARY:Gaat niet door: Van winkel naar wijkzorg",
            "overstap session cancel 7": "session 7 cancelled",
            "overstap worker remove": "removed",
            "overstap enroll move": "session 9",
            "overstap session cancel 8 --meeting": "cancelled (sequence",
        ]
        // Each command runs in a shell of its own after the variables set so far, with their values
        // as the earlier commands left them (a user's terminal keeps them the same way).
        var prelude: [String] = []
        for command in commands {
            let variable = command.range(of: "^[a-z_]+=", options: .regularExpression).map { String(command[$0].dropLast()) }
            let script = (prelude + [command] + (variable.map { ["printf '%s' \"$\($0)\""] } ?? [])).joined(separator: "\n")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-e", "-c", script]
            process.environment = cli.environment.merging(env) { _, new in new }
            process.currentDirectoryURL = URL(fileURLWithPath: cli.directory.path)
            let out = try cli.directory.write(".walk-out", "")
            let err = try cli.directory.write(".walk-err", "")
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            try process.run()
            process.waitUntilExit()
            let stdout = try String(contentsOfFile: out, encoding: .utf8)
            let stderr = try String(contentsOfFile: err, encoding: .utf8)
            #expect(process.terminationStatus == 0 && stderr.isEmpty, "\(command)\nexit \(process.terminationStatus)\n\(stdout)\(stderr)")
            for (prefix, text) in expectations where command.hasPrefix(prefix) {
                #expect(stdout.replacingOccurrences(of: "\r\n ", with: "").contains(text), "\(command)\n\(stdout)")
            }
            if command.hasPrefix("export ") { prelude.append(command) }
            if let variable {
                #expect(!stdout.isEmpty, "\(command) set \(variable) to nothing")
                prelude.append("\(variable)='\(stdout)'")
            }
        }
    }

    @Test func outboxSendNeedsAnAnswerKeyOrTheDemoFlag() throws {
        let env = ["OVERSTAP_RSVP_SECRET": ""]
        expectSuccess(try cli.run(["demo"], env: env))
        expectSuccess(try cli.run(["match", "--commit"], env: env))
        expectSuccess(try cli.run(["invite", "--session", "1"], env: env))
        expectRefused(
            try cli.run(["outbox", "send"], env: env),
            mentioning: ["rsvp.secret: is not set, so answer links cannot be signed", "OVERSTAP_RSVP_SECRET", "overstap outbox send --demo"])
        #expect(mailFiles().isEmpty, "nothing left without its answer links")
        let sent = try cli.run(["outbox", "send", "--demo"], env: env)
        expectSuccess(sent)
        #expect(sent.stdout.hasPrefix("sent ") && !mailFiles().isEmpty)
        #expect(try ServeCommandTests.answerLinks(in: cli.directory.file("data/mail")).allSatisfy { $0.hasPrefix("http://127.0.0.1:8080/rsvp/") })
        for file in mailFiles() {
            #expect(try Self.answerLink(inFile: cli.directory.file("data/mail/" + file)) != nil, "\(file) carries its answer link")
        }
    }

    @Test func linksFollowTheListeningAddressAndAWildcardHostNeedsAPublicURL() throws {
        let port = try ServeCommandTests.freePort()
        let check = try cli.run(["config", "check"], env: ["OVERSTAP_HTTP_PORT": "18080"])
        expectSuccess(check)
        #expect(check.stdout.contains("http.public_url                   http://127.0.0.1:18080"))

        let daemon = try cli.launch(["serve"], env: ["OVERSTAP_HTTP_PORT": String(port)], outputFile: "serve.log")
        defer { if daemon.isRunning { daemon.terminate() } }
        let ready = ServeCommandTests.waitUntil(seconds: 30) {
            (try? String(contentsOfFile: cli.directory.file("serve.log"), encoding: .utf8))?.contains("listening on") == true
        }
        #expect(ready)
        let log = try String(contentsOfFile: cli.directory.file("serve.log"), encoding: .utf8)
        #expect(log.contains("listening on http://127.0.0.1:\(port) (links use http://127.0.0.1:\(port))"))
        expectRefused(
            try cli.run(["serve"], env: ["OVERSTAP_HTTP_PORT": String(port)]),
            mentioning: ["http.host/http.port 127.0.0.1:\(port): is already in use", "OVERSTAP_HTTP_PORT"])
        daemon.terminate()

        let wildcard = ["OVERSTAP_HTTP_HOST": "0.0.0.0", "OVERSTAP_HTTP_PORT": String(port)]
        for command in [["serve"], ["outbox", "send"], ["partner", "add", "--name", "Wild School", "--email", "w@example.org"]] {
            expectRefused(
                try cli.run(command, env: wildcard),
                mentioning: ["http.public_url: is not set, and http.host '0.0.0.0' listens on every address", "OVERSTAP_HTTP_PUBLIC_URL"])
        }
        expectRefused(try cli.run(["serve"], env: ["OVERSTAP_HTTP_HOST": "::"]), mentioning: ["http.public_url: is not set"])
        #expect(try cli.run(["config", "check"], env: wildcard).stdout.contains("(not set: required, since http.host listens on every address)"))
        let configured = try cli.run(["config", "check"], env: wildcard.merging(["OVERSTAP_HTTP_PUBLIC_URL": "https://overstap.example.org/"]) { $1 })
        #expect(configured.stdout.contains("http.public_url                   https://overstap.example.org\n"))
        #expect(try cli.run(["partner", "list"]).stdout.contains("Wild School") == false)
    }

    @Test func aMatchThatPlacesNobodySaysSo() throws {
        expectSuccess(try cli.run(["demo"]))
        #expect(try cli.run(["match", "--commit"]).stdout.contains("stored as selected enrollments"))
        let again = try cli.run(["match", "--commit"])
        expectSuccess(again)
        #expect(again.stdout.contains("placed nobody: nothing was stored"))
        #expect(again.stdout.contains("overstap match --explain EMAIL") && !again.stdout.contains("stored as selected"))
    }

    @Test func theRegionFeedShowsACancelledSessionAsCancelled() throws {
        expectSuccess(try cli.run(["demo"]))
        expectSuccess(try cli.run(["session", "cancel", "6", "--reason", "Te weinig aanmeldingen"]))
        let feed = try cli.run(["feed", "--region", "midden-utrecht"])
        expectSuccess(feed)
        let unfolded = feed.stdout.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:Gaat niet door: Omscholen naar ICT: informatieavond"))
        #expect(unfolded.contains("STATUS:CANCELLED") && unfolded.contains("Reden: Te weinig aanmeldingen"))
    }

    @Test func theInvitationAsksOnceAndOffersYourOwnCalendarThreeWays() throws {
        expectSuccess(try cli.run(["demo"]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite", "--session", "1", "--hold"]))
        let held = try cli.run(["outbox", "list", "--session", "1", "--kind", "invitation", "--json"])
        let id = try #require((try held.json() as? [[String: Any]])?.first?["id"] as? Int)
        let shown = try cli.run(["outbox", "show", String(id)])
        expectSuccess(shown)
        let text = shown.stdout
        #expect(text.components(separatedBy: "Laat ons weten of u komt").count == 2, "\(text)")
        #expect(text.contains("beide werken:\nIk kom: http://127.0.0.1:8080/rsvp/"))
        #expect(text.contains("- abonneren in uw agenda-app: webcal://127.0.0.1:8080/feeds/me/"))
        #expect(text.contains("- toevoegen aan Google Agenda: https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F127.0.0.1%3A8080%2Ffeeds%2Fme%2F"))
        #expect(text.contains("- of kopieer dit adres in uw agenda-app: http://127.0.0.1:8080/feeds/me/"))
        #expect(text.contains("in uw agenda (Accepteren of Weigeren)"), "both ways to answer are offered")

        let raw = try cli.run(["outbox", "show", String(id), "--raw"])
        let parsed = try PythonMIMEParser.parse(file: try cli.directory.write("invitation.eml", raw.stdout))
        let parts = ((parsed["structure"] as? [String: Any])?["parts"] as? [[String: Any]])?.first?["parts"] as? [[String: Any]] ?? []
        let html = try #require(parts.first { $0["type"] as? String == "text/html" }?["content"] as? String)
        let calendar = try #require(parts.first { $0["type"] as? String == "text/calendar" }?["content"] as? String)
        #expect(html.contains("Online, deelnemen via: <a href=\"https://meet.example.org/overstap-demo\">"))
        #expect(html.contains("<span style=\"word-break: break-all; font-family: monospace;\">http://127.0.0.1:8080/feeds/me/"))
        let description = calendar.replacingOccurrences(of: "\r\n ", with: "")
        #expect(description.contains("beide werken:\\nIk kom: http://127.0.0.1:8080/rsvp/"))
    }
}
