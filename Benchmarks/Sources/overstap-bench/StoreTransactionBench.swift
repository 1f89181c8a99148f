import ArgumentParser
import Foundation
import GRDB
import OverstapCore
import OverstapService
import OverstapStore

extension OverstapBench {
    /// Times one-query transactions through the async store (its body runs on GRDB's thread via
    /// `ThreadBoundExecutor`) beside the same query through GRDB's own async API.
    struct StoreTransactions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-transactions", abstract: "Time small read and write transactions, store against plain GRDB.")
        @Option(help: "Workers in the database.") var workers = 10_000
        @Option(help: "Transactions per measurement.") var count = 20_000
        @Option(help: "Random seed.") var seed: UInt64 = 42

        func run() async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-bench-\(getpid())")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("store.sqlite").path
            let store = try SQLiteStore(path: path)
            let now = Date(timeIntervalSince1970: 1_799_568_000)
            let people = (0..<workers).map { index in
                Worker(
                    email: "worker\(index)@bench.example.org", name: "Deelnemer \(index)", sector: "horeca", targets: ["zorg"],
                    region: "midden-utrecht", languages: ["nl"], availability: [], availableFrom: nil, availableUntil: nil,
                    status: .unemployed, locale: "nl")
            }
            _ = try await store.write { tx in try await tx.upsert(people, now: now) }
            let plain = try DatabasePool(path: path)
            var random = SeededGenerator(seed: seed)
            let emails = (0..<count).map { _ in "worker\(Int.random(in: 0..<workers, using: &random))@bench.example.org" }
            let ids = (0..<count).map { _ in Int64.random(in: 1...Int64(workers), using: &random) }

            let storeRead = try await timed(emails) { email in _ = try await store.read { tx in try await tx.worker(email: email) } }
            let plainRead = try await timed(emails) { email in
                _ = try await plain.read { db in try Row.fetchOne(db, sql: "SELECT * FROM worker WHERE email = ? COLLATE NOCASE", arguments: [email]) }
            }
            let storeWrite = try await timed(ids) { id in _ = try await store.write { tx in try await tx.markDeliverable(workerID: id) } }
            let plainWrite = try await timed(ids) { id in
                try await plain.write { db in try db.execute(sql: "UPDATE worker SET undeliverable_since = NULL WHERE id = ?", arguments: [id]) }
            }
            print("one-query transactions, \(count) each, \(workers) workers (microseconds per transaction, median / p99):")
            print("  read   store \(storeRead)   plain GRDB \(plainRead)")
            print("  write  store \(storeWrite)   plain GRDB \(plainWrite)")
        }

        private func timed<Input>(_ inputs: [Input], _ transaction: (Input) async throws -> Void) async throws -> String {
            var spans: [Double] = []
            spans.reserveCapacity(inputs.count)
            for input in inputs {
                let start = ContinuousClock.now
                try await transaction(input)
                let elapsed = ContinuousClock.now - start
                spans.append(Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
            }
            spans.sort()
            return String(format: "%.1f / %.1f", spans[spans.count / 2], spans[spans.count * 99 / 100])
        }
    }
}
