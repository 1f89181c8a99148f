import Foundation
import OverstapCore
import OverstapStore

/// Seeds an example region so a new user has something to look at. Running it again adds nothing
/// and undoes nothing: workers are seeded only with the demo's sessions, so a person the user
/// removed stays removed, and the demo school's feed token is set only when the school is added.
struct DemoSeeder {
    let service: OverstapService
    /// The demo key (see `DemoSecret`), from which the demo school's feed token is derived.
    let demoKey: String

    /// The partner whose feed address the demo shows.
    static let demoSchool = "roc-midden-nederland"

    /// What the demo added this time.
    struct Summary: Sendable, Equatable {
        var partnersAdded: Int
        var sessionsAdded: Int
        var workersAdded: Int
    }

    static let workerCount = 300

    func seed() async throws -> Summary {
        let region = service.settings.organiserRegion
        let partners = [
            Partner(slug: "roc-midden-nederland", name: "ROC Midden Nederland", email: "planning@roc-demo.example.org", kind: .school, region: region),
            Partner(slug: "ggd-regio-utrecht", name: "GGD regio Utrecht", email: "opleidingen@ggd-demo.example.org", kind: .employer, region: region),
            Partner(slug: "techniekcollege", name: "Techniekcollege Utrecht", email: "rooster@techniek-demo.example.org", kind: .school, region: region),
            Partner(slug: "uwv-midden-utrecht", name: "UWV Midden-Utrecht", email: "werkgeversservicepunt@uwv-demo.example.org", kind: .uwv, region: region),
        ]
        let now = service.clock.now()
        let monday = try nextMonday(after: now)
        let domain = String(service.settings.organiserEmail.split(separator: "@").last ?? "example.org")
        let sessions = demoSessions(monday: monday, region: region, domain: domain)
        let workers = demoWorkers(region: region)
        return try await service.store.write { tx in
            var summary = Summary(partnersAdded: 0, sessionsAdded: 0, workersAdded: 0)
            for partner in partners where try await tx.partner(slug: partner.slug) == nil {
                try await tx.insert(partner, now: now)
                if partner.slug == Self.demoSchool {
                    try await tx.setFeedTokenHash(partner: partner.slug, hash: FeedToken.hash(demoFeedToken))
                }
                summary.partnersAdded += 1
            }
            let existingUIDs = try await Set(tx.sessions(SessionFilter()).map(\.session.uid))
            let firstRun = !sessions.contains { existingUIDs.contains($0.uid) }
            for session in sessions where !existingUIDs.contains(session.uid) {
                let span = try service.sessionRules.validate(session)
                _ = try await tx.insert(session, startsAt: span.start, endsAt: span.end, now: now)
                summary.sessionsAdded += 1
            }
            if firstRun { summary.workersAdded = try await tx.upsert(workers, now: now).inserted }
            return summary
        }
    }

    /// The demo school's feed token, the same on every run.
    var demoFeedToken: String { DemoSecret.feedToken(partner: Self.demoSchool, demoKey: demoKey) }

    private func nextMonday(after now: Date) throws -> LocalDate {
        let resolver = try ZoneResolver(identifier: service.settings.timezone, place: "timezone")
        let today = resolver.local(of: now).date
        return today.adding(days: 8 - today.isoWeekday)
    }

    private func demoSessions(monday: LocalDate, region: String, domain: String) -> [Session] {
        func at(_ dayOffset: Int, _ hour: Int, _ minute: Int = 0) -> LocalDateTime {
            LocalDateTime(date: monday.adding(days: dayOffset), hour: hour, minute: minute)
        }
        func session(
            _ number: Int, _ title: String, _ kind: SessionKind, partners: [String], sector: String, audience: [String],
            start: LocalDateTime, minutes: Int, capacity: Int, venue: Venue, language: String = "nl", repeatRule: String? = nil,
            description: String
        ) -> Session {
            Session(
                uid: "demo-\(number)@\(domain)", title: title, description: description, kind: kind, partners: partners,
                sector: sector, audience: audience, start: start, end: start.adding(minutes: minutes),
                timezone: service.settings.timezone, recurrence: repeatRule, capacity: capacity, venue: venue,
                region: region, language: language, updatedAt: service.clock.now())
        }
        let meet = URL(string: "https://meet.example.org/overstap-demo")!
        return [
            session(
                1, "Van keuken naar zorg", .webinar, partners: ["ggd-regio-utrecht", "roc-midden-nederland"], sector: "zorg",
                audience: ["horeca"], start: at(1, 19), minutes: 90, capacity: 40, venue: .online(meet),
                description: "Wat doet een helpende zorg en welzijn? Collega's uit de zorg vertellen, het ROC legt uit hoe u met behoud van inkomen kunt leren."),
            session(
                2, "Kennismaken met de techniek", .training, partners: ["techniekcollege"], sector: "techniek",
                audience: ["horeca", "detailhandel", "reizen"], start: at(12, 10), minutes: 180, capacity: 15,
                venue: .onSite("Techniekcollege, Vondellaan 178, 3521 GH Utrecht"),
                description: "Een ochtend zelf aan de slag in de werkplaats: installatietechniek, elektra en onderhoud."),
            session(
                3, "Aan de slag in de logistiek", .workshop, partners: ["uwv-midden-utrecht"], sector: "logistiek",
                audience: ["detailhandel"], start: at(10, 14), minutes: 120, capacity: 12,
                venue: .onSite("UWV, Daalsedijk 4, 3565 AB Utrecht"),
                description: "Werken in een distributiecentrum: functies, roosters en de opleiding tot orderpicker."),
            session(
                4, "Zorg in de praktijk", .training, partners: ["roc-midden-nederland"], sector: "zorg",
                audience: ["horeca", "cultuur"], start: at(16, 19), minutes: 120, capacity: 15,
                venue: .onSite("ROC Midden Nederland, Australiëlaan 25, 3526 AB Utrecht"), repeatRule: "FREQ=WEEKLY;COUNT=6",
                description: "Zes avonden om de basis van de zorg te leren, met een dag meelopen in een verpleeghuis."),
            session(
                5, "Working in education", .webinar, partners: ["roc-midden-nederland"], sector: "onderwijs",
                audience: ["reizen", "cultuur"], start: at(7, 19, 30), minutes: 60, capacity: 30, venue: .online(meet),
                language: "en", description: "How to become a teaching assistant or instructor in Dutch vocational education."),
            session(
                6, "Omscholen naar ICT: informatieavond", .webinar, partners: ["uwv-midden-utrecht", "roc-midden-nederland"],
                sector: "ict", audience: ["reizen", "detailhandel"], start: at(3, 20), minutes: 60, capacity: 50, venue: .online(meet),
                description: "Welke ICT-opleidingen passen bij u, wat kosten ze en wie betaalt mee?"),
        ]
    }

