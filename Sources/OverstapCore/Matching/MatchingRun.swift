import Foundation

/// One matching run over real data: builds the eligible pairs through indexes (sector × language ×
/// region, then availability and enrollments per candidate), solves the assignment exactly and
/// explains the outcome. Pure: the same input gives the same output.
public struct MatchingRun: Sendable {
    /// The outcome of a run.
    public struct Outcome: Sendable {
        /// Placed (worker index, session index) pairs, ordered by session then worker priority.
        public var assignments: [(worker: Int, session: Int)]
        /// Workers left out and why, in worker order.
        public var unplaced: [(worker: Int, reason: ExclusionReason)]
        public var eligiblePairs: Int
        /// Workers with at least one eligible session.
        public var eligibleWorkers: Int
        /// Free seats in the sessions this run may fill.
        public var freeSeats: Int
        public var objective: MatchingObjective
        /// Distinct worker profiles the solver worked with.
        public var profiles: Int
    }

    /// What the run decided for one worker and one session.
    public enum Verdict: Sendable, Hashable {
        case assigned
        case excluded(ExclusionReason)
        /// Eligible; another equally good assignment would place the worker here.
        case tie
        /// Eligible; placing the worker here makes the result worse on this level.
        case decided(MatchingLevel)
    }

    public let workers: [Worker]
    public let sessions: [MatchingCandidate]
    /// Indexes of the sessions this run may fill (open and in scope), by start.
    public let openSessions: [Int]
    let reasonOfSession: [ExclusionReason?]
    /// Per session, the first local start date and the last local end date of its meetings.
    let meetingDates: [(firstStart: LocalDate, lastEnd: LocalDate)?]
    /// Per session, the index of its weekly pattern: sessions whose meetings fall in the same
    /// places in the week share one, so a worker's availability is checked once per pattern.
    let patternOfSession: [Int]
    /// The distinct parts of the week each pattern's meetings take; nil for one past midnight.
    private let weeklyPatterns: [[WeeklyWindow?]]
    let enrollmentsOfWorker: [Int64: [(session: Int, state: EnrollmentState)]]
    let maxSessionsPerWorker: Int
    /// The zone availability windows are read in.
    let zone: ZoneResolver
    private let priorities: [Int]

    /// The seed of the e-mail hash that breaks ties between workers imported together.
    public static let tieBreakSeed: UInt64 = 0x4F56_4552_5354_4150

    /// Prepares a run. `scope` limits the sessions to fill (nil: all); every session still counts
    /// for overlaps and limits. Availability windows are read in `zone`.
    public init(
        workers: [Worker], sessions: [MatchingCandidate], enrollments: [Enrollment], scope: Set<Int64>?, now: Date,
        zone: ZoneResolver, maxSessionsPerWorker: Int
    ) {
        self.workers = workers
        self.sessions = sessions
        self.maxSessionsPerWorker = maxSessionsPerWorker
        self.zone = zone
        let localMeetings = sessions.map { candidate in
            candidate.meetings.map { Meeting(start: zone.local(of: $0.start), end: zone.local(of: $0.end)) }
        }
        meetingDates = localMeetings.map { meetings in
            guard let firstStart = meetings.map(\.start.date).min(), let lastEnd = meetings.map(\.end.date).max() else { return nil }
            return (firstStart, lastEnd)
        }
        var patternIndex: [Set<WeeklyWindow?>: Int] = [:]
        var weeklyPatterns: [[WeeklyWindow?]] = []
        patternOfSession = localMeetings.map { meetings in
            let spans = Set(meetings.map(\.weeklyWindow))
            if let known = patternIndex[spans] { return known }
            patternIndex[spans] = weeklyPatterns.count
            weeklyPatterns.append(Array(spans))
            return weeklyPatterns.count - 1
        }
        self.weeklyPatterns = weeklyPatterns
        reasonOfSession = sessions.map { candidate in
            if candidate.session.status == .cancelled || (candidate.meetings.first?.start ?? now) <= now { return .sessionClosed }
            return candidate.freeSeats == 0 ? .noSeats : nil
        }
        let sessionIndex = Dictionary(uniqueKeysWithValues: sessions.enumerated().map { ($1.id, $0) })
        var byWorker: [Int64: [(session: Int, state: EnrollmentState)]] = [:]
        for enrollment in enrollments {
            guard let index = sessionIndex[enrollment.sessionID] else { continue }
            byWorker[enrollment.workerID, default: []].append((index, enrollment.state))
        }
        enrollmentsOfWorker = byWorker
        let reasons = reasonOfSession
        openSessions = sessions.indices
            .filter { reasons[$0] == nil && (scope?.contains(sessions[$0].id) ?? true) }
            .sorted { (sessions[$0].meetings[0].start, sessions[$0].id) < (sessions[$1].meetings[0].start, sessions[$1].id) }
        let waiting = workers.map { ($0.waitingSince ?? .distantPast, Self.tieBreak($0.email)) }
        let order = workers.indices.sorted { lhs, rhs in
            waiting[lhs] != waiting[rhs] ? waiting[lhs] < waiting[rhs] : lhs < rhs
        }
        var priorities = [Int](repeating: 0, count: workers.count)
        for (rank, worker) in order.enumerated() { priorities[worker] = rank }
        self.priorities = priorities
    }

