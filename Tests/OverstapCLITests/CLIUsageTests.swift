import Foundation
import OverstapTestSupport
import Testing

/// Usage errors and the configuration check, as an organiser meets them in a terminal.
struct CLIUsageTests {
    let cli = CLI()

    @Test func aMisspeltSubcommandIsAUsageErrorWithASuggestion() throws {
        let top = try cli.run(["sesion", "list"])
        expectRefused(top, status: 2, mentioning: ["'sesion' is not a command of overstap", "did you mean 'overstap session'?"])
        let nested = try cli.run(["session", "lst"])
        expectRefused(nested, status: 2, mentioning: ["'lst' is not a command of overstap session", "did you mean 'overstap session list'?"])
        let nothingClose = try cli.run(["vergadering"])
        expectRefused(nothingClose, status: 2, mentioning: ["'vergadering' is not a command of overstap", "partner, session, worker"])
        #expect(!nothingClose.stderr.contains("did you mean"))
    }

    @Test func missingRequiredSessionOptionsAreAUsageError() throws {
        try cli.addPartner()
        let result = try cli.run(SessionDraft().with("--title", nil).with("--capacity", nil).arguments)
        expectRefused(result, status: 2, mentioning: ["missing options: --title", "--capacity 20"])
        #expect(try cli.sessions().isEmpty)
    }

    @Test func configCheckFailsWhenTheCataloguesCannotBeFound() throws {
        let original = try String(contentsOfFile: Repository.configFile, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: cli.directory.file("elders"), withIntermediateDirectories: true)
        let path = try cli.directory.write("elders/overstap.yaml", original)
        let result = try cli.run(["config", "check", "--config", path])
        expectRefused(result, mentioning: ["catalogues.path", cli.directory.file("elders/sectors.yaml"), "cannot read the sector catalogue"], quietStdout: false)
        #expect(!result.stdout.contains("no unknown keys"))
    }

    @Test func configCheckShowsTheReturnPathInEffect() throws {
        let defaulted = try cli.run(["config", "check"])
        expectSuccess(defaulted)
        #expect(defaulted.stdout.split(separator: "\n").contains { $0.hasPrefix("mail.return_path") && $0.hasSuffix("mobiliteitsteam@example.org") })
        let set = try cli.run(["config", "check"], env: ["OVERSTAP_MAIL_RETURN_PATH": "bounces@example.org"])
        #expect(set.stdout.split(separator: "\n").contains { $0.hasPrefix("mail.return_path") && $0.hasSuffix("bounces@example.org") })
    }

    @Test func configCheckFlagsAMisspeltEnvironmentVariable() throws {
        let result = try cli.run(["config", "check"], env: ["OVERSTAP_DATABSE_URL": "sqlite:elders.sqlite", "OVERSTAP_SMTP_HOST": "mail.example.org"])
        expectRefused(result, mentioning: ["OVERSTAP_DATABSE_URL is not a setting", "did you mean OVERSTAP_DATABASE_URL?"], quietStdout: false)
        #expect(!result.stderr.contains("OVERSTAP_SMTP_HOST"), "a variable that sets a key is fine")
    }

    @Test func outboxListShowsNextAttemptsOnlyForWaitingMailAndTimesWithAnOffset() throws {
        try cli.addPartner()
        _ = try cli.createSession()
        let csv = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl") + "\n"
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)]))
        expectSuccess(try cli.run(["match", "--commit"]))
        expectSuccess(try cli.run(["invite"]))
        let env = ["OVERSTAP_RSVP_SECRET": String(repeating: "s", count: 40)]
        let sent = try cli.run(["outbox", "send"], env: env)
        #expect(sent.status == 0, "\(sent)")
        let json = try cli.run(["outbox", "list", "--json"])
        expectSuccess(json)
        let rows = try #require(try json.json() as? [[String: Any]])
        let invitation = try #require(rows.first { $0["kind"] as? String == "invitation" })
        #expect(invitation["state"] as? String == "sent")
        #expect(invitation["next_attempt"] == nil, "a sent message is not tried again")
        #expect((invitation["sent_at"] as? String)?.hasSuffix("+01:00") == true)
        let reminder = try #require(rows.first { $0["kind"] as? String == "reminder" })
        #expect(reminder["state"] as? String == "pending")
        #expect((reminder["next_attempt"] as? String)?.hasSuffix("+01:00") == true)
        let table = try cli.run(["outbox", "list"])
        expectSuccess(table)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("invitation") && $0.contains(" sent ") && $0.contains(" - ") })
        #expect(lines.contains { $0.contains("reminder") && $0.contains("2027-02-01 19:00+01:00") })
    }
}
