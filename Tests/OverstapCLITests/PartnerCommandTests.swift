import Foundation
import OverstapTestSupport
import Testing

struct PartnerCommandTests {
    let cli = CLI()

    @Test func anAddedPartnerIsListedAndShown() throws {
        let added = try cli.run([
            "partner", "add", "--name", "ROC Midden Nederland", "--email", "planning@roc.example.org", "--kind", "school",
            "--region", "midden-utrecht",
        ])
        expectSuccess(added)
        let lines = added.stdout.components(separatedBy: "\n")
        #expect(lines.first == "roc-midden-nederland", "the slug comes from the name")
        #expect(lines.contains { $0.hasPrefix("feed (give this to the partner; it is shown only now): http") && $0.contains("/feeds/partners/roc-midden-nederland.ics?token=") })

        let list = try cli.run(["partner", "list"])
        expectSuccess(list)
        #expect(list.stdout.contains("roc-midden-nederland"))
        #expect(list.stdout.contains("ROC Midden Nederland"))

        let json = try cli.run(["partner", "list", "--json"])
        expectSuccess(json)
        let partners = try #require(try json.json() as? [[String: Any]])
        #expect(partners.count == 1)
        #expect(partners.first?["slug"] as? String == "roc-midden-nederland")
        #expect(partners.first?["email"] as? String == "planning@roc.example.org")
        #expect(partners.first?["kind"] as? String == "school")
        #expect(partners.first?["region"] as? String == "midden-utrecht")

        let shown = try cli.run(["partner", "show", "roc-midden-nederland"])
        expectSuccess(shown)
        #expect(shown.stdout.contains("ROC Midden Nederland (roc-midden-nederland)"))
    }

    @Test func rotatingTheTokenClosesTheOldFeedAddress() throws {
        let added = try cli.run(["partner", "add", "--name", "ROC", "--email", "planning@roc.example.org", "--slug", "roc"])
        expectSuccess(added)
        let rotated = try cli.run(["partner", "rotate-token", "roc"])
        expectSuccess(rotated)
        let token = { (text: String) in text.components(separatedBy: "token=").dropFirst().first?.prefix(43) }
        #expect(token(rotated.stdout) != nil && token(rotated.stdout) != token(added.stdout))
        #expect(token(rotated.stdout)?.count == 43, "256 random bits in URL-safe base64")
        expectRefused(try cli.run(["partner", "rotate-token", "nobody"]), mentioning: ["no partner 'nobody'"])
    }

    @Test func showingAPartnerListsItsSessions() throws {
        try cli.addPartner("roc-midden")
        try cli.addPartner("techniekcollege")
        let id = try cli.createSession()
        let other = try cli.createSession(SessionDraft().with("--partner", "techniekcollege").with("--title", "Techniek"))

        let shown = try cli.run(["partner", "show", "roc-midden", "--json"])
        expectSuccess(shown)
        let object = try #require(try shown.json() as? [String: Any])
        let sessions = try #require(object["sessions"] as? [[String: Any]])
        #expect(sessions.compactMap { $0["id"] as? String } == [id])
        #expect(!sessions.contains { $0["id"] as? String == other })
        #expect((object["partner"] as? [String: Any])?["slug"] as? String == "roc-midden")
    }

    @Test func aDuplicateSlugIsRefused() throws {
        try cli.addPartner("roc-midden")
        let again = try cli.run(["partner", "add", "--name", "Ander ROC", "--email", "a@b.nl", "--slug", "roc-midden"])
        expectRefused(again, mentioning: ["--slug", "roc-midden", "already exists"])
        let partners = try #require(try cli.run(["partner", "list", "--json"]).json() as? [[String: Any]])
        #expect(partners.count == 1)
        #expect(partners.first?["name"] as? String == "Partner roc-midden")
    }

    @Test(arguments: ["planning", "planning@", "plan ning@roc.nl", "planning@roc"])
    func aBadEmailAddressIsRefused(email: String) throws {
        let result = try cli.run(["partner", "add", "--name", "ROC", "--email", email])
        expectRefused(result, mentioning: ["--email"])
        #expect((try cli.run(["partner", "list", "--json"]).json() as? [Any])?.isEmpty == true)
    }

    @Test func anUnknownRegionIsRefusedWithTheValidOnes() throws {
        let result = try cli.run(["partner", "add", "--name", "ROC", "--email", "a@roc.nl", "--region", "utrecht-stad"])
        expectRefused(result, mentioning: ["--region", "unknown region 'utrecht-stad'", "achterhoek", "midden-utrecht", "twente"])
    }

    @Test func anUnknownPartnerCannotBeShown() throws {
        let result = try cli.run(["partner", "show", "nobody"])
        expectRefused(result, mentioning: ["no partner 'nobody'", "overstap partner list"])
    }

    @Test func anUnknownKindIsAUsageError() throws {
        let result = try cli.run(["partner", "add", "--name", "ROC", "--email", "a@roc.nl", "--kind", "college"])
        expectRefused(result, status: 2, mentioning: ["--kind", "college"])
    }
}
