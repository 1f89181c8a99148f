import Foundation

/// Ranks start times for a new session by how many fitting, not yet placed workers could attend
/// every meeting, skipping times the partner is busy. Pure: the caller supplies the data.
public struct SlotPlanner: Sendable {
    /// What the organiser wants to plan.
    public struct Request: Sendable {
        public var sector: String
        public var audience: [String]
        public var durationMinutes: Int
        public var repeatRule: String?
        public var firstDay: LocalDate
        public var lastDay: LocalDate
        /// Minutes after midnight: the whole meeting must lie inside.
        public var hours: ClosedRange<Int>
        public var language: String
        /// The region for an on-site session; nil for online.
        public var region: String?
        public var top: Int

        /// Creates a request.
        public init(
            sector: String, audience: [String], durationMinutes: Int, repeatRule: String?, firstDay: LocalDate,
            lastDay: LocalDate, hours: ClosedRange<Int>, language: String, region: String?, top: Int
        ) {
            self.sector = sector
            self.audience = audience
            self.durationMinutes = durationMinutes
            self.repeatRule = repeatRule
            self.firstDay = firstDay
            self.lastDay = lastDay
            self.hours = hours
            self.language = language
            self.region = region
            self.top = top
        }
    }

    /// One ranked start time and who could come.
    public struct Suggestion: Sendable, Equatable {
        public var start: LocalDateTime
        /// Every meeting as instants.
        public var meetings: [DateInterval]
        /// Fitting workers free for every meeting.
        public var available: Int
        public var unemployed: Int
        public var atRisk: Int
        /// Of those, how many come from an audience sector.
        public var tailored: Int
    }

    /// The grid planners pick from, in minutes.
    public static let gridMinutes = 30

    private let workers: [Worker]
    private let busy: [DateInterval]
    private let now: Date
    private let zone: ZoneResolver

    /// Creates a planner; `workers` should be those not yet placed, `busy` the partner's busy
    /// periods and its other sessions' meetings.
    public init(workers: [Worker], busy: [DateInterval], now: Date, zone: ZoneResolver) {
        self.workers = workers
        self.busy = busy.sorted { $0.start < $1.start }
        self.now = now
        self.zone = zone
    }

    private struct Profile: Hashable {
        var availability: [WeeklyWindow]
        var from: LocalDate?
        var until: LocalDate?
    }

    private struct Tally {
        var unemployed = 0
        var atRisk = 0
        var tailored = 0
    }

    /// The best start times, most available workers first, then earliest.
    public func suggest(_ request: Request) throws(InputError) -> [Suggestion] {
        let rule = try request.repeatRule.map { rule throws(InputError) in try RecurrenceRule.parse(rule, place: "--repeat") }
        var tallies: [Profile: Tally] = [:]
        for worker in workers
        where worker.targets.contains(request.sector) && worker.languages.contains(request.language)
            && (request.region == nil || request.region == worker.region)
        {
            let profile = Profile(availability: worker.availability, from: worker.availableFrom, until: worker.availableUntil)
            var tally = tallies[profile] ?? Tally()
            if worker.status == .unemployed { tally.unemployed += 1 } else { tally.atRisk += 1 }
            if request.audience.contains(worker.sector) { tally.tailored += 1 }
            tallies[profile] = tally
        }
        var suggestions: [Suggestion] = []
        var day = request.firstDay
        while day <= request.lastDay {
            var minute = (request.hours.lowerBound + Self.gridMinutes - 1) / Self.gridMinutes * Self.gridMinutes
            while minute + request.durationMinutes <= request.hours.upperBound {
                let start = LocalDateTime(date: day, hour: minute / 60, minute: minute % 60)
                if let suggestion = try evaluate(start, rule: rule, request: request, tallies: tallies) {
                    suggestions.append(suggestion)
                }
                minute += Self.gridMinutes
            }
            day = day.adding(days: 1)
        }
        suggestions.sort { ($1.available, $0.start) < ($0.available, $1.start) }
        return Array(suggestions.prefix(request.top))
    }

    private func evaluate(
        _ start: LocalDateTime, rule: RecurrenceRule?, request: Request, tallies: [Profile: Tally]
    ) throws(InputError) -> Suggestion? {
        let starts = try rule?.localStarts(from: start) ?? [start]
        var meetings: [Meeting] = []
        var instants: [DateInterval] = []
        for local in starts {
            guard case .unique(let instant) = zone.resolve(local) else { return nil }
            let interval = DateInterval(start: instant, duration: TimeInterval(request.durationMinutes * 60))
            if busy.contains(where: { $0.start < interval.end && interval.start < $0.end }) { return nil }
            meetings.append(Meeting(start: local, end: local.adding(minutes: request.durationMinutes)))
            instants.append(interval)
        }
        guard let first = instants.first, first.start > now else { return nil }
        var total = Tally()
        for (profile, tally) in tallies where fits(profile, meetings) {
            total.unemployed += tally.unemployed
            total.atRisk += tally.atRisk
            total.tailored += tally.tailored
        }
        return Suggestion(
            start: start, meetings: instants, available: total.unemployed + total.atRisk, unemployed: total.unemployed,
            atRisk: total.atRisk, tailored: total.tailored)
    }

    private func fits(_ profile: Profile, _ meetings: [Meeting]) -> Bool {
        meetings.allSatisfy { meeting in
            (profile.from.map { meeting.start.date >= $0 } ?? true) && (profile.until.map { meeting.end.date <= $0 } ?? true)
                && profile.availability.contains { $0.contains(meeting) }
        }
    }
}
