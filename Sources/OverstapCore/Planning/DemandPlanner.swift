import Foundation

/// Proposes the sessions worth organising: groups the people still waiting by target sector ×
/// the sector they come from × language × region, largest first in the matching objective's
/// order, and says for each group when most of them are free, how many a broader session would
/// reach, which partners ran such sessions and which open session could already take them.
/// Pure: the caller supplies the data.
public struct DemandPlanner: Sendable {
    /// What the organiser asks for.
    public struct Request: Sendable {
        /// One group across every region, for an online session.
        public var online: Bool
        /// Groups with fewer people are left out.
        public var minimum: Int
        /// At most this many groups are shown.
        public var top: Int

        /// Creates a request.
        public init(online: Bool, minimum: Int, top: Int) {
            self.online = online
            self.minimum = minimum
            self.top = top
        }
    }

    /// How many partners and covering sessions a group lists.
    public static let listLimit = 3

    private let waiting: WaitingList
    private let sessions: [MatchingCandidate]
    private let enrollments: [Enrollment]
    private let now: Date
    private let zone: ZoneResolver
    private let maxSessionsPerWorker: Int

    /// Creates a planner over the people still waiting and every stored session (with its meetings
    /// as instants); enrollments and the limit per worker feed matching's eligibility rules.
    public init(
        waiting: WaitingList, sessions: [MatchingCandidate], enrollments: [Enrollment], now: Date, zone: ZoneResolver,
        maxSessionsPerWorker: Int
    ) {
        self.waiting = waiting
        self.sessions = sessions
        self.enrollments = enrollments
        self.now = now
        self.zone = zone
        self.maxSessionsPerWorker = maxSessionsPerWorker
    }

    /// A group while counting: codes as small numbers, members as indexes into the waiting list.
    private struct Tally {
        var key: DemandGroup.Key
        var members: [Int32] = []
        var unemployed = 0
        var atRisk = 0
    }

    /// The groups, numbered from 1 in the order returned.
    public func plan(_ request: Request) -> DemandReport {
        let people = waiting.workers
        var codes: [String: UInt64] = [:]
        func code(_ text: String) -> UInt64 {
            if let known = codes[text] { return known }
            codes[text] = UInt64(codes.count)
            return UInt64(codes.count - 1)
        }
        // Codes are packed 16 bits each; the region slot of an online group holds `anywhere`.
        let anywhere: UInt64 = 0xFFFF
        var groupIndex: [UInt64: Int] = [:]
        var tallies: [Tally] = []
        var broaderMembers: [UInt64: [Int32]] = [:]
        for (index, worker) in people.enumerated() {
            let audience = code(worker.sector)
            let region = request.online ? anywhere : code(worker.region)
            for (targetPosition, target) in worker.targets.enumerated() where !worker.targets[..<targetPosition].contains(target) {
                let sector = code(target)
                for (languagePosition, language) in worker.languages.enumerated()
                where !worker.languages[..<languagePosition].contains(language) {
                    let place = code(language) << 16 | region
                    let packed = sector << 48 | audience << 32 | place
                    let group: Int
                    if let known = groupIndex[packed] {
                        group = known
                    } else {
                        group = tallies.count
                        groupIndex[packed] = group
                        tallies.append(Tally(key: DemandGroup.Key(
                            sector: target, audience: worker.sector, language: language, region: request.online ? nil : worker.region)))
                    }
                    tallies[group].members.append(Int32(index))
                    if worker.status == .unemployed { tallies[group].unemployed += 1 } else { tallies[group].atRisk += 1 }
                    broaderMembers[sector << 48 | anywhere << 32 | place, default: []].append(Int32(index))
                }
            }
        }
        let large = tallies.indices.filter { tallies[$0].members.count >= request.minimum }
        // The matching objective's order: unemployed, then at risk. Every member of a group is
        // tailored to it, so the third level cannot tell groups apart; the codes make ties stable.
        let ordered = large.sorted { lhs, rhs in
            let left = tallies[lhs]
            let right = tallies[rhs]
            if left.unemployed != right.unemployed { return left.unemployed > right.unemployed }
            if left.atRisk != right.atRisk { return left.atRisk > right.atRisk }
            return (left.key.sector, left.key.audience, left.key.language, left.key.region ?? "")
                < (right.key.sector, right.key.audience, right.key.language, right.key.region ?? "")
        }
        let shown = ordered.prefix(request.top).map { tallies[$0] }
        let history = partnerHistory(sectors: Set(shown.map(\.key.sector)))
        let covers = covers(for: shown, online: request.online)
        let finder = SharedWindows()
        let groups = shown.enumerated().map { position, tally in
            let availability = tally.members.map { people[Int($0)].availability }
            let windows = finder.best(availability).map { window in
                DemandGroup.SharedWindow(window: window, people: availability.count { Self.holds($0, window) })
            }
            let place = codes[tally.key.language]! << 16 | (tally.key.region.map { codes[$0]! } ?? anywhere)
            let population = broaderMembers[codes[tally.key.sector]! << 48 | anywhere << 32 | place] ?? []
            let broader = DemandGroup.Broader(
                people: population.count,
                inBestWindow: windows.first.map { best in population.count { Self.holds(people[Int($0)].availability, best.window) } })
            return DemandGroup(
                key: tally.key, unemployed: tally.unemployed, atRisk: tally.atRisk, windows: windows, broader: broader,
                partners: history[tally.key.sector] ?? [], coveredBy: covers[position])
        }
        return DemandReport(
            waiting: people.count, placed: waiting.placed, undeliverable: waiting.undeliverable,
            availableUntilPassed: waiting.availableUntilPassed, groups: groups, belowMinimum: tallies.count - large.count,
            beyondTop: large.count - shown.count)
    }

