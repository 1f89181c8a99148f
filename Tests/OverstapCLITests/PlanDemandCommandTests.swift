import Foundation
import OverstapTestSupport
import TestRandom
import Testing

/// `plan demand` end to end on a generated region (see `DemandRegion`), and the chain to
/// `plan suggest --demand N`.
struct PlanDemandCommandTests {
    let cli = CLI()
    /// The clock while the earlier sessions were planned and filled.
    static let autumn = ["OVERSTAP_NOW": "2026-10-01T09:00:00+02:00"]
    static let suggestion = ["--partner", "roc-midden", "--duration", "90m", "--between", "2027-01-11..2027-01-22"]

    /// Partners ran zorg and logistiek sessions in November, filled by matching; the region is
    /// imported; four people are placed in a Thursday session; three addresses are undeliverable;
    /// an open techniek session on Monday morning waits for people (session 5).
    func prepare() throws -> DemandRegion {
        var random = SeededRandom(seed: 23)
        let region = DemandRegion(using: &random)
        try cli.addPartner("roc-midden")
        try cli.addPartner("transport-academie")
        let onSite = SessionDraft().with("--online", nil).with("--location", "Zaal 1").with("--region", "midden-utrecht")
        for (sector, partner, audience, start, capacity) in [
            ("zorg", "roc-midden", "horeca", "2026-11-03 19:00", "5"), ("zorg", "roc-midden", "horeca", "2026-11-10 19:00", "5"),
            ("logistiek", "transport-academie", "detailhandel", "2026-11-04 09:30", "10"),
        ] {
            let draft = onSite.with("--sector", sector).with("--partner", partner).with("--audience", audience).with("--start", start)
                .with("--capacity", capacity)
            expectSuccess(try cli.run(draft.arguments, env: Self.autumn))
        }
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("region.csv", region.csv)], env: Self.autumn))
        expectSuccess(try cli.run(["match", "--commit"], env: Self.autumn))
        let thursday = try cli.createSession(onSite.with("--start", "2027-01-21 14:00").with("--capacity", "4"))
        expectSuccess(try cli.run(["match", "--commit", "--session", thursday]))
        let techniek = onSite.with("--title", "Omscholen naar techniek").with("--sector", "techniek").with("--audience", "reizen")
            .with("--start", "2027-01-18 10:00").with("--capacity", "15")
        #expect(try cli.createSession(techniek) == "5")
        _ = try cli.createSession(techniek.with("--region", "rijnmond"))
        let undeliverable = region.people(.undeliverable).map { "'\($0.email)'" }.joined(separator: ",")
        // Only a mail server's refusal flags an address; the test sets the flag as that would.
        try DatabaseShell.execute(
            "UPDATE worker SET undeliverable_since = '2027-01-09 10:00:00.000' WHERE email IN (\(undeliverable));", in: cli.database)
        return region
    }

    @Test func anOrganiserReadsTheGroupsAtAGlance() throws {
        let region = try prepare()
        let result = try cli.run(["plan", "demand"])
        expectSuccess(result)
        let waiting = 45 + 14 + 12 + 9 + 6 + region.people(.noise).count
        #expect(result.stdout == """
            \(waiting) people wait for a session; 4 placed in an upcoming one; left out: 3 undeliverable, 2 past their available_until
            groups of 10 or more, most unemployed first, then at risk:

            1. zorg for horeca · nl · midden-utrecht: 45 people (30 unemployed, 15 at risk)
               free:     di 19:00-21:00: 38 of 45 · do 09:00-12:00: 7 of 45 · za 10:00-12:00: 5 of 45
               broader:  43 of the 54 waiting for zorg, nl, midden-utrecht from any sector are free di 19:00-21:00
               partners: roc-midden (2 sessions, 100% full)

            2. techniek for reizen · nl · midden-utrecht: 12 people (8 unemployed, 4 at risk)
               free:     ma 10:00-12:00: 10 of 12 · vr 14:00-16:00: 2 of 12
               broader:  10 of the 12 waiting for techniek, nl, midden-utrecht from any sector are free ma 10:00-12:00
               partners: none ran a session in techniek yet
               covered:  Omscholen naar techniek on 2027-01-18 has 15 free seats for them (session 5, 10 of 12 fit; overstap match --session 5)

            3. logistiek for detailhandel · nl · midden-utrecht: 14 people (6 unemployed, 8 at risk)
               free:     wo 09:00-12:00: 8 of 14 · do 13:00-16:00: 6 of 14
               broader:  8 of the 16 waiting for logistiek, nl, midden-utrecht from any sector are free wo 09:00-12:00
               partners: transport-academie (1 session, 80% full)

            not shown: \(region.smallGroups) groups below --min 10
            people who want several sectors or speak several languages count in each of their groups
            plan group N: overstap plan suggest --demand N --partner SLUG --duration 2h --between FIRST..LAST

            """)
    }

    @Test func jsonHasEveryFigureUnderStableKeys() throws {
        let region = try prepare()
        let result = try cli.run(["plan", "demand", "--json"])
        expectSuccess(result)
        let json = try #require(try result.json() as? [String: Any], "\(result)")
        #expect(allKeysAreSnakeCase(json))
        #expect(Set(json.keys) == [
            "generated_at", "timezone", "region", "online", "min", "top", "waiting", "placed", "left_out", "groups_below_min",
            "groups_beyond_top", "groups",
        ])
        #expect(json["generated_at"] as? String == "2027-01-10T09:00:00+01:00" && json["timezone"] as? String == "Europe/Amsterdam")
        #expect(json["region"] is NSNull && json["online"] as? Bool == false && json["min"] as? Int == 10 && json["top"] as? Int == 10)
        #expect(json["waiting"] as? Int == 86 + region.people(.noise).count && json["placed"] as? Int == 4)
        #expect(json["left_out"] as? [String: Int] == ["undeliverable": 3, "available_until_passed": 2])
        #expect(json["groups_below_min"] as? Int == region.smallGroups && json["groups_beyond_top"] as? Int == 0)
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.count == 3)
        let large = groups[0]
        #expect(Set(large.keys) == [
            "number", "sector", "audience", "language", "region", "people", "unemployed", "at_risk", "windows", "broader", "partners",
            "covered_by",
        ])
        #expect(large["number"] as? Int == 1 && large["sector"] as? String == "zorg" && large["audience"] as? String == "horeca")
        #expect(large["language"] as? String == "nl" && large["region"] as? String == "midden-utrecht")
        #expect(large["people"] as? Int == 45 && large["unemployed"] as? Int == 30 && large["at_risk"] as? Int == 15)
        let windows = try #require(large["windows"] as? [[String: Any]])
        #expect(windows.count == 3)
        #expect(windows[0]["window"] as? String == "di 19:00-21:00" && windows[0]["weekday"] as? Int == 2)
        #expect(windows[0]["start"] as? String == "19:00" && windows[0]["end"] as? String == "21:00" && windows[0]["people"] as? Int == 38)
        #expect(large["broader"] as? [String: Int] == ["people": 54, "in_best_window": 43])
        let partners = try #require(large["partners"] as? [[String: Any]])
        #expect(partners.count == 1)
        #expect(partners[0]["partner"] as? String == "roc-midden" && partners[0]["name"] as? String == "Partner roc-midden")
        #expect(partners[0]["sessions"] as? Int == 2 && partners[0]["seats_taken"] as? Int == 10)
        #expect(partners[0]["capacity"] as? Int == 10 && partners[0]["fill_percent"] as? Int == 100)
        #expect((large["covered_by"] as? [Any])?.isEmpty == true)
        let cover = try #require((groups[1]["covered_by"] as? [[String: Any]])?.first)
        #expect(cover["session"] as? String == "5" && cover["title"] as? String == "Omscholen naar techniek")
        #expect(cover["start"] as? String == "2027-01-18T10:00:00+01:00" && cover["timezone"] as? String == "Europe/Amsterdam")
        #expect(cover["free_seats"] as? Int == 15 && cover["fitting"] as? Int == 10)
        #expect(groups[2]["broader"] as? [String: Int] == ["people": 16, "in_best_window": 8])

        let online = try #require(try cli.run(["plan", "demand", "--online", "--json"]).json() as? [String: Any])
        let first = try #require((online["groups"] as? [[String: Any]])?.first)
        #expect(first["region"] is NSNull && first["people"] as? Int == 51 && online["online"] as? Bool == true)
        #expect((first["windows"] as? [[String: Any]])?.first?["people"] as? Int == 44)
        // The covering session is on site: it does not cover an online group.
        #expect(((online["groups"] as? [[String: Any]])?[1]["covered_by"] as? [Any])?.isEmpty == true)
    }

    @Test func suggestTakesGroupNOfTheLastDemand() throws {
        _ = try prepare()
        expectSuccess(try cli.run(["plan", "demand"]))
        let chained = try cli.run(["plan", "suggest", "--demand", "1"] + Self.suggestion + ["--json"])
        expectSuccess(chained)
        let spelled = try cli.run(
            ["plan", "suggest", "--sector", "zorg", "--audience", "horeca", "--language", "nl", "--region", "midden-utrecht"]
                + Self.suggestion + ["--json"])
        #expect(chained.stdout == spelled.stdout)
        let best = try #require((try chained.json() as? [[String: Any]])?.first)
        // 38 of the group and 9 from cultuur; the undeliverable and those past their dates do not count.
        #expect(best["start"] as? String == "2027-01-12T19:00:00+01:00" && best["available"] as? Int == 47)
        #expect(best["unemployed"] as? Int == 29 && best["at_risk"] as? Int == 18 && best["tailored"] as? Int == 38)
        let text = try cli.run(["plan", "suggest", "--demand", "3"] + Self.suggestion)
        expectSuccess(text)
        #expect(text.stdout.hasPrefix("group 3 of plan demand (2027-01-10 09:00): logistiek for detailhandel · nl · midden-utrecht\n"))

        // The list is the last one shown: an online list numbers online groups.
        expectSuccess(try cli.run(["plan", "demand", "--online", "--top", "2"]))
        let online = try cli.run(["plan", "suggest", "--demand", "1"] + Self.suggestion)
        #expect(online.stdout.hasPrefix("group 1 of plan demand (2027-01-10 09:00): zorg for horeca · nl · online (all regions)\n"))
        expectRefused(
            try cli.run(["plan", "suggest", "--demand", "3"] + Self.suggestion),
            mentioning: ["--demand 3: the last plan demand (2027-01-10 09:00) showed 2 groups", "pick a number from 1 to 2"])
    }

    @Test func demandAndSuggestRefuseWhatTheyCannotUse() throws {
        expectRefused(
            try cli.run(["plan", "suggest", "--demand", "1"] + Self.suggestion),
            mentioning: ["--demand 1", "run overstap plan demand first"])
        expectRefused(
            try cli.run(["plan", "suggest", "--demand", "1", "--sector", "zorg", "--online"] + Self.suggestion), status: 2,
            mentioning: ["--demand takes the sector, audience, language and region of its group", "leave out --sector, --online"])
        expectRefused(try cli.run(["plan", "suggest"] + Self.suggestion), status: 2, mentioning: ["missing --sector", "--demand N"])
        expectRefused(
            try cli.run(["plan", "demand", "--region", "mars", "--online", "--min", "0", "--top", "0"]),
            mentioning: ["--region: unknown region 'mars'", "--online: give either --region or --online", "--min: must be at least 1",
                         "--top: must be between 1 and 100"])
        let empty = try cli.run(["plan", "demand"])
        expectSuccess(empty)
        #expect(empty.stdout == """
            0 people wait for a session; 0 placed in an upcoming one; left out: 0 undeliverable, 0 past their available_until
            nobody to group

            """)
    }
}
