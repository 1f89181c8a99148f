import ArgumentParser
import Foundation
import OverstapCore
import OverstapService
import OverstapStore

/// Seeded input generators for the benchmark scripts: the same seed gives the same bytes.
@main
struct OverstapBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overstap-bench", abstract: "Generate benchmark inputs for Overstap.",
        subcommands: [WorkersCSV.self, Sessions.self, Calendar.self, MatchData.self, Refill.self, StoreTransactions.self, SQLiteLayers.self, Report.self, Demand.self])
}

extension OverstapBench {
    /// Writes a worker CSV in the import format.
    struct WorkersCSV: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "workers-csv", abstract: "Write a worker CSV.")
        @Option(help: "Number of rows.") var count = 100_000
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Argument(help: "Output file.") var output: String

        func run() throws {
            var random = SeededGenerator(seed: seed)
            let sectors = ["horeca", "detailhandel", "reizen", "cultuur", "logistiek"]
            let targets = ["zorg", "techniek", "logistiek", "onderwijs", "ict", "bouw"]
            let regions = ["midden-utrecht", "amersfoort", "rijnmond", "twente", "groot-amsterdam", "haaglanden"]
            let days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
            var text = "email;name;sector;targets;region;languages;availability;available_from;available_until;status;locale\n"
            text.reserveCapacity(count * 140)
            for index in 0..<count {
                let targetList = targets.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))
                let windows = (0..<Int.random(in: 1...3, using: &random)).map { _ -> String in
                    let start = Int.random(in: 8...18, using: &random)
                    return "\(days.randomElement(using: &random)!) \(start):00-\(start + 3):00"
                }
                let status = random.next() % 10 < 6 ? "unemployed" : "at_risk"
                let languages = random.next() % 5 == 0 ? "nl|en" : "nl"
                text += "worker\(index)@bench.example.org;\"Deelnemer \(index), Test\";\(sectors.randomElement(using: &random)!);"
                text += "\(targetList.joined(separator: "|"));\(regions.randomElement(using: &random)!);\(languages);"
                text += "\(windows.joined(separator: "|"));2027-01-01;;\(status);nl\n"
            }
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        }
    }

    /// Fills a database with partners and sessions in one transaction.
    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Store generated sessions.")
        @Option(help: "Number of sessions.") var count = 10_000
        @Option(help: "Random seed.") var seed: UInt64 = 42
        @Option(help: "SQLite file.") var database: String

        func run() async throws {
            var random = SeededGenerator(seed: seed)
            let store = try SQLiteStore(path: database)
            let now = Date(timeIntervalSince1970: 1_799_568_000)
            let zone = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)
            let sectors = ["zorg", "techniek", "logistiek", "onderwijs", "ict", "bouw"]
            let regions = ["midden-utrecht", "amersfoort", "rijnmond", "twente", "groot-amsterdam", "haaglanden"]
            try await store.write { tx in
                for index in 0..<20 {
                    try await tx.insert(
                        Partner(slug: "partner-\(index)", name: "Partner \(index)", email: "p\(index)@example.org", kind: .school, region: nil),
                        now: now)
                }
                for index in 0..<count {
                    let start = LocalDateTime(
                        date: LocalDate(year: 2027, month: 1, day: 11).adding(days: Int.random(in: 0..<300, using: &random)),
                        hour: Int.random(in: 9...19, using: &random), minute: 0)
                    let session = Session(
                        uid: "bench-\(index)@example.org", title: "Sessie \(index)", description: "Omschrijving \(index)",
                        kind: .webinar, partners: ["partner-\(index % 20)"], sector: sectors.randomElement(using: &random)!,
                        audience: ["horeca"], start: start, end: start.adding(minutes: 90), timezone: "Europe/Amsterdam",
                        recurrence: nil, capacity: 20, venue: .onSite("Utrecht"), region: regions.randomElement(using: &random)!,
                        language: "nl", updatedAt: now)
                    let startsAt = try zone.instant(of: start, place: "start")
                    _ = try await tx.insert(session, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(5400), now: now)
                }
            }
        }
    }
}
