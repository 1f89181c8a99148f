import ArgumentParser
import Foundation
import OverstapCore
import OverstapService
import OverstapStore

extension OverstapBench {
    /// Times `plan demand` at scale: a year of sessions, most of them over, filled by matching
    /// when they were still ahead, and the people not placed in an upcoming one waiting.
    struct Demand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demand", abstract: "Store a seeded `plan demand` instance (unless it exists) and time `plan demand` on it.")
        @Option(help: "SQLite file; generated first when it does not exist.") var database: String
        @Option(help: "The repository's config file.") var config: String
        @Option(help: "Number of workers to generate.") var workers = 100_000
        @Option(help: "Number of sessions to generate.") var sessions = 5_000
        @Option(help: "Random seed.") var seed: UInt64 = 2027
        @Option(help: "Timed runs of each variant.") var runs = 5

        /// 2027-01-10 09:00 in Amsterdam: the instant `run-demand.sh` gives `OVERSTAP_NOW`.
        static let now = Date(timeIntervalSince1970: 1_799_568_000)
        /// 2026-02-01 09:00 in Amsterdam: matching ran then, so every session was still ahead.
        static let matchedAt = Date(timeIntervalSince1970: 1_769_932_800)

        func run() async throws {
            if !FileManager.default.fileExists(atPath: database) {
                let start = ContinuousClock.now
                try await generate()
                print("generated \(database) in \(Self.seconds(ContinuousClock.now - start))")
            }
            let service = try await service(at: Self.now)
            let variants: [(String, OverstapService.DemandOptions)] = [
                ("plan demand", OverstapService.DemandOptions()),
                ("plan demand --online", { var options = OverstapService.DemandOptions(); options.online = true; return options }()),
                ("plan demand --top 100 --min 1", { var options = OverstapService.DemandOptions(); options.top = 100; options.minimum = 1; return options }()),
            ]
            try await timeLoads(service)
            for (name, options) in variants {
                var times: [Duration] = []
                var report: DemandReport?
                for _ in 0..<runs {
                    let start = ContinuousClock.now
                    report = try await service.demand(options)
                    times.append(ContinuousClock.now - start)
                }
                guard let report else { continue }
                times.sort()
                print(
                    "\(name): median \(Self.seconds(times[times.count / 2])) (min \(Self.seconds(times[0])), max \(Self.seconds(times[times.count - 1]))); "
                        + "waiting \(report.waiting), placed \(report.placed), undeliverable \(report.undeliverable), "
                        + "available_until passed \(report.availableUntilPassed); \(report.groups.count) groups shown, "
                        + "\(report.beyondTop) beyond --top, \(report.belowMinimum) below --min; first: "
                        + (report.groups.first.map { "\($0.key.sector)/\($0.key.audience)/\($0.key.language)/\($0.key.region ?? "online") \($0.people)" } ?? "none"))
            }
        }

        /// How long `plan demand`'s reads take alone (median of `runs`): what the planning adds is the rest.
        private func timeLoads(_ service: OverstapService) async throws {
            var loads: [String: [Duration]] = [:]
            for _ in 0..<runs {
                try await service.store.read { tx in
                    var start = ContinuousClock.now
                    _ = try await tx.workers()
                    loads["workers", default: []].append(ContinuousClock.now - start)
                    start = ContinuousClock.now
                    _ = try await tx.allEnrollments()
                    loads["enrollments", default: []].append(ContinuousClock.now - start)
                    start = ContinuousClock.now
                    for stored in try await tx.sessions(SessionFilter()) { _ = try stored.meetingIntervals() }
                    loads["sessions", default: []].append(ContinuousClock.now - start)
                }
            }
            let medians = loads.keys.sorted().map { "\($0) \(Self.seconds(loads[$0]!.sorted()[runs / 2]))" }
            print("of which reading (medians): " + medians.joined(separator: ", "))
        }

