import ArgumentParser
import Foundation
import GRDB
import OverstapCore
import OverstapService
import OverstapStore

extension OverstapBench {
    /// Times `overstap report` at scale: on a `match-data` database, matching places and invites
    /// everyone it can, the enrollments are moved to final states, a share of those who attended
    /// get a `found_work` outcome, and then the report for 2027 is computed and written in every format.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Fill a `match-data` database with answers, attendance and outcomes, and time the report.")
        @Option(help: "SQLite file written by match-data.") var database: String
        @Option(help: "The repository's config file.") var config: String
        @Option(help: "How many timed runs.") var runs = 5

        func run() async throws {
            let loaded = try await ConfigLoader().load(
                configFile: config, overrides: ["database.url": "sqlite:\(database)", "rsvp.secret": String(repeating: "b", count: 40)],
                environment: [:])
            let service = try OverstapService.open(settings: loaded.settings, clock: .fixed(Date(timeIntervalSince1970: 1_799_568_000)))
            let placed = try await service.match(.init(), commit: true).outcome.assignments.count
            let invited = try await service.invite(sessionID: nil, hold: false)
            // Final states and milestones as the lifecycle leaves them, written directly: the
            // benchmark measures the report, not 60,000 lifecycle transactions.
            try await DatabaseQueue(path: database).write { db in
                try db.execute(sql: """
                    UPDATE enrollment SET invited_at = updated_at,
                        state = CASE WHEN id % 20 < 2 THEN 'invited' WHEN id % 20 < 5 THEN 'declined'
                                     WHEN id % 20 < 7 THEN 'no_show' ELSE 'attended' END,
                        answered_at = CASE WHEN id % 20 < 2 THEN NULL ELSE updated_at END,
                        accepted_at = CASE WHEN id % 20 < 5 THEN NULL ELSE updated_at END;
                    INSERT INTO outcome (worker_id, result, sector, outcome_date, recorded_at)
                        SELECT e.worker_id, 'found_work', s.sector, date(substr(s.start_local, 1, 10), '+' || (e.id % 170) || ' days'),
                            '2027-10-01 00:00:00.000'
                        FROM enrollment e JOIN session s ON s.id = e.session_id WHERE e.state = 'attended' AND e.id % 5 < 2;
                    """)
            }
            let outcomes = try await DatabaseQueue(path: database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outcome") ?? 0 }
            print("placed \(placed), invited \(invited), outcomes \(outcomes)")
            var computed: [Double] = []
            var written: [String: [Double]] = [:]
            var sizes: [String: Int] = [:]
            for _ in 0..<runs {
                let start = ContinuousClock.now
                let report = try await service.report(period: "2027", region: nil)
                computed.append(Refill.milliseconds(ContinuousClock.now - start))
                for format in OverstapService.ReportFormat.allCases {
                    let begin = ContinuousClock.now
                    sizes[format.rawValue] = try service.renderReport(report, format: format).utf8.count
                    written[format.rawValue, default: []].append(Refill.milliseconds(ContinuousClock.now - begin))
                }
            }
            func median(_ values: [Double]) -> String { String(format: "%.1f ms", values.sorted()[values.count / 2]) }
            print("report 2027 (one read, figures, suppression), median of \(runs): \(median(computed))")
            for format in OverstapService.ReportFormat.allCases {
                print("  then \(format.rawValue): \(median(written[format.rawValue] ?? [0])) for \(sizes[format.rawValue] ?? 0) bytes")
            }
        }
    }
}
