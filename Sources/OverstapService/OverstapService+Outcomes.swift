import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What an outcome import stored.
    public struct OutcomeImportResult: Sendable, Equatable {
        /// Outcomes added.
        public var rows: Int
        /// Distinct people they are about.
        public var people: Int
    }

    /// Today's date in the team's zone, by the service's clock.
    func today() throws -> LocalDate {
        try ZoneResolver(identifier: settings.timezone, place: "timezone").local(of: clock.now()).date
    }

    /// Adds an outcome to a person's history; `result`, `sector` and `date` are checked as typed
    /// (an empty date is today) and problems name the option.
    public func recordOutcome(email: String, result: String, sector: String?, date: String?) async throws -> Outcome {
        var problems: [InputError] = []
        let parsed = Outcome.parse(
            result: result, sector: sector ?? "", date: date ?? "", today: try today(), sectors: catalogues.sectors, place: { "--\($0)" },
            problems: &problems)
        guard problems.isEmpty, let outcome = parsed else { throw InputErrors(problems) }
        let now = clock.now()
        try await store.write { tx in
            guard let worker = try await tx.worker(email: email), let id = worker.id else {
                throw NotFoundError(kind: "worker", key: email, fix: "list workers with: overstap worker list")
            }
            try await tx.insert(outcome, workerID: id, now: now)
        }
        return outcome
    }

    /// Imports a follow-up list (`email,result,sector,date`): every row is checked, including that
    /// the person is known, and all are stored or none.
    public func importOutcomes(path: String) async throws -> OutcomeImportResult {
        let rows = try OutcomeCSV(sectors: catalogues.sectors, today: try today()).parse(try Self.readImportFile(path), fileName: path)
        let now = clock.now()
        return try await store.write { tx in
            var ids: [Int64] = []
            var problems: [InputError] = []
            for row in rows {
                if let id = try await tx.worker(email: row.email)?.id {
                    ids.append(id)
                } else {
                    problems.append(InputError(
                        place: "\(path):\(row.line): \(row.emailColumn)", problem: "no worker '\(row.email)'",
                        fix: "import the person first (overstap worker import) or correct the address"))
                }
            }
            guard problems.isEmpty else { throw InputErrors(problems) }
            for (row, id) in zip(rows, ids) { try await tx.insert(row.outcome, workerID: id, now: now) }
            return OutcomeImportResult(rows: rows.count, people: Set(ids).count)
        }
    }

    /// A person's outcome history, oldest first.
    public func outcomes(email: String) async throws -> [Outcome] {
        try await store.read { tx in
            guard let id = try await tx.worker(email: email)?.id else {
                throw NotFoundError(kind: "worker", key: email, fix: "list workers with: overstap worker list")
            }
            return try await tx.outcomes(workerID: id)
        }
    }
}
