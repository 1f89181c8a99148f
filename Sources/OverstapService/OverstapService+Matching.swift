import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What a matching run proposes (or, with `commit`, wrote).
    public struct MatchingReport: Sendable {
        public var run: MatchingRun
        public var outcome: MatchingRun.Outcome
        public var committed: Bool
    }

    /// Which sessions a run may fill: given ids, a region, or all open sessions.
    public struct MatchingScope: Sendable {
        public var sessionIDs: [Int64]
        public var region: String?

        /// Creates a scope; empty ids and nil region mean every open session.
        public init(sessionIDs: [Int64] = [], region: String? = nil) {
            self.sessionIDs = sessionIDs
            self.region = region
        }
    }

    /// Runs matching; with `commit` the placements are stored as `selected` in the same transaction
    /// that read the data, so seats cannot change in between.
    public func match(_ scope: MatchingScope, commit: Bool) async throws -> MatchingReport {
        let scope = MatchingScope(
            sessionIDs: scope.sessionIDs, region: try scope.region.map { try catalogues.regions.validate($0, place: "--region") })
        if commit {
            return try await store.write { tx in
                var report = try await matchingReport(scope, tx)
                for (worker, session) in report.outcome.assignments {
                    guard let workerID = report.run.workers[worker].id else { continue }
                    let sessionID = report.run.sessions[session].id
                    let current = try await tx.enrollment(sessionID: sessionID, workerID: workerID)
                    try await applyLifecycle(.selectedByMatching, sessionID: sessionID, workerID: workerID, from: current, tx)
                }
                report.committed = true
                return report
            }
        }
        return try await store.read { try await matchingReport(scope, $0) }
    }

    /// One session's verdict for the explained worker, with the detail behind an exclusion.
    public struct ExplainedSession: Sendable {
        public var session: Int
        public var verdict: MatchingRun.Verdict
        /// Which window, meeting, date limit or overlapping session (for an exclusion by a rule).
        public var detail: String?
    }

    /// Explains, for one worker, every session: the first rule that excludes it (with its detail)
    /// or the ranking level that decided.
    public func explainMatch(email: String, scope: MatchingScope) async throws -> (report: MatchingReport, verdicts: [ExplainedSession]) {
        try await store.read { tx in
            let report = try await matchingReport(scope, tx)
            guard let workerIndex = report.run.workers.firstIndex(where: { $0.email.lowercased() == email.lowercased() }) else {
                throw NotFoundError(kind: "worker", key: email, fix: "list workers with: overstap worker list")
            }
            let (_, result) = report.run.solve()
            return (report, report.run.explain(worker: workerIndex, result: result).map { session, verdict in
                var detail: String?
                if case .excluded(let reason) = verdict {
                    detail = report.run.exclusions(worker: workerIndex, session: session).first { $0.reason == reason }?.detail
                }
                return ExplainedSession(session: session, verdict: verdict, detail: detail)
            })
        }
    }

    func matchingReport(_ scope: MatchingScope, _ tx: any StoreReader) async throws -> MatchingReport {
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let stored = try await tx.sessions(SessionFilter())
        let known = Set(stored.map(\.id))
        if let missing = scope.sessionIDs.first(where: { !known.contains($0) }) {
            throw NotFoundError(kind: "session", key: "\(missing)", fix: "list sessions with: overstap session list")
        }
        var candidates: [MatchingCandidate] = []
        candidates.reserveCapacity(stored.count)
        for item in stored {
            candidates.append(MatchingCandidate(session: item.session, meetings: try item.meetingIntervals(), seatsTaken: item.seatsTaken))
        }
        var scopeIDs: Set<Int64>?
        if !scope.sessionIDs.isEmpty { scopeIDs = Set(scope.sessionIDs) }
        if let region = scope.region {
            let regional = Set(stored.filter { $0.session.region == region }.map(\.id))
            scopeIDs = scopeIDs.map { $0.intersection(regional) } ?? regional
        }
        let run = MatchingRun(
            workers: try await tx.workers(), sessions: candidates, enrollments: try await tx.allEnrollments(), scope: scopeIDs,
            now: clock.now(), zone: zone, maxSessionsPerWorker: settings.maxSessionsPerWorker)
        return MatchingReport(run: run, outcome: run.solve().outcome, committed: false)
    }
}
