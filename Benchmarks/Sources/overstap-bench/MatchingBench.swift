import ArgumentParser
import Foundation
import OverstapCore
import OverstapService
import OverstapStore

extension OverstapBench {
    /// Writes a database for `overstap match` at scale: workers, sessions and partners.
    struct MatchData: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "match-data", abstract: "Store a seeded matching instance.")
        @Option(help: "Number of workers.") var workers = 100_000
        @Option(help: "Number of sessions.") var sessions = 5_000
        @Option(help: "Random seed.") var seed: UInt64 = 2027
        @Option(help: "SQLite file.") var database: String

        static let sectors = ["zorg", "techniek", "logistiek", "onderwijs", "ict", "bouw"]
        static let fromSectors = ["horeca", "detailhandel", "reizen", "cultuur"]
        static let regions = [
            "achterhoek", "amersfoort", "drechtsteden", "drenthe", "flevoland", "food-valley", "friesland", "gooi-en-vechtstreek",
            "gorinchem", "groningen", "groot-amsterdam", "haaglanden", "helmond-de-peel", "holland-rijnland", "midden-brabant",
            "midden-gelderland", "midden-holland", "midden-limburg", "midden-utrecht", "noord-holland-noord", "noord-limburg",
            "noordoost-brabant", "regio-zwolle", "rijk-van-nijmegen", "rijnmond", "rivierenland",
            "stedendriehoek-en-noordwest-veluwe", "twente", "west-brabant", "zaanstreek-waterland", "zeeland",
            "zuid-holland-centraal", "zuid-kennemerland-en-ijmond", "zuid-limburg", "zuidoost-brabant",
        ]

        func run() async throws {
            var random = SeededGenerator(seed: seed)
            let store = try SQLiteStore(path: database)
            let now = Date(timeIntervalSince1970: 1_799_568_000)
            let zone = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)
            let people = (0..<workers).map { index -> Worker in
                let windows = (0..<Int.random(in: 2...3, using: &random)).map { _ -> WeeklyWindow in
                    let start = [9, 13, 18].randomElement(using: &random)!
                    return WeeklyWindow(weekday: Int.random(in: 1...7, using: &random), startMinute: start * 60, endMinute: (start + 4) * 60)
                }
                return Worker(
                    email: "worker\(index)@bench.example.org", name: "Deelnemer \(index)",
                    sector: Self.fromSectors.randomElement(using: &random)!,
                    targets: Array(Self.sectors.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))),
                    region: Self.regions.randomElement(using: &random)!, languages: random.next() % 10 == 0 ? ["en"] : ["nl"],
                    availability: windows, availableFrom: nil, availableUntil: nil,
                    status: random.next() % 10 < 6 ? .unemployed : .atRisk, locale: "nl")
            }
            try await store.write { tx in
                try await tx.insert(Partner(slug: "roc", name: "ROC", email: "roc@example.org", kind: .school, region: nil), now: now)
                for index in 0..<sessions {
                    let start = LocalDateTime(
                        date: LocalDate(year: 2027, month: 1, day: 11).adding(days: Int.random(in: 0..<56, using: &random)),
                        hour: [9, 10, 13, 14, 18, 19].randomElement(using: &random)!, minute: 0)
                    let online = random.next() % 10 < 3
                    let session = Session(
                        uid: "bench-\(index)@example.org", title: "Sessie \(index)", description: "", kind: .webinar,
                        partners: ["roc"], sector: Self.sectors.randomElement(using: &random)!,
                        audience: [Self.fromSectors.randomElement(using: &random)!], start: start, end: start.adding(minutes: 120),
                        timezone: "Europe/Amsterdam", recurrence: nil, capacity: Int.random(in: 8...16, using: &random),
                        venue: online ? .online(URL(string: "https://meet.example.org/\(index)")!) : .onSite("Zaal \(index)"),
                        region: Self.regions.randomElement(using: &random)!, language: "nl", updatedAt: now)
                    let startsAt = try zone.instant(of: start, place: "start")
                    _ = try await tx.insert(session, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(7200), now: now)
                }
                _ = try await tx.upsert(people, now: now)
            }
        }
    }
}
