import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// The options of `plan demand` as typed.
    public struct DemandOptions: Sendable {
        /// Only people of this region.
        public var region: String?
        /// One group across every region, for an online session.
        public var online = false
        /// Groups with fewer people are left out.
        public var minimum = 10
        /// At most this many groups are shown.
        public var top = 10

        /// Creates the default options: every region, groups of at least 10, the first 10.
        public init() {}
    }

    /// The groups worth a session among the people still waiting (see `DemandPlanner`); keeps
    /// the list so `plan suggest --demand N` can take group N.
    public func demand(_ options: DemandOptions) async throws -> DemandReport {
        var problems: [InputError] = []
        var region: String?
        if let typed = options.region {
            do { region = try catalogues.regions.validate(typed, place: "--region") } catch { problems.append(error) }
            if options.online { problems.append(InputError(place: "--online", problem: "give either --region or --online, not both")) }
        }
        if options.minimum < 1 { problems.append(InputError(place: "--min", problem: "must be at least 1")) }
        if !(1...100).contains(options.top) { problems.append(InputError(place: "--top", problem: "must be between 1 and 100")) }
        guard problems.isEmpty else { throw InputErrors(problems) }
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let now = clock.now()
        let maxSessions = settings.maxSessionsPerWorker
        let report = try await store.read { tx in
            let stored = try await tx.sessions(SessionFilter())
            var candidates: [MatchingCandidate] = []
            candidates.reserveCapacity(stored.count)
            for item in stored {
                candidates.append(MatchingCandidate(session: item.session, meetings: try item.meetingIntervals(), seatsTaken: item.seatsTaken))
            }
            let enrollments = try await tx.allEnrollments()
            let waiting = WaitingList(
                workers: try await tx.workers(), sessions: stored, enrollments: enrollments, now: now, today: zone.local(of: now).date,
                region: region)
            let planner = DemandPlanner(
                waiting: waiting, sessions: candidates, enrollments: enrollments, now: now, zone: zone, maxSessionsPerWorker: maxSessions)
            return planner.plan(DemandPlanner.Request(online: options.online, minimum: options.minimum, top: options.top))
        }
        try await store.write { tx in
            try await tx.replaceDemandList(DemandList(listedAt: now, groups: report.groups.map(\.key)))
        }
        return report
    }

    /// Group `number` (from 1) of the last `plan demand`, with when that list was made.
    public func demandGroup(number: Int) async throws -> (key: DemandGroup.Key, listedAt: Date) {
        guard let list = try await store.read({ try await $0.demandList() }) else {
            throw InputError(
                place: "--demand \(number)", problem: "no list of groups is kept (none was made, or the last one was empty)",
                fix: "run overstap plan demand first (it keeps the groups it shows), then pick a number from it")
        }
        guard number >= 1, number <= list.groups.count else {
            let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
            throw InputError(
                place: "--demand \(number)",
                problem: "the last plan demand (\(zone.local(of: list.listedAt))) showed \(list.groups.count) group\(list.groups.count == 1 ? "" : "s")",
                fix: "pick a number from 1 to \(list.groups.count), or run overstap plan demand again")
        }
        return (list.groups[number - 1], list.listedAt)
    }
}