    /// FNV-1a of the lower-cased address mixed with a fixed seed: stable, and unrelated to the alphabet.
    public static func tieBreak(_ email: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ tieBreakSeed
        for byte in email.lowercased().utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private struct Key: Hashable {
        var sector: String
        var language: String
        /// nil for online sessions, which anyone may attend.
        var region: String?
    }

    /// Open sessions of one weekly pattern, by start: a worker whose availability does not fit the
    /// pattern skips them all at once.
    private struct PatternSessions {
        let pattern: Int
        var sessions: [Int]
    }

    /// Adds a session to its pattern's group, or to a new group.
    private static func add(_ session: Int, pattern: Int, to groups: inout [PatternSessions]) {
        if let group = groups.firstIndex(where: { $0.pattern == pattern }) {
            groups[group].sessions.append(session)
        } else {
            groups.append(PatternSessions(pattern: pattern, sessions: [session]))
        }
    }

    /// Builds the pairs, solves, and reports.
    public func solve() -> (outcome: Outcome, result: AssignmentResult) {
        var index: [Key: [PatternSessions]] = [:]
        var sectors = Set<String>()
        var sectorLanguages = Set<String>()
        for session in openSessions {
            let candidate = sessions[session].session
            let key = Key(sector: candidate.sector, language: candidate.language, region: candidate.venue.isOnline ? nil : candidate.region)
            Self.add(session, pattern: patternOfSession[session], to: &index[key, default: []])
            sectors.insert(candidate.sector)
            sectorLanguages.insert(candidate.sector + "\u{1F}" + candidate.language)
        }
        var rankOfSession = [Int](repeating: -1, count: sessions.count)
        for (rank, session) in openSessions.enumerated() {
            rankOfSession[session] = rank
        }
        // Sectors as small numbers, so that tailoring is decided without comparing strings.
        var sectorNumber: [String: Int32] = [:]
        let audienceOfSession = sessions.map { candidate in
            candidate.session.audience.map { sector in
                if let known = sectorNumber[sector] { return known }
                sectorNumber[sector] = Int32(sectorNumber.count)
                return Int32(sectorNumber.count - 1)
            }
        }
        var problem = MatchingProblem(
            workers: workers.indices.map { MatchingWorker(status: workers[$0].status == .unemployed ? .unemployed : .atRisk, priority: priorities[$0]) },
            sessions: openSessions.enumerated().map { rank, session in MatchingSession(freeSeats: sessions[session].freeSeats, startRank: rank) })
        var noPairReason = [ExclusionReason?](repeating: nil, count: workers.count)
        var eligibleWorkers = 0
        var availability = AvailabilityMemo(patterns: weeklyPatterns.count)
        for (workerIndex, worker) in workers.enumerated() {
            if openSessions.isEmpty {
                noPairReason[workerIndex] = .noOpenSessions
                continue
            }
            if let reason = personalLimit(workerIndex) {
                noPairReason[workerIndex] = reason
                continue
            }
            let enrollments = enrollmentsOfWorker[worker.id ?? -1] ?? []
            let workerSector = sectorNumber[worker.sector] ?? -1
            availability.start(worker: workerIndex)
            var furthest = ExclusionReason.sector
            var found = false
            for target in worker.targets where sectors.contains(target) {
                furthest = max(furthest, .language)
                for language in worker.languages where sectorLanguages.contains(target + "\u{1F}" + language) {
                    furthest = max(furthest, .region)
                    for region in [worker.region, nil] as [String?] {
                        for group in index[Key(sector: target, language: language, region: region)] ?? [] {
                            let pattern = group.pattern
                            let fits = availability.verdict(pattern: pattern) ?? availability.record(fitsWeekly(worker, pattern: pattern), pattern: pattern)
                            if !fits, worker.availableFrom == nil, worker.availableUntil == nil {
                                // Every session of the group fails on the weekly availability alone.
                                furthest = max(furthest, .availability)
                                continue
                            }
                            for session in group.sessions {
                                if let reason = personalExclusion(worker, session, enrollments: enrollments, fitsWeekly: fits) {
                                    furthest = max(furthest, reason)
                                    continue
                                }
                                found = true
                                let tailored = audienceOfSession[session].contains(workerSector)
                                problem.addPair(worker: workerIndex, session: rankOfSession[session], tailored: tailored)
                            }
                        }
                    }
                }
            }
            if !found { noPairReason[workerIndex] = furthest } else { eligibleWorkers += 1 }
        }
        let result = problem.solve()
        var assignments: [(worker: Int, session: Int)] = []
        var unplaced: [(worker: Int, reason: ExclusionReason)] = []
        for worker in workers.indices {
            if let rank = result.session(of: worker) {
                assignments.append((worker, openSessions[rank]))
            } else {
                unplaced.append((worker, noPairReason[worker] ?? .outranked))
            }
        }
        assignments.sort { (rankOfSession[$0.session], priorities[$0.worker]) < (rankOfSession[$1.session], priorities[$1.worker]) }
        let outcome = Outcome(
            assignments: assignments, unplaced: unplaced, eligiblePairs: problem.pairCount, eligibleWorkers: eligibleWorkers,
            freeSeats: openSessions.reduce(0) { $0 + sessions[$1].freeSeats }, objective: result.objective,
            profiles: result.profileCount)
        return (outcome, result)
    }

    /// For one worker, every session in order of start, with the first rule that excludes it or
    /// how the ranking decided. `result` must come from `solve()` on this run.
    public func explain(worker workerIndex: Int, result: AssignmentResult) -> [(session: Int, verdict: Verdict)] {
        let rankOfSession = Dictionary(uniqueKeysWithValues: openSessions.enumerated().map { ($1, $0) })
        let ordered = sessions.indices.sorted { (sessions[$0].meetings.first?.start ?? .distantPast, sessions[$0].id) < (sessions[$1].meetings.first?.start ?? .distantPast, sessions[$1].id) }
        return ordered.map { session in
            if let reason = ruleExclusion(workerIndex, session) { return (session, .excluded(reason)) }
            guard let rank = rankOfSession[session] else { return (session, .excluded(.sessionClosed)) }
            switch result.explain(worker: workerIndex, session: rank) {
            case .assigned: return (session, .assigned)
            case .notEligible: return (session, .excluded(.outranked))
            case .noSeats: return (session, .excluded(.noSeats))
            case .tie: return (session, .tie)
            case .decided(let level, _): return (session, .decided(level))
            }
        }
    }

    /// The first eligibility rule that keeps worker `worker` out of session `session` (indexes into
    /// `workers` and `sessions`), or nil when matching may place them there.
    public func exclusion(worker: Int, session: Int) -> ExclusionReason? {
        ruleExclusion(worker, session)
    }

    /// The first rule (in the numbering) that keeps a worker out of a session.
    private func ruleExclusion(_ workerIndex: Int, _ session: Int) -> ExclusionReason? {
        exclusions(worker: workerIndex, session: session).first?.reason
    }

    /// Whether every meeting of a weekly pattern lies inside one of the worker's windows.
    func fitsWeekly(_ worker: Worker, pattern: Int) -> Bool {
        weeklyPatterns[pattern].allSatisfy { taken in
            taken.map { taken in worker.availability.contains { $0.contains(taken) } } ?? false
        }
    }

    /// Rule 4's date part: the meetings inside `available_from`…`available_until`.
    func dateExclusion(_ worker: Worker, _ session: Int) -> ExclusionReason? {
        guard let dates = meetingDates[session] else { return nil }
        if let from = worker.availableFrom, dates.firstStart < from { return .dateRange }
        if let until = worker.availableUntil, dates.lastEnd > until { return .dateRange }
        return nil
    }

    /// Rule 4: every meeting inside the worker's dates and weekly availability; `fitsWeekly` is
    /// the weekly part, from `fitsWeekly(_:pattern:)`.
    private func timeExclusion(_ worker: Worker, _ session: Int, fitsWeekly: Bool) -> ExclusionReason? {
        dateExclusion(worker, session) ?? (fitsWeekly ? nil : .availability)
    }

    /// Rules 4 and 6 for a session already matched on sector, language and region; `enrollments`
    /// are the worker's.
    private func personalExclusion(
        _ worker: Worker, _ session: Int, enrollments: [(session: Int, state: EnrollmentState)], fitsWeekly: Bool
    ) -> ExclusionReason? {
        if let reason = timeExclusion(worker, session, fitsWeekly: fitsWeekly) { return reason }
        if enrollments.contains(where: { $0.session == session }) { return .alreadyEnrolled }
        if enrollments.contains(where: { overlaps($0, session) }) { return .overlap }
        return nil
    }

    /// Rule 6: an enrollment the worker is committed to whose meetings overlap `session`'s.
    func overlaps(_ enrollment: (session: Int, state: EnrollmentState), _ session: Int) -> Bool {
        enrollment.state.isActive && sessions[enrollment.session].overlaps(sessions[session])
    }

    /// Rule 6: the worker's commitments to sessions that have not closed.
    func upcomingCommitments(_ workerIndex: Int) -> [(session: Int, state: EnrollmentState)] {
        (enrollmentsOfWorker[workers[workerIndex].id ?? -1] ?? []).filter { $0.state.isActive && reasonOfSession[$0.session] != .sessionClosed }
    }

    /// Rule 6's limit on upcoming commitments, or an address that cannot be reached: either excludes
    /// a worker from every session.
    func personalLimit(_ workerIndex: Int) -> ExclusionReason? {
        if workers[workerIndex].undeliverableSince != nil { return .undeliverable }
        return upcomingCommitments(workerIndex).count >= maxSessionsPerWorker ? .maxSessions : nil
    }
}

/// One worker's availability verdict per weekly pattern, so each is computed at most once.
private struct AvailabilityMemo {
    private var worker = -1
    private var checkedFor: [Int]
    private var fits: [Bool]

    init(patterns: Int) {
        checkedFor = [Int](repeating: -1, count: patterns)
        fits = [Bool](repeating: false, count: patterns)
    }

    /// Forgets the previous worker's verdicts.
    mutating func start(worker: Int) {
        self.worker = worker
    }

    /// The verdict recorded for `pattern` for this worker, if any.
    func verdict(pattern: Int) -> Bool? {
        checkedFor[pattern] == worker ? fits[pattern] : nil
    }

    /// Records this worker's verdict for `pattern` and returns it.
    mutating func record(_ verdict: Bool, pattern: Int) -> Bool {
        fits[pattern] = verdict
        checkedFor[pattern] = worker
        return verdict
    }
}
