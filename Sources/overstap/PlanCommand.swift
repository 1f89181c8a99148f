import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap plan …`
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "See which sessions people wait for, and find times where they can come.",
        subcommands: [Demand.self, Suggest.self])
}

extension PlanCommand {
    struct Suggest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank start times (30-minute grid) by how many fitting, not yet placed workers could attend every meeting.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The partner who would run it; its busy times and sessions are skipped.") var partner: String
        @Option(help: ArgumentHelp("Group N of the last `plan demand`: its sector, audience, language and region.", valueName: "N"))
        var demand: Int?
        @Option(help: "The sector the session prepares for (required without --demand).") var sector: String?
        @Option(help: "Sectors it is tailored for, comma-separated.") var audience: String?
        @Option(help: "Length of each meeting, e.g. 90m.") var duration: String
        @Option(name: .customLong("repeat"), help: "Bounded RRULE for a series, e.g. FREQ=WEEKLY;COUNT=6.") var repeatRule: String?
        @Option(help: "Days to consider, FIRST..LAST, e.g. 2027-01-04..2027-01-22.") var between: String
        @Option(help: "Daily hours the whole meeting must fit in.") var hours = "09:00-21:00"
        @Option(help: "Language of the session (default: nl).") var language: String?
        @Option(help: "Region of an on-site session (default: organiser.region).") var region: String?
        @Flag(help: "An online session: workers from every region count.") var online = false
        @Option(help: "How many times to show.") var top = 5

        func validate() throws {
            if demand != nil {
                let given = [("--sector", sector != nil), ("--audience", audience != nil), ("--language", language != nil),
                             ("--region", region != nil), ("--online", online)].filter(\.1).map(\.0)
                if !given.isEmpty {
                    throw ValidationError(
                        "--demand takes the sector, audience, language and region of its group; leave out \(given.joined(separator: ", "))")
                }
            } else if sector == nil {
                throw ValidationError("missing --sector (or --demand N for group N of the last plan demand)")
            }
        }

        func run() async throws {
            let service = try await global.service()
            var options = OverstapService.SuggestOptions(partner: partner, sector: sector ?? "", duration: duration, between: between)
            options.audience = audience.map(SessionFields.list) ?? []
            options.repeatRule = repeatRule
            options.hours = hours
            options.language = language ?? "nl"
            options.region = region
            options.online = online
            options.top = top
            if let demand {
                let (key, listedAt) = try await service.demandGroup(number: demand)
                options.sector = key.sector
                options.audience = [key.audience]
                options.language = key.language
                options.region = key.region
                options.online = key.region == nil
                if !output.json {
                    let listed = try ZoneResolver(identifier: service.settings.timezone, place: "timezone").local(of: listedAt)
                    print("group \(demand) of plan demand (\(listed)): \(DemandText.title(key))\n")
                }
            }
            let suggestions = try await service.suggestSlots(options)
            var formatter = TimeFormatter()
            let zone = service.settings.timezone
            let views = suggestions.map { suggestion in
                SuggestionView(
                    start: formatter.rfc3339(suggestion.meetings[0].start, zone: zone),
                    end: formatter.rfc3339(suggestion.meetings[0].end, zone: zone), timezone: zone,
                    meetings: suggestion.meetings.count, available: suggestion.available, unemployed: suggestion.unemployed,
                    atRisk: suggestion.atRisk, tailored: suggestion.tailored)
            }
            if output.json { return try JSONOutput.print(views) }
            guard !views.isEmpty else {
                print("no free start time in \(between) between \(hours); widen --between or --hours")
                return
            }
            var table = TextTable(headers: ["START", "AVAILABLE", "UNEMPLOYED", "AT RISK", "TAILORED"])
            table.rows = views.map {
                [String($0.start.prefix(16)).replacingOccurrences(of: "T", with: " "), String($0.available), String($0.unemployed),
                 String($0.atRisk), String($0.tailored)]
            }
            print(table.render())
            print("\navailable = workers who fit sector, language and region, are not placed yet, and are free for every meeting")
        }
    }
}

/// One `plan suggest` line as `--json` prints it.
struct SuggestionView: Encodable {
    var start: String
    var end: String
    var timezone: String
    var meetings: Int
    var available: Int
    var unemployed: Int
    var atRisk: Int
    var tailored: Int

    enum CodingKeys: String, CodingKey {
        case start, end, timezone, meetings, available, unemployed, tailored
        case atRisk = "at_risk"
    }
}