    private func demoWorkers(region: String) -> [Worker] {
        var random = SeededGenerator(seed: 2027)
        let firstNames = ["Anouk", "Mohamed", "Sanne", "Daan", "Fatima", "Joost", "Ewa", "Kees", "Priya", "Lotte", "Yusuf", "Marieke", "Tomasz", "Ilse", "Ricardo", "Noor"]
        let lastNames = ["de Vries", "Jansen", "El Amrani", "Bakker", "Visser", "Kowalski", "Smit", "Yılmaz", "van Dijk", "Mulder", "de Boer", "Öztürk", "Hendriks", "Dekker"]
        let fromSectors = ["horeca", "detailhandel", "reizen", "cultuur"]
        let toSectors = ["zorg", "techniek", "logistiek", "onderwijs", "ict"]
        let windows = ["ma 18:00-22:00", "di 18:00-22:00", "wo 18:00-22:00", "do 18:00-22:00", "do 09:00-17:00", "vr 09:00-17:00", "za 09:00-13:00", "di 09:00-17:00", "do 13:00-17:00"]
        let regions = [region, region, region, "amersfoort"]
        return (1...Self.workerCount).map { index in
            let number = String(index).leftPadded(to: 3)
            let targets = Array(toSectors.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
            var languages = random.next() % 10 < 9 ? ["nl"] : []
            if languages.isEmpty || random.next() % 3 == 0 { languages.append("en") }
            let availability = Array(windows.shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random)))
            return Worker(
                email: "deelnemer\(number)@demo.example.org",
                name: "\(firstNames.randomElement(using: &random)!) \(lastNames.randomElement(using: &random)!)",
                sector: fromSectors.randomElement(using: &random)!, targets: targets,
                region: regions.randomElement(using: &random)!, languages: languages,
                availability: availability.compactMap { WeeklyWindow.parse(Substring($0)) }, availableFrom: nil,
                availableUntil: nil, status: random.next() % 10 < 6 ? .unemployed : .atRisk,
                locale: languages.contains("nl") ? "nl" : "en")
        }
    }
}

extension OverstapService {
    /// What `overstap demo` did, and the demo school's feed address.
    public struct DemoResult: Sendable {
        public var partnersAdded: Int
        public var sessionsAdded: Int
        public var workersAdded: Int
        /// The demo school's slug.
        public var school: String
        /// Its feed address (https and webcal), nil when the user gave it a new token since.
        public var schoolFeed: (https: String, webcal: String)?
    }

    /// Seeds the demo region (the demo key comes from `DemoSecret`); returns what was added.
    public func seedDemo() async throws -> DemoResult {
        let seeder = DemoSeeder(service: self, demoKey: try DemoSecret.loadOrCreate(for: settings))
        let summary = try await seeder.seed()
        let stored = try await storedFeedTokenHash(slug: DemoSeeder.demoSchool)
        let feed = stored == FeedToken.hash(seeder.demoFeedToken)
            ? try partnerFeedURLs(slug: DemoSeeder.demoSchool, token: seeder.demoFeedToken) : nil
        return DemoResult(
            partnersAdded: summary.partnersAdded, sessionsAdded: summary.sessionsAdded, workersAdded: summary.workersAdded,
            school: DemoSeeder.demoSchool, schoolFeed: feed)
    }
}

/// SplitMix64: a small seeded generator so demo data and benchmarks are the same on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
