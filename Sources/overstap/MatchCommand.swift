import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap match`
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Propose (or with --commit, store) the best placement of workers in open sessions.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("session"), help: "Only fill these sessions (repeatable).") var sessions: [Int64] = []
    @Option(help: "Only fill sessions organised by this region.") var region: String?
    @Flag(help: "Store the placements as 'selected' enrollments.") var commit = false
    @Option(help: "Explain, for this worker (e-mail), every session's outcome: the rule and its detail, or the ranking level.")
    var explain: String?

    func validate() throws {
        if explain != nil && commit { throw ValidationError("--explain only reads; leave out --commit") }
    }

    func run() async throws {
        let service = try await global.service()
        let scope = OverstapService.MatchingScope(sessionIDs: sessions, region: region)
        if let explain {
            let (report, verdicts) = try await service.explainMatch(email: explain, scope: scope)
            return try printExplanation(report, verdicts, email: explain)
        }
        let report = try await service.match(scope, commit: commit)
        if output.json { return JSONOutput.write(try MatchView(report).json()) }
        printSummary(report)
    }

    private func printSummary(_ report: OverstapService.MatchingReport) {
        let run = report.run
        let outcome = report.outcome
        var filled: [Int: (unemployed: Int, atRisk: Int, tailored: Int)] = [:]
        for (worker, session) in outcome.assignments {
            var entry = filled[session] ?? (0, 0, 0)
            if run.workers[worker].status == .unemployed { entry.unemployed += 1 } else { entry.atRisk += 1 }
            if run.sessions[session].session.audience.contains(run.workers[worker].sector) { entry.tailored += 1 }
            filled[session] = entry
        }
        var table = TextTable(headers: ["ID", "TITLE", "FREE BEFORE", "PLACED", "UNEMPLOYED", "AT RISK", "TAILORED"])
        for session in run.openSessions {
            let entry = filled[session] ?? (0, 0, 0)
            let candidate = run.sessions[session]
            table.rows.append([
                String(candidate.id), candidate.session.title, String(candidate.freeSeats), String(entry.unemployed + entry.atRisk),
                String(entry.unemployed), String(entry.atRisk), String(entry.tailored),
            ])
        }
        print(table.render())
        let objective = outcome.objective
        print("")
        print("placed \(outcome.assignments.count) (unemployed \(objective.unemployedPlaced), at risk \(objective.atRiskPlaced), tailored \(objective.tailoredPlacements)); \(outcome.eligiblePairs) eligible pairs")
        let reasons = Dictionary(grouping: outcome.unplaced, by: \.reason).mapValues(\.count)
        print("unplaced \(outcome.unplaced.count): " + reasons.keys.sorted().map { "\($0.rawValue) \(reasons[$0]!)" }.joined(separator: ", "))
        if outcome.assignments.isEmpty {
            print(report.committed ? "placed nobody: nothing was stored" : "placed nobody")
            print("every worker who fits is placed already, or no open session has a free seat; see why with: overstap match --explain EMAIL")
        } else {
            print(report.committed ? "stored as selected enrollments" : "proposal only: run with --commit to store it")
        }
    }

    private func printExplanation(
        _ report: OverstapService.MatchingReport, _ verdicts: [OverstapService.ExplainedSession], email: String
    ) throws {
        let views = verdicts.map { ExplanationView(session: report.run.sessions[$0.session], verdict: $0.verdict, detail: $0.detail) }
        if output.json {
            struct View: Encodable {
                var worker: String
                var sessions: [ExplanationView]
            }
            return try JSONOutput.print(View(worker: email, sessions: views))
        }
        var table = TextTable(headers: ["ID", "TITLE", "OUTCOME", "WHY", "DETAIL"])
        table.rows = views.map { [$0.session, $0.title, $0.outcome, $0.rule ?? $0.level ?? "", $0.detail ?? ""] }
        print(table.render())
    }
}

/// `match --json` output.
struct MatchView {
    struct Assignment {
        var worker: String
        var session: String
    }
    struct Unplaced {
        var worker: String
        var reason: String
    }
    struct Stats: Encodable {
        var eligiblePairs: Int
        var eligibleWorkers: Int
        var freeSeats: Int
        var objective: [Int]
        var placed: Int
        var unplaced: Int
        var workers: Int
        var openSessions: Int
        var profiles: Int
        var committed: Bool

        enum CodingKeys: String, CodingKey {
            case objective, placed, unplaced, workers, profiles, committed
            case eligiblePairs = "eligible_pairs", openSessions = "open_sessions", eligibleWorkers = "eligible_workers"
            case freeSeats = "free_seats"
        }
    }
    var assignments: [Assignment]
    var unplaced: [Unplaced]
    var stats: Stats

    /// The bytes `JSONOutput.print(self)` would print, with the two long lists written directly.
    func json() throws -> [UInt8] {
        var text = JSONText()
        text.raw("{\n  \"assignments\" : ")
        text.records(assignments, keys: ("session", "worker")) { ($0.session, $0.worker) }
        text.raw(",\n  \"stats\" : ")
        text.raw(try JSONOutput.encoded(stats).replacingOccurrences(of: "\n", with: "\n  "))
        text.raw(",\n  \"unplaced\" : ")
        text.records(unplaced, keys: ("reason", "worker")) { ($0.reason, $0.worker) }
        text.raw("\n}")
        return text.bytes
    }

    init(_ report: OverstapService.MatchingReport) {
        let run = report.run
        assignments = report.outcome.assignments.map { Assignment(worker: run.workers[$0.worker].email, session: String(run.sessions[$0.session].id)) }
        unplaced = report.outcome.unplaced.map { Unplaced(worker: run.workers[$0.worker].email, reason: $0.reason.rawValue) }
        stats = Stats(
            eligiblePairs: report.outcome.eligiblePairs, eligibleWorkers: report.outcome.eligibleWorkers,
            freeSeats: report.outcome.freeSeats, objective: report.outcome.objective.vector, placed: assignments.count,
            unplaced: unplaced.count, workers: run.workers.count, openSessions: run.openSessions.count,
            profiles: report.outcome.profiles, committed: report.committed)
    }
}

/// One line of `match --explain`.
struct ExplanationView: Encodable {
    var session: String
    var title: String
    /// `assigned`, `excluded`, `tie` or `outranked`.
    var outcome: String
    var rule: String?
    var level: String?
    /// Which window, meeting, date limit or overlapping session keeps the worker out.
    var detail: String?

    init(session candidate: MatchingCandidate, verdict: MatchingRun.Verdict, detail: String?) {
        session = String(candidate.id)
        self.detail = detail
        title = candidate.session.title
        switch verdict {
        case .assigned: outcome = "assigned"
        case .excluded(let reason):
            outcome = "excluded"
            rule = reason.rawValue
        case .tie: outcome = "tie"
        case .decided(let level):
            outcome = "outranked"
            self.level = level.code
        }
    }
}
