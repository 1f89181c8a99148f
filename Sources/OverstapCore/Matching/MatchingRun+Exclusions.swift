import Foundation

/// The eligibility rules with their detail, for `match --explain` and for placing by hand. The
/// decisions come from the same predicates `solve()` uses; only the words are added here.
extension MatchingRun {
    /// Every rule that keeps `worker` out of `session`, in the order of the rules (empty: eligible).
    public func exclusions(worker workerIndex: Int, session: Int) -> [Exclusion] {
        let worker = workers[workerIndex]
        let candidate = sessions[session]
        let planned = candidate.session
        var found: [Exclusion] = []
        if !worker.targets.contains(planned.sector) {
            found.append(Exclusion(.sector, "the session prepares for \(planned.sector); the worker wants to move to \(worker.targets.joined(separator: ", "))"))
        }
        if !worker.languages.contains(planned.language) {
            found.append(Exclusion(.language, "the session is held in \(planned.language); the worker speaks \(worker.languages.joined(separator: ", "))"))
        }
        if !planned.venue.isOnline && planned.region != worker.region {
            found.append(Exclusion(.region, "the session takes place on site in \(planned.region); the worker lives in \(worker.region)"))
        }
        if dateExclusion(worker, session) != nil, let dates = meetingDates[session] {
            if let from = worker.availableFrom, dates.firstStart < from {
                found.append(Exclusion(.dateRange, "the first meeting is on \(dates.firstStart), before the worker's available_from \(from)"))
            }
            if let until = worker.availableUntil, dates.lastEnd > until {
                found.append(Exclusion(.dateRange, "the last meeting ends on \(dates.lastEnd), after the worker's available_until \(until)"))
            }
        }
        if !fitsWeekly(worker, pattern: patternOfSession[session]) {
            found.append(Exclusion(.availability, availabilityDetail(worker, candidate)))
        }
        switch reasonOfSession[session] {
        case .sessionClosed:
            let detail = planned.status == .cancelled ? "the session is cancelled"
                : "the first meeting started at \(candidate.meetings.first.map { zone.local(of: $0.start).description } ?? "-")"
            found.append(Exclusion(.sessionClosed, detail))
        case .noSeats:
            found.append(Exclusion(.noSeats, "all \(planned.capacity) seats are taken"))
        default:
            break
        }
        let enrollments = enrollmentsOfWorker[worker.id ?? -1] ?? []
        if let own = enrollments.first(where: { $0.session == session }) {
            found.append(Exclusion(.alreadyEnrolled, "the worker's enrollment in this session is \(own.state.rawValue)"))
        }
        for other in enrollments where other.session != session && overlaps(other, session) {
            found.append(Exclusion(.overlap, overlapDetail(other, candidate)))
        }
        if let since = worker.undeliverableSince {
            found.append(Exclusion(.undeliverable, "mail to \(worker.email) has been refused for good since \(zone.local(of: since))"))
        }
        if personalLimit(workerIndex) == .maxSessions {
            let upcoming = upcomingCommitments(workerIndex).map { String(sessions[$0.session].id) }
            found.append(Exclusion(
                .maxSessions,
                "the worker has \(upcoming.count) upcoming sessions (\(upcoming.joined(separator: ", "))); "
                    + "the limit is \(maxSessionsPerWorker) (matching.max_sessions_per_worker)"))
        }
        return found
    }

    /// Which meetings fall outside the worker's weekly windows.
    private func availabilityDetail(_ worker: Worker, _ candidate: MatchingCandidate) -> String {
        let misfits = candidate.meetings.map { Meeting(start: zone.local(of: $0.start), end: zone.local(of: $0.end)) }
            .filter { meeting in !worker.availability.contains { $0.contains(meeting) } }
        let windows = worker.availability.isEmpty ? "none" : worker.availability.map(\.description).joined(separator: ", ")
        guard let first = misfits.first else { return "the meetings fall outside the worker's weekly windows (\(windows))" }
        let more = misfits.count > 1 ? " (and \(misfits.count - 1) more of the \(candidate.meetings.count) meetings)" : ""
        return "the meeting of \(Self.describe(first)) is outside the worker's weekly windows (\(windows))\(more)"
    }

    /// Which session overlaps, and at which meeting.
    private func overlapDetail(_ other: (session: Int, state: EnrollmentState), _ candidate: MatchingCandidate) -> String {
        let taken = sessions[other.session]
        let meeting = taken.meetings.first { mine in candidate.meetings.contains { $0.start < mine.end && mine.start < $0.end } }
        let when = meeting.map { " at \(Self.describe(Meeting(start: zone.local(of: $0.start), end: zone.local(of: $0.end))))" } ?? ""
        return "overlaps session \(taken.id) '\(taken.session.title)'\(when), where the worker is \(other.state.rawValue)"
    }

    /// `di 2027-02-02 19:00-20:30`.
    static func describe(_ meeting: Meeting) -> String {
        let day = meeting.weeklyWindow.map { WeeklyWindow.dutchDays[$0.weekday - 1] } ?? WeeklyWindow.dutchDays[meeting.start.date.isoWeekday - 1]
        let end = meeting.end.date == meeting.start.date ? String(meeting.end.description.suffix(5)) : meeting.end.description
        return "\(day) \(meeting.start)-\(end)"
    }
}