    /// Whether someone with these windows can come at `range`: matching's rule for a meeting.
    private static func holds(_ availability: [WeeklyWindow], _ range: WeeklyWindow) -> Bool {
        availability.contains { $0.contains(range) }
    }

    /// Per sector, the partners of sessions in it that ended (not cancelled), most sessions first.
    private func partnerHistory(sectors: Set<String>) -> [String: [DemandGroup.PartnerHistory]] {
        var bySector: [String: [String: DemandGroup.PartnerHistory]] = [:]
        for candidate in sessions where sectors.contains(candidate.session.sector) && candidate.session.status == .scheduled {
            guard let end = candidate.meetings.last?.end, end <= now else { continue }
            for slug in candidate.session.partners {
                var entry = bySector[candidate.session.sector, default: [:]][slug]
                    ?? DemandGroup.PartnerHistory(slug: slug, sessions: 0, seatsTaken: 0, capacity: 0)
                entry.sessions += 1
                entry.seatsTaken += min(candidate.seatsTaken, candidate.session.capacity)
                entry.capacity += candidate.session.capacity
                bySector[candidate.session.sector, default: [:]][slug] = entry
            }
        }
        return bySector.mapValues { partners in
            let ordered = partners.values.sorted { lhs, rhs in
                if lhs.sessions != rhs.sessions { return lhs.sessions > rhs.sessions }
                if lhs.fillPercent != rhs.fillPercent { return lhs.fillPercent > rhs.fillPercent }
                return lhs.slug < rhs.slug
            }
            return Array(ordered.prefix(Self.listLimit))
        }
    }

    /// Per group, the upcoming open sessions meant for it (its sector and language; its region or
    /// online, only online for an online group; tailored for its audience or for anyone) in which
    /// matching's own rules would place at least one member, most fitting members first.
    private func covers(for groups: [Tally], online: Bool) -> [[DemandGroup.Cover]] {
        var runIndex: [Int32: Int] = [:]
        var members: [Worker] = []
        for group in groups {
            for member in group.members where runIndex[member] == nil {
                runIndex[member] = members.count
                members.append(waiting.workers[Int(member)])
            }
        }
        let run = MatchingRun(
            workers: members, sessions: sessions, enrollments: enrollments, scope: nil, now: now, zone: zone,
            maxSessionsPerWorker: maxSessionsPerWorker)
        return groups.map { group in
            let key = group.key
            var covers: [DemandGroup.Cover] = []
            for index in run.openSessions {
                let session = sessions[index].session
                guard session.sector == key.sector, session.language == key.language,
                    online ? session.venue.isOnline : (session.venue.isOnline || session.region == key.region),
                    session.audience.isEmpty || session.audience.contains(key.audience)
                else { continue }
                let fitting = group.members.count { run.exclusion(worker: runIndex[$0]!, session: index) == nil }
                guard fitting > 0 else { continue }
                covers.append(DemandGroup.Cover(
                    sessionID: sessions[index].id, title: session.title, start: sessions[index].meetings[0].start,
                    timezone: session.timezone, freeSeats: sessions[index].freeSeats, fitting: fitting))
            }
            covers.sort { ($1.fitting, $0.start, $0.sessionID) < ($0.fitting, $1.start, $1.sessionID) }
            return Array(covers.prefix(Self.listLimit))
        }
    }
}
