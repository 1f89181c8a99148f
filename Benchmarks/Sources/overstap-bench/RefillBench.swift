import ArgumentParser
import Foundation
import OverstapCore
import OverstapService
import OverstapStore
import Synchronization

extension OverstapBench {
    /// Times declines at scale: how long the transaction that frees a seat holds the write lock,
    /// and how long the follow-up that refills the seat from the waiting list takes.
    struct Refill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "refill", abstract: "Decline invitations on a `match-data` database and time the seat refill.")
        @Option(help: "SQLite file written by match-data.") var database: String
        @Option(help: "The repository's config file.") var config: String
        @Option(help: "How many declines to time.") var declines = 20

        func run() async throws {
            let mail = FileManager.default.temporaryDirectory.appendingPathComponent("refill-mail-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: mail) }
            let loaded = try await ConfigLoader().load(
                configFile: config,
                overrides: [
                    "database.url": "sqlite:\(database)", "mail.directory": mail,
                    "rsvp.secret": String(repeating: "b", count: 40),
                ],
                environment: [:])
            let opened = try OverstapService.open(settings: loaded.settings, clock: .fixed(Date(timeIntervalSince1970: 1_799_568_000)))
            let timed = TimedStore(opened.store)
            let service = OverstapService(store: timed, settings: opened.settings, catalogues: opened.catalogues, clock: opened.clock)
            print("workers: \(try await service.workers().count)")
            let placed = try await service.match(.init(), commit: true).outcome.assignments.count
            let invited = try await service.invite(sessionID: nil, hold: false)
            print("placed \(placed), invited \(invited)")

            let sessions = try await timed.read { tx in try await tx.sessions(SessionFilter()) }
            var tokens: [String] = []
            for stored in sessions where tokens.count < declines {
                let rows = try await timed.read { tx in try await tx.enrollments(sessionID: stored.id) }
                guard stored.seatsTaken == stored.session.capacity, let row = rows.first(where: { $0.enrollment.state == .invited }),
                    let id = row.enrollment.id, let link = try service.answerLink(enrollmentID: id)
                else { continue }
                tokens.append(String(link.split(separator: "/").last!))
            }
            var answers: [Double] = []
            var refills: [Double] = []
            var writes: [Double] = []
            var reads: [Double] = []
            var refilled = 0
            for token in tokens {
                timed.reset()
                let start = ContinuousClock.now
                guard case .success = try await service.answer(token: token, .decline) else { continue }
                answers.append(Self.milliseconds(ContinuousClock.now - start))
                let answerWrites = timed.spans().writes
                timed.reset()
                let refillStart = ContinuousClock.now
                try await service.refillFreedSeats()
                refills.append(Self.milliseconds(ContinuousClock.now - refillStart))
                let spans = timed.spans()
                writes.append((answerWrites + spans.writes).max() ?? 0)
                reads.append(spans.reads.max() ?? 0)
                refilled += spans.writes.isEmpty ? 0 : 1
            }
            func median(_ values: [Double]) -> String { String(format: "%.1f ms", values.sorted()[values.count / 2]) }
            print("declines timed: \(answers.count) (a waiting worker invited after \(refilled))")
            print("decline as the answer page takes it (POST /rsvp), median: \(median(answers)), max \(String(format: "%.1f ms", answers.max() ?? 0))")
            print("refill the dispatcher runs next, median: \(median(refills)), max \(String(format: "%.1f ms", refills.max() ?? 0))")
            print("longest write transaction per decline, median: \(median(writes)), max \(String(format: "%.1f ms", writes.max() ?? 0))")
            print("matching read (outside any write lock), median: \(median(reads))")
        }

        static func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
    }
}

/// A store that records how long each read and write transaction lasts.
final class TimedStore: OverstapStore {
    private let base: any OverstapStore
    private let recorded = Mutex<(reads: [Double], writes: [Double])>(([], []))

    init(_ base: any OverstapStore) { self.base = base }

    func reset() { recorded.withLock { $0 = ([], []) } }
    func spans() -> (reads: [Double], writes: [Double]) { recorded.withLock { $0 } }

    nonisolated(nonsending) func read<T>(_ body: @escaping (any StoreReader) async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { let span = OverstapBench.Refill.milliseconds(ContinuousClock.now - start); recorded.withLock { $0.reads.append(span) } }
        return try await base.read(body)
    }

    nonisolated(nonsending) func write<T>(_ body: @escaping (any StoreWriter) async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { let span = OverstapBench.Refill.milliseconds(ContinuousClock.now - start); recorded.withLock { $0.writes.append(span) } }
        return try await base.write(body)
    }

    func purgeErasedData() async throws { try await base.purgeErasedData() }
    func changeCounter() async throws -> Int { try await base.changeCounter() }

    func claimOutbox(
        owner: String, lease: TimeInterval, now: Date, limit: Int, workerID: Int64?, ownerIsGone: @escaping @Sendable (String) -> Bool
    ) async throws -> [OutboxMessage] {
        try await base.claimOutbox(owner: owner, lease: lease, now: now, limit: limit, workerID: workerID, ownerIsGone: ownerIsGone)
    }
}
