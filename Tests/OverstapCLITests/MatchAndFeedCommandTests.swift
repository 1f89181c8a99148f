import Foundation
import OverstapTestSupport
import Testing

struct MatchCommandTests {
    @Test func theDemoGivesAMeaningfulDeterministicProposal() throws {
        let cli = CLI()
        expectSuccess(try cli.run(["demo"]))
        let first = try cli.run(["match", "--json"])
        expectSuccess(first)
        let second = try cli.run(["match", "--json"])
        #expect(first.stdout == second.stdout)
        let json = try #require(try first.json() as? [String: Any])
        let assignments = try #require(json["assignments"] as? [[String: String]])
        let stats = try #require(json["stats"] as? [String: Any])
        #expect(assignments.count > 20)
        #expect(assignments.allSatisfy { $0["worker"]?.contains("@") == true && Int($0["session"] ?? "") != nil })
        #expect((stats["eligible_pairs"] as? Int ?? 0) >= assignments.count)
        #expect((stats["objective"] as? [Int])?.count == 5)
        #expect((json["unplaced"] as? [[String: String]])?.allSatisfy { $0["reason"] != nil } == true)
    }

    @Test func matchJSONIsByteForByteWhatJSONEncoderPrints() throws {
        let cli = CLI()
        expectSuccess(try cli.run(["demo"]))
        let proposal = try cli.run(["match", "--json"])
        expectSuccess(try cli.run(["match", "--commit"]))
        let nothingLeft = try cli.run(["match", "--json"])
        for printed in [proposal, nothingLeft] {
            expectSuccess(printed)
            let view = try PrintedMatch.decode(printed)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            #expect(String(decoding: try encoder.encode(view), as: UTF8.self) + "\n" == printed.stdout)
        }
        #expect(try PrintedMatch.decode(nothingLeft).assignments.isEmpty, "an empty list is printed as JSONEncoder prints it")
    }

    /// What `match --json` prints, read back.
    private struct PrintedMatch: Codable {
        enum Stat: Codable {
            case number(Int), flag(Bool), numbers([Int])

            init(from decoder: any Decoder) throws {
                let value = try decoder.singleValueContainer()
                if let flag = try? value.decode(Bool.self) {
                    self = .flag(flag)
                } else if let number = try? value.decode(Int.self) {
                    self = .number(number)
                } else {
                    self = .numbers(try value.decode([Int].self))
                }
            }

            func encode(to encoder: any Encoder) throws {
                var value = encoder.singleValueContainer()
                switch self {
                case .number(let number): try value.encode(number)
                case .flag(let flag): try value.encode(flag)
                case .numbers(let numbers): try value.encode(numbers)
                }
            }
        }

        var assignments: [[String: String]]
        var stats: [String: Stat]
        var unplaced: [[String: String]]

        static func decode(_ result: CLI.Result) throws -> PrintedMatch {
            try JSONDecoder().decode(PrintedMatch.self, from: Data(result.stdout.utf8))
        }
    }

    @Test func commitStoresSelectedEnrollmentsOnce() throws {
        let cli = CLI()
        expectSuccess(try cli.run(["demo"]))
        let committed = try cli.run(["match", "--commit"])
        expectSuccess(committed)
        #expect(committed.stdout.contains("stored as selected enrollments"))
        let shown = try cli.run(["session", "show", "1", "--json"])
        let enrollments = try #require((try shown.json() as? [String: Any])?["enrollments"] as? [[String: String]])
        #expect(!enrollments.isEmpty && enrollments.allSatisfy { $0["state"] == "selected" })
        let again = try #require(try cli.run(["match", "--json"]).json() as? [String: Any])
        let placedAgain = Set((again["assignments"] as? [[String: String]] ?? []).compactMap { $0["worker"] })
        #expect(placedAgain.isDisjoint(with: Set(enrollments.compactMap { $0["worker"] })))
    }

    @Test func explainNamesARuleForEverySession() throws {
        let cli = CLI()
        expectSuccess(try cli.run(["demo"]))
        let result = try cli.run(["match", "--explain", "deelnemer002@demo.example.org", "--json"])
        expectSuccess(result)
        let sessions = try #require((try result.json() as? [String: Any])?["sessions"] as? [[String: String]])
        #expect(sessions.count == 6)
        #expect(sessions.allSatisfy { ["assigned", "excluded", "tie", "outranked"].contains($0["outcome"] ?? "") })
        #expect(sessions.allSatisfy { $0["outcome"] != "excluded" || $0["rule"] != nil })
        expectRefused(try cli.run(["match", "--explain", "nobody@example.org"]), mentioning: ["no worker 'nobody@example.org'"])
        expectRefused(try cli.run(["match", "--region", "mars"]), mentioning: ["unknown region 'mars'"])
        expectRefused(try cli.run(["match", "--session", "99"]), mentioning: ["no session '99'"])
    }
}

struct FeedCommandTests {
    @Test func feedsAndSingleSessionsAreWrittenAsICalendar() throws {
        let cli = CLI()
        expectSuccess(try cli.run(["demo"]))
        let single = try cli.run(["session", "ics", "4"])
        expectSuccess(single)
        #expect(single.stdout.hasPrefix("BEGIN:VCALENDAR\r\n") && single.stdout.contains("METHOD:PUBLISH"))
        #expect(single.stdout.contains("RRULE:FREQ=WEEKLY;COUNT=6"))
        let output = cli.directory.file("roc.ics")
        expectSuccess(try cli.run(["feed", "--partner", "roc-midden-nederland", "--output", output]))
        let feed = try String(contentsOfFile: output, encoding: .utf8)
        #expect(feed.contains("X-WR-CALNAME:Overstap – ROC Midden Nederland") && feed.components(separatedBy: "BEGIN:VEVENT").count == 5)
        let region = try cli.run(["feed", "--region", "midden-utrecht"])
        expectSuccess(region)
        #expect(!region.stdout.contains("demo.example.org") && !region.stdout.contains("ATTENDEE"))
        expectRefused(try cli.run(["feed", "--partner", "nope"]), mentioning: ["no partner 'nope'"])
        expectRefused(try cli.run(["feed"]), status: 2, mentioning: ["--partner"])
        expectRefused(try cli.run(["session", "ics", "99"]), mentioning: ["no session '99'"])
    }
}