        private func service(at instant: Date) async throws -> OverstapService {
            let mail = FileManager.default.temporaryDirectory.appendingPathComponent("demand-mail-\(UUID().uuidString)").path
            let loaded = try await ConfigLoader().load(
                configFile: config, overrides: ["database.url": "sqlite:\(database)", "mail.directory": mail], environment: [:])
            return try OverstapService.open(settings: loaded.settings, clock: .fixed(instant))
        }

        /// Workers as `match-data` makes them, with some addresses undeliverable and some dates
        /// over; sessions of 20 partners from March 2026 to March 2027; matching run on 1 February
        /// 2026, when every session was still ahead.
        private func generate() async throws {
            var random = SeededGenerator(seed: seed)
            let store = try SQLiteStore(path: database)
            let zone = ZoneResolver(zone: TimeZone(identifier: "Europe/Amsterdam")!)
            var people = (0..<workers).map { index -> Worker in
                let windows = (0..<Int.random(in: 2...3, using: &random)).map { _ -> WeeklyWindow in
                    let start = [9, 13, 18].randomElement(using: &random)!
                    return WeeklyWindow(weekday: Int.random(in: 1...7, using: &random), startMinute: start * 60, endMinute: (start + Int.random(in: 2...4, using: &random)) * 60)
                }
                let until = random.next() % 50 == 0 ? LocalDate(year: 2026, month: 12, day: 1).adding(days: Int.random(in: 0..<30, using: &random)) : nil
                return Worker(
                    email: "worker\(index)@bench.example.org", name: "Deelnemer \(index)",
                    sector: MatchData.fromSectors.randomElement(using: &random)!,
                    targets: Array(MatchData.sectors.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))),
                    region: MatchData.regions.randomElement(using: &random)!, languages: random.next() % 10 == 0 ? ["en"] : ["nl"],
                    availability: windows, availableFrom: nil, availableUntil: until,
                    status: random.next() % 10 < 6 ? .unemployed : .atRisk, locale: "nl")
            }
            for index in people.indices where random.next() % 100 == 0 {
                people[index].undeliverableSince = Self.matchedAt
            }
            let partners = (0..<20).map { Partner(slug: "partner-\($0)", name: "Partner \($0)", email: "p\($0)@example.org", kind: .school, region: nil) }
            let sessionCount = sessions
            try await store.write { tx in
                for partner in partners { try await tx.insert(partner, now: Self.matchedAt) }
                for index in 0..<sessionCount {
                    let start = LocalDateTime(
                        date: LocalDate(year: 2026, month: 3, day: 2).adding(days: Int.random(in: 0..<395, using: &random)),
                        hour: [9, 10, 13, 14, 18, 19].randomElement(using: &random)!, minute: 0)
                    let online = random.next() % 10 < 3
                    let session = Session(
                        uid: "demand-\(index)@example.org", title: "Sessie \(index)", description: "", kind: .webinar,
                        partners: [partners[Int.random(in: 0..<partners.count, using: &random)].slug],
                        sector: MatchData.sectors.randomElement(using: &random)!,
                        audience: [MatchData.fromSectors.randomElement(using: &random)!], start: start, end: start.adding(minutes: 120),
                        timezone: "Europe/Amsterdam", recurrence: nil, capacity: Int.random(in: 8...16, using: &random),
                        venue: online ? .online(URL(string: "https://meet.example.org/\(index)")!) : .onSite("Zaal \(index)"),
                        region: MatchData.regions.randomElement(using: &random)!, language: "nl", updatedAt: Self.matchedAt)
                    let startsAt = try zone.instant(of: start, place: "start")
                    _ = try await tx.insert(session, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(7200), now: Self.matchedAt)
                }
                _ = try await tx.upsert(people, now: Self.matchedAt)
            }
            let placed = try await service(at: Self.matchedAt).match(.init(), commit: true).outcome.assignments.count
            print("matching on 2026-02-01 placed \(placed)")
        }

        static func seconds(_ duration: Duration) -> String {
            String(format: "%.3f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
    }
}
