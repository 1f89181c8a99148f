/// A generated labour-market region whose demand groups are known, for `plan demand` tests: a
/// large group sharing Tuesday evening, a smaller one split over two windows, a group an open
/// session covers, people left out (placed, undeliverable, past their `available_until`) and
/// seeded noise in groups too small to show.
public struct DemandRegion: Sendable {
    /// What a person is there for.
    public enum Role: Sendable, Equatable {
        /// zorg for horeca in midden-utrecht: 45 people, 38 free on Tuesday 19:00–21:00.
        case large
        /// Like `large`, but placed in an upcoming Thursday session (they also have do 14:00-16:00).
        case placed
        /// Like `large`, but a mail server refused their address.
        case undeliverable
        /// Like `large`, but their `available_until` is 2027-01-05.
        case availableUntilPassed
        /// logistiek for detailhandel: 14 people, 8 on Wednesday morning and 6 on Thursday afternoon.
        case split
        /// techniek for reizen: 12 people, 10 on Monday morning, which an open session covers; two
        /// of them also want logistiek.
        case covered
        /// zorg for cultuur: 9 people, 5 of them free on Tuesday 19:00–21:00.
        case otherAudience
        /// zorg for horeca in rijnmond: 6 people on Tuesday 19:00–21:00.
        case otherRegion
        /// Random people in groups of 1 to 9.
        case noise
    }

    /// One person as a CSV row gives them.
    public struct Person: Sendable {
        public var email: String
        public var sector: String
        public var targets: [String]
        public var region: String
        public var availability: String
        public var status: String
        public var availableUntil: String?
        public var role: Role
    }

    public private(set) var people: [Person] = []
    /// How many groups the noise makes (each smaller than 10).
    public private(set) var noiseGroups = 0

    /// Every group below 10 people when regions are told apart: the noise, zorg for cultuur,
    /// zorg for horeca in rijnmond and logistiek for reizen (the two who also want logistiek).
    public var smallGroups: Int { noiseGroups + 3 }

    /// Generates the region; only the noise depends on `random`.
    public init(using random: inout some RandomNumberGenerator) {
        func add(_ count: Int, _ role: Role, sector: String, targets: [String], region: String = "midden-utrecht",
                 availability: String, unemployed: Int, until: String? = nil) {
            for index in 0..<count {
                people.append(Person(
                    email: "\(role)-\(people.count)@example.org", sector: sector, targets: targets, region: region,
                    availability: availability, status: index < unemployed ? "unemployed" : "at_risk", availableUntil: until, role: role))
            }
        }
        // The large group: 30 unemployed and 15 at risk, the windows spread over the statuses.
        for (count, availability, unemployed) in [
            (20, "di 19:00-21:00", 14), (13, "di 18:00-22:00", 8), (5, "di 18:00-22:00|za 10:00-12:00", 3), (7, "do 09:00-12:00", 5),
        ] {
            add(count, .large, sector: "horeca", targets: ["zorg"], availability: availability, unemployed: unemployed)
        }
        add(4, .placed, sector: "horeca", targets: ["zorg"], availability: "di 19:00-21:00|do 14:00-16:00", unemployed: 4)
        add(3, .undeliverable, sector: "horeca", targets: ["zorg"], availability: "di 19:00-21:00", unemployed: 3)
        add(2, .availableUntilPassed, sector: "horeca", targets: ["zorg"], availability: "di 19:00-21:00", unemployed: 2, until: "2027-01-05")
        add(8, .split, sector: "detailhandel", targets: ["logistiek"], availability: "wo 09:00-12:00", unemployed: 3)
        add(6, .split, sector: "detailhandel", targets: ["logistiek"], availability: "do 13:00-16:00", unemployed: 3)
        add(8, .covered, sector: "reizen", targets: ["techniek"], availability: "ma 10:00-12:00", unemployed: 6)
        add(2, .covered, sector: "reizen", targets: ["techniek", "logistiek"], availability: "ma 10:00-12:00", unemployed: 0)
        add(2, .covered, sector: "reizen", targets: ["techniek"], availability: "vr 14:00-16:00", unemployed: 2)
        add(5, .otherAudience, sector: "cultuur", targets: ["zorg"], availability: "di 18:00-21:00", unemployed: 2)
        add(4, .otherAudience, sector: "cultuur", targets: ["zorg"], availability: "di 19:00-20:30", unemployed: 2)
        add(6, .otherRegion, sector: "horeca", targets: ["zorg"], region: "rijnmond", availability: "di 19:00-21:00", unemployed: 6)
        let days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
        for target in ["onderwijs", "ict", "bouw"] {
            for sector in ["groothandel", "cultuur"] {
                let count = Int(random.next() % 9) + 1
                for _ in 0..<count {
                    let hour = 8 + Int(random.next() % 12)
                    add(
                        1, .noise, sector: sector, targets: [target],
                        availability: "\(days[Int(random.next() % 7)]) \(hour):00-\(hour + 2):00", unemployed: Int(random.next() % 2))
                }
                noiseGroups += 1
            }
        }
    }

    /// The people in a role.
    public func people(_ role: Role) -> [Person] { people.filter { $0.role == role } }

    /// The region as a worker CSV.
    public var csv: String {
        var text = "email,name,sector,targets,region,languages,availability,available_until,status\n"
        for (index, person) in people.enumerated() {
            text += "\(person.email),Persoon \(index),\(person.sector),\(person.targets.joined(separator: "|")),\(person.region),nl,"
            text += "\(person.availability),\(person.availableUntil ?? ""),\(person.status)\n"
        }
        return text
    }
}
