import Foundation
import OverstapTestSupport
import Testing

/// `worker add`: one person who is not in the last export, checked like an import row.
struct WorkerAddTests {
    let cli = CLI()

    static let valid = [
        "worker", "add", "--email", "noor@example.nl", "--name", "Noor Yilmaz", "--sector", "horeca", "--targets", "zorg|techniek",
        "--region", "midden-utrecht", "--languages", "nl|tr", "--availability", "di 18:00-21:00|za 09:00-12:30", "--status", "werkloos",
    ]

    @Test func aPersonIsAddedAndListedLikeAnImportedOne() throws {
        let added = try cli.run(Self.valid + ["--available-from", "2027-02-01", "--locale", "en"])
        expectSuccess(added)
        #expect(added.stdout == "added Noor Yilmaz <noor@example.nl>; place them with: overstap enroll add noor@example.nl SESSION\n")
        let worker = try #require(try cli.workers().first)
        #expect(worker["targets"] as? [String] == ["zorg", "techniek"])
        #expect(worker["status"] as? String == "unemployed")
        #expect(worker["available_from"] as? String == "2027-02-01")
        #expect(worker["locale"] as? String == "en")
    }

    @Test func everyBadValueIsNamedByItsOption() throws {
        var arguments = Self.valid
        arguments[arguments.firstIndex(of: "di 18:00-21:00|za 09:00-12:30")!] = "di 21:00-18:00"
        arguments[arguments.firstIndex(of: "midden-utrecht")!] = "utrecht"
        arguments[arguments.firstIndex(of: "noor@example.nl")!] = "noor.example.nl"
        let refused = try cli.run(arguments + ["--available-from", "2027-02-30"])
        expectRefused(refused, mentioning: ["--email: ", "--region: ", "--availability: in 'di 21:00-18:00' the end 18:00 is before the start 21:00", "--available-from: '2027-02-30' is not a date"])
        #expect(try cli.workers().isEmpty)
    }

    @Test func aKnownAddressIsRefusedAndMissingOptionsAreAUsageError() throws {
        expectSuccess(try cli.run(Self.valid))
        var again = Self.valid
        again[again.firstIndex(of: "noor@example.nl")!] = "NOOR@example.nl"
        expectRefused(try cli.run(again), mentioning: ["--email: noor@example.nl is a worker already (Noor Yilmaz)", "overstap worker show noor@example.nl"])
        expectRefused(try cli.run(["worker", "add", "--email", "x@example.nl", "--name", "X"]), status: 2, mentioning: [
            "missing options: --sector, --targets, --region, --languages, --availability, --status",
        ])
    }
}

/// `match --explain` names the detail behind each rule, from the same code that refuses a placement.
struct MatchExplainDetailTests {
    let cli = CLI()

    @Test func theExplanationNamesTheWindowTheDateLimitAndTheOverlap() throws {
        try cli.addPartner()
        _ = try cli.createSession()
        _ = try cli.createSession(SessionDraft().with("--start", "2027-02-03 19:00").with("--title", "Woensdag"))
        _ = try cli.createSession(SessionDraft().with("--start", "2027-02-02 19:30").with("--title", "Later op dinsdag"))
        expectSuccess(try cli.run(WorkerAddTests.valid + ["--available-until", "2027-02-02"]))
        expectSuccess(try cli.run(["enroll", "add", "noor@example.nl", "1"]))
        let explained = try cli.run(["match", "--explain", "noor@example.nl", "--json"])
        expectSuccess(explained)
        let sessions = try #require((try explained.json() as? [String: Any])?["sessions"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: sessions.map { ($0["session"] as? String ?? "", $0) })
        #expect(byID["1"]?["rule"] as? String == "already_enrolled")
        #expect(byID["1"]?["detail"] as? String == "the worker's enrollment in this session is selected")
        #expect(byID["3"]?["rule"] as? String == "overlap")
        #expect(byID["3"]?["detail"] as? String == "overlaps session 1 'Van keuken naar zorg' at di 2027-02-02 19:00-20:30, where the worker is selected")
        #expect(byID["2"]?["rule"] as? String == "date_range")
        #expect(byID["2"]?["detail"] as? String == "the last meeting ends on 2027-02-03, after the worker's available_until 2027-02-02")
        let table = try cli.run(["match", "--explain", "noor@example.nl"])
        expectSuccess(table)
        #expect(table.stdout.contains("DETAIL"))
        #expect(table.stdout.contains("the last meeting ends on 2027-02-03, after the worker's available_until 2027-02-02"))
    }
}
