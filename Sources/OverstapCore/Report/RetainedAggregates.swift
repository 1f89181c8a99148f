/// People that retention erased, counted on the grid of the report's people tables (funnel,
/// sector flows, time to work): one row per combination, with how many people it holds.
public struct RetainedPeople: Sendable, Hashable {
    /// The first day of the month of their first session (never placed: of their first import).
    public var month: LocalDate
    /// Their region (the report's `--region`).
    public var region: String
    /// The sector they came from.
    public var sector: String
    /// The last funnel step they reached: 0 imported … 6 found work (`OutcomeReport.Stage` order).
    public var reached: Int
    /// Found work: the sector of that work, or `OutcomeReport.unrecordedSector`; else nil.
    public var workSector: String?
    /// Found work in the sector of a session they attended.
    public var inSessionSector: Bool
    /// Found work: whole days from their first session to the work; else nil.
    public var daysToWork: Int?
    /// How many people the row holds.
    public var people: Int

    /// Creates a row.
    public init(
        month: LocalDate, region: String, sector: String, reached: Int, workSector: String?, inSessionSector: Bool, daysToWork: Int?,
        people: Int
    ) {
        self.month = month
        self.region = region
        self.sector = sector
        self.reached = reached
        self.workSector = workSector
        self.inSessionSector = inSessionSector
        self.daysToWork = daysToWork
        self.people = people
    }
}

/// Enrollments of people that retention erased, summed per session and per region of the people:
/// the grid of the report's per-session and per-partner tables.
public struct RetainedEnrollments: Sendable, Hashable {
    public var sessionID: Int64
    /// The region of the people (the report's `--region`).
    public var region: String
    /// Enrollments of any state: with `--region`, a session of another region is listed when one
    /// of the region's people was enrolled in it.
    public var enrollments: Int
    public var taken: Int
    public var invited: Int
    public var answered: Int
    public var attended: Int
    public var noShows: Int

    /// Creates a row.
    public init(sessionID: Int64, region: String, enrollments: Int, taken: Int, invited: Int, answered: Int, attended: Int, noShows: Int) {
        self.sessionID = sessionID
        self.region = region
        self.enrollments = enrollments
        self.taken = taken
        self.invited = invited
        self.answered = answered
        self.attended = attended
        self.noShows = noShows
    }
}

/// What the report keeps of people erased by retention: their contribution to every figure, on
/// the finest grid the report counts, without anything that says who they were.
public struct RetainedAggregates: Sendable, Equatable {
    public var people: [RetainedPeople]
    public var enrollments: [RetainedEnrollments]

    /// Creates aggregates.
    public init(people: [RetainedPeople] = [], enrollments: [RetainedEnrollments] = []) {
        self.people = people
        self.enrollments = enrollments
    }

    /// The contribution of every person in `input` (read with their enrollments, the sessions of
    /// those and their outcomes), computed exactly as the report counts live people.
    public static func of(_ input: ReportInput) -> RetainedAggregates {
        let sessionsByID = Dictionary(input.sessions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let (enrollmentsOf, workOf) = OutcomeReport.countedRows(input, sessionsByID: sessionsByID)
        var people: [RetainedPeople: Int] = [:]
        var regionOf: [Int64: String] = [:]
        for person in input.persons {
            regionOf[person.id] = person.region
            let standing = OutcomeReport.standing(
                of: person, enrollments: enrollmentsOf[person.id] ?? [], work: workOf[person.id] ?? [], sessionsByID: sessionsByID)
            let key = RetainedPeople(
                month: LocalDate(year: standing.anchor.year, month: standing.anchor.month, day: 1), region: person.region, sector: person.sector,
                reached: standing.level, workSector: standing.workSector, inSessionSector: standing.inSessionSector, daysToWork: standing.days,
                people: 0)
            people[key, default: 0] += 1
        }
        var sums: [RetainedEnrollments: RetainedEnrollments] = [:]
        for enrollment in input.enrollments {
            guard let region = regionOf[enrollment.workerID] else { continue }
            let key = RetainedEnrollments(
                sessionID: enrollment.sessionID, region: region, enrollments: 0, taken: 0, invited: 0, answered: 0, attended: 0, noShows: 0)
            var sum = sums[key] ?? key
            let activity = OutcomeReport.activity(of: enrollment)
            sum.enrollments += 1
            sum.taken += activity.taken
            sum.invited += activity.invited
            sum.answered += activity.answered
            sum.attended += activity.attended
            sum.noShows += activity.noShows
            sums[key] = sum
        }
        return RetainedAggregates(
            people: people.map { key, count in
                var row = key
                row.people = count
                return row
            },
            enrollments: Array(sums.values))
    }
}
