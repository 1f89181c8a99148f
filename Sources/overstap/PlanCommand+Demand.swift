import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

extension PlanCommand {
    /// `overstap plan demand`
    struct Demand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which tailored sessions would help the most people still waiting, and who could give them.",
            discussion: """
                Groups the people not placed in an upcoming session (leaving out undeliverable addresses and \
                those whose available_until has passed) by target sector, the sector they come from, language \
                and region, most unemployed first, then at risk. The list is kept: `plan suggest --demand N` \
                plans group N.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only people of this region.") var region: String?
        @Flag(help: "For online sessions: one group across every region.") var online = false
        @Option(name: .customLong("min"), help: "Leave out groups with fewer people.") var minimum = 10
        @Option(help: "How many groups to show.") var top = 10

        func run() async throws {
            let service = try await global.service()
            var options = OverstapService.DemandOptions()
            options.region = region
            options.online = online
            options.minimum = minimum
            options.top = top
            let report = try await service.demand(options)
            let names = Dictionary(try await service.partners().map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
            let view = DemandView(
                report, options: options, names: names, now: service.clock.now(), timezone: service.settings.timezone)
            if output.json { return try JSONOutput.print(view) }
            print(DemandText.render(view), terminator: "")
        }
    }
}

/// `plan demand --json`.
struct DemandView: Encodable {
    struct LeftOut: Encodable {
        var undeliverable: Int
        var availableUntilPassed: Int

        enum CodingKeys: String, CodingKey {
            case undeliverable
            case availableUntilPassed = "available_until_passed"
        }
    }

    struct Window: Encodable {
        /// `di 19:00-21:00`.
        var window: String
        /// ISO weekday: Monday is 1.
        var weekday: Int
        var start: String
        var end: String
        var people: Int
    }

    struct Broader: Encodable {
        var people: Int
        var inBestWindow: Int?

        enum CodingKeys: String, CodingKey {
            case people
            case inBestWindow = "in_best_window"
        }

        /// Writes `in_best_window` as null when the group shares no window, so the key is always there.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(people, forKey: .people)
            try container.encode(inBestWindow, forKey: .inBestWindow)
        }
    }

    struct Partner: Encodable {
        var partner: String
        var name: String
        var sessions: Int
        var seatsTaken: Int
        var capacity: Int
        var fillPercent: Int

        enum CodingKeys: String, CodingKey {
            case partner, name, sessions, capacity
            case seatsTaken = "seats_taken", fillPercent = "fill_percent"
        }
    }

    struct Cover: Encodable {
        var session: String
        var title: String
        var start: String
        var timezone: String
        var freeSeats: Int
        var fitting: Int

        enum CodingKeys: String, CodingKey {
            case session, title, start, timezone, fitting
            case freeSeats = "free_seats"
        }
    }

    struct Group: Encodable {
        var number: Int
        var sector: String
        var audience: String
        var language: String
        var region: String?
        var people: Int
        var unemployed: Int
        var atRisk: Int
        var windows: [Window]
        var broader: Broader
        var partners: [Partner]
        var coveredBy: [Cover]

        enum CodingKeys: String, CodingKey {
            case number, sector, audience, language, region, people, unemployed, windows, broader, partners
            case atRisk = "at_risk", coveredBy = "covered_by"
        }

        /// Writes `region` as null for an online group, so the key is always there.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(number, forKey: .number)
            try container.encode(sector, forKey: .sector)
            try container.encode(audience, forKey: .audience)
            try container.encode(language, forKey: .language)
            try container.encode(region, forKey: .region)
            try container.encode(people, forKey: .people)
            try container.encode(unemployed, forKey: .unemployed)
            try container.encode(atRisk, forKey: .atRisk)
            try container.encode(windows, forKey: .windows)
            try container.encode(broader, forKey: .broader)
            try container.encode(partners, forKey: .partners)
            try container.encode(coveredBy, forKey: .coveredBy)
        }
    }

    var generatedAt: String
    var timezone: String
    var region: String?
    var online: Bool
    var min: Int
    var top: Int
    var waiting: Int
    var placed: Int
    var leftOut: LeftOut
    var groupsBelowMin: Int
    var groupsBeyondTop: Int
    var groups: [Group]

    enum CodingKeys: String, CodingKey {
        case timezone, region, online, min, top, waiting, placed, groups
        case generatedAt = "generated_at", leftOut = "left_out", groupsBelowMin = "groups_below_min"
        case groupsBeyondTop = "groups_beyond_top"
    }

    /// Writes `region` as null when every region counts, so the key is always there.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(timezone, forKey: .timezone)
        try container.encode(region, forKey: .region)
        try container.encode(online, forKey: .online)
        try container.encode(min, forKey: .min)
        try container.encode(top, forKey: .top)
        try container.encode(waiting, forKey: .waiting)
        try container.encode(placed, forKey: .placed)
        try container.encode(leftOut, forKey: .leftOut)
        try container.encode(groupsBelowMin, forKey: .groupsBelowMin)
        try container.encode(groupsBeyondTop, forKey: .groupsBeyondTop)
        try container.encode(groups, forKey: .groups)
    }

    init(_ report: DemandReport, options: OverstapService.DemandOptions, names: [String: String], now: Date, timezone: String) {
        var formatter = TimeFormatter()
        generatedAt = formatter.rfc3339(now, zone: timezone)
        self.timezone = timezone
        region = options.region
        online = options.online
        min = options.minimum
        top = options.top
        waiting = report.waiting
        placed = report.placed
        leftOut = LeftOut(undeliverable: report.undeliverable, availableUntilPassed: report.availableUntilPassed)
        groupsBelowMin = report.belowMinimum
        groupsBeyondTop = report.beyondTop
        groups = report.groups.enumerated().map { index, group in
            Group(
                number: index + 1, sector: group.key.sector, audience: group.key.audience, language: group.key.language,
                region: group.key.region, people: group.people, unemployed: group.unemployed, atRisk: group.atRisk,
                windows: group.windows.map { shared in
                    let text = shared.window.description
                    let times = text.split(separator: " ")[1].split(separator: "-")
                    return Window(
                        window: text, weekday: shared.window.weekday, start: String(times[0]), end: String(times[1]), people: shared.people)
                },
                broader: Broader(people: group.broader.people, inBestWindow: group.broader.inBestWindow),
                partners: group.partners.map {
                    Partner(
                        partner: $0.slug, name: names[$0.slug] ?? $0.slug, sessions: $0.sessions, seatsTaken: $0.seatsTaken,
                        capacity: $0.capacity, fillPercent: $0.fillPercent)
                },
                coveredBy: group.coveredBy.map {
                    Cover(
                        session: String($0.sessionID), title: $0.title, start: formatter.rfc3339($0.start, zone: $0.timezone),
                        timezone: $0.timezone, freeSeats: $0.freeSeats, fitting: $0.fitting)
                })
        }
    }
}

/// `plan demand` as text an organiser reads at a glance.
enum DemandText {
    /// `zorg for horeca · nl · midden-utrecht`.
    static func title(_ key: DemandGroup.Key) -> String {
        "\(key.sector) for \(key.audience) · \(key.language) · \(key.region ?? "online (all regions)")"
    }

    static func render(_ view: DemandView) -> String {
        var text = ""
        let scope = view.online ? " (online: every region)" : view.region.map { " in \($0)" } ?? ""
        text += "\(view.waiting) \(plural(view.waiting, "person waits", "people wait")) for a session\(scope); "
        text += "\(view.placed) placed in an upcoming one; left out: \(view.leftOut.undeliverable) undeliverable, "
        text += "\(view.leftOut.availableUntilPassed) past their available_until\n"
        guard !view.groups.isEmpty else {
            if view.groupsBelowMin > 0 {
                text += "no group of \(view.min) or more; \(view.groupsBelowMin) smaller \(plural(view.groupsBelowMin, "group", "groups")): "
                text += "lower --min to see them\n"
            } else {
                text += "nobody to group\n"
            }
            return text
        }
        text += "groups of \(view.min) or more, most unemployed first, then at risk:\n"
        let indent = String(repeating: " ", count: "\(view.groups.count). ".count)
        for group in view.groups {
            let key = DemandGroup.Key(sector: group.sector, audience: group.audience, language: group.language, region: group.region)
            let number = "\(group.number). "
            text += "\n\(number)\(String(repeating: " ", count: indent.count - number.count))\(title(key)): "
            text += "\(group.people) people (\(group.unemployed) unemployed, \(group.atRisk) at risk)\n"
            let windows = group.windows.map { "\($0.window): \($0.people) of \(group.people)" }
            text += "\(indent)free:     " + (windows.isEmpty ? "no shared time of an hour or more" : windows.joined(separator: " · ")) + "\n"
            let area = "\(group.sector), \(group.language), \(group.region ?? "online")"
            if let best = group.windows.first, let inBest = group.broader.inBestWindow {
                text += "\(indent)broader:  \(inBest) of the \(group.broader.people) waiting for \(area) from any sector are free \(best.window)\n"
            } else {
                text += "\(indent)broader:  \(group.broader.people) waiting for \(area) from any sector\n"
            }
            let partners = group.partners.map {
                "\($0.partner) (\($0.sessions) \(plural($0.sessions, "session", "sessions")), \($0.fillPercent)% full)"
            }
            text += "\(indent)partners: " + (partners.isEmpty ? "none ran a session in \(group.sector) yet" : partners.joined(separator: " · ")) + "\n"
            for cover in group.coveredBy {
                text += "\(indent)covered:  \(cover.title) on \(cover.start.prefix(10)) has \(cover.freeSeats) free "
                text += "\(plural(cover.freeSeats, "seat", "seats")) for them (session \(cover.session), \(cover.fitting) of \(group.people) fit; "
                text += "overstap match --session \(cover.session))\n"
            }
        }
        text += "\n"
        var leftOut: [String] = []
        if view.groupsBelowMin > 0 { leftOut.append("\(view.groupsBelowMin) \(plural(view.groupsBelowMin, "group", "groups")) below --min \(view.min)") }
        if view.groupsBeyondTop > 0 { leftOut.append("\(view.groupsBeyondTop) more beyond --top \(view.top)") }
        if !leftOut.isEmpty { text += "not shown: " + leftOut.joined(separator: "; ") + "\n" }
        text += "people who want several sectors or speak several languages count in each of their groups\n"
        text += "plan group N: overstap plan suggest --demand N --partner SLUG --duration 2h --between FIRST..LAST\n"
        return text
    }

    private static func plural(_ count: Int, _ one: String, _ many: String) -> String { count == 1 ? one : many }
}
