import Foundation
import Mail
import OverstapCore
import OverstapStore

extension OverstapService {
    /// The largest worker file accepted; far above any region's export, far below what hurts.
    public static let maximumImportBytes = 256 * 1024 * 1024

    /// What an import did (or, with `dryRun`, would do).
    public struct ImportResult: Sendable, Equatable {
        public var rows: Int
        public var inserted: Int
        public var updated: Int
        public var dryRun: Bool
        /// Columns left out unread (`--skip-unknown-columns`), as the file names them.
        public var skippedColumns: [String]

        /// Creates a result.
        public init(rows: Int, inserted: Int, updated: Int, dryRun: Bool, skippedColumns: [String] = []) {
            self.rows = rows
            self.inserted = inserted
            self.updated = updated
            self.dryRun = dryRun
            self.skippedColumns = skippedColumns
        }
    }

    /// Imports a worker CSV: all rows or none.
    public func importWorkers(path: String, dryRun: Bool, skipUnknownColumns: Bool = false) async throws -> ImportResult {
        let contents = try Self.readWorkerFile(path, catalogues: catalogues, skipUnknownColumns: skipUnknownColumns)
        let workers = contents.rows.map(\.worker)
        if dryRun {
            let known = try await store.read { tx in await Set(try tx.workers().map { $0.email.lowercased() }) }
            return Self.preview(workers, known: known, skipped: contents.skippedColumns)
        }
        let now = clock.now()
        let counts = try await store.write { try await $0.upsert(workers, now: now) }
        return ImportResult(
            rows: workers.count, inserted: counts.inserted, updated: counts.updated, dryRun: false,
            skippedColumns: contents.skippedColumns)
    }

    /// Checks a worker CSV and counts what an import would change, writing nothing: a database
    /// that does not exist yet is not created (every row would be new).
    public static func previewWorkerImport(path: String, skipUnknownColumns: Bool, settings: OverstapSettings) async throws -> ImportResult {
        let catalogues = try CatalogueLoader.load(folder: settings.cataloguesPath)
        let contents = try readWorkerFile(path, catalogues: catalogues, skipUnknownColumns: skipUnknownColumns)
        let workers = contents.rows.map(\.worker)
        let store: any OverstapStore
        switch settings.database {
        case .sqlite(let databasePath):
            guard FileManager.default.fileExists(atPath: databasePath) else {
                return preview(workers, known: [], skipped: contents.skippedColumns)
            }
            store = try SQLiteStore(path: databasePath)
        case .postgres(let endpoint):
            let postgres = try PostgresStore(endpoint: endpoint, schema: .unchecked)
            guard try await !postgres.migrationStatus().applied.isEmpty else {
                return preview(workers, known: [], skipped: contents.skippedColumns)
            }
            store = try PostgresStore(endpoint: endpoint, schema: .requireCurrent)
        }
        let known = try await store.read { tx in await Set(try tx.workers().map { $0.email.lowercased() }) }
        return preview(workers, known: known, skipped: contents.skippedColumns)
    }

    private static func readWorkerFile(
        _ path: String, catalogues: CatalogueLoader.Catalogues, skipUnknownColumns: Bool
    ) throws -> WorkerCSV.Contents {
        let bytes = try readImportFile(path)
        return try WorkerCSV(sectors: catalogues.sectors, regions: catalogues.regions)
            .read(bytes, fileName: path, skipUnknownColumns: skipUnknownColumns)
    }

    private static func preview(_ workers: [Worker], known: Set<String>, skipped: [String]) -> ImportResult {
        let updated = workers.filter { known.contains($0.email.lowercased()) }.count
        return ImportResult(rows: workers.count, inserted: workers.count - updated, updated: updated, dryRun: true, skippedColumns: skipped)
    }

    /// Adds one person who is not in the last export, with the import's checks; `values` are by
    /// CSV column name and `placeOf` names the option each came from. Refused when the address is
    /// known already (an import updates known people).
    public func addWorker(values: [String: String], placeOf: @escaping @Sendable (String) -> String) async throws -> Worker {
        let worker = try WorkerCSV(sectors: catalogues.sectors, regions: catalogues.regions).worker(values: values, placeOf: placeOf)
        let now = clock.now()
        return try await store.write { tx in
            if let known = try await tx.worker(email: worker.email) {
                throw InputError(
                    place: placeOf("email"), problem: "\(known.email) is a worker already (\(known.name))",
                    fix: "see them with: overstap worker show \(known.email); a CSV import updates known people")
            }
            _ = try await tx.upsert([worker], now: now)
            guard let stored = try await tx.worker(email: worker.email) else {
                throw NotFoundError(kind: "worker", key: worker.email, fix: "try again")
            }
            return stored
        }
    }

    /// All workers in import order.
    public func workers() async throws -> [Worker] { try await store.read { try await $0.workers() } }

    /// One worker with their enrollments.
    public func worker(email: String) async throws -> (worker: Worker, enrollments: [EnrollmentWithSession]) {
        try await store.read { tx in
            let worker = try await existingWorker(email: email, tx)
            return (worker, try await tx.enrollments(workerID: worker.id ?? 0))
        }
    }

    /// Forgets a person. First every upcoming session they were invited to is cancelled in their
    /// calendar (the cancellations are sent now); then their rows, outbox messages and `.eml`
    /// files are erased and the database's traces purged from disk. When mail cannot leave,
    /// nothing is erased and the call fails with `MailUnavailableError`.
    public func removeWorker(email: String, transport: any MailTransport) async throws {
        let workerID = try await store.write { tx in
            let worker = try await existingWorker(email: email, tx)
            let id = worker.id ?? 0
            let now = clock.now()
            for row in try await tx.enrollments(workerID: id) where row.session.session.status == .scheduled && row.session.startsAt > now {
                try await applyLifecycleIfAllowed(.personErased, to: row.enrollment, tx)
            }
            return id
        }
        try await refillFreedSeats()
        let report = try await sendDue(through: transport, workerID: workerID)
        if let failure = report.transportFailure { throw MailUnavailableError(reason: failure) }
        removeMailFiles(try await store.read { try await Self.outboxMessageIDs(of: [workerID], $0) })
        try await store.write { tx in try await tx.deleteWorker(id: workerID) }
        try await store.purgeErasedData()
    }

    /// The Message-IDs of every outbox message to these people (their `.eml` files' names).
    static func outboxMessageIDs(of workerIDs: [Int64], _ tx: any StoreReader) async throws -> [String] {
        var ids: [String] = []
        for workerID in workerIDs { ids += try await tx.outbox(OutboxFilter(workerID: workerID)).map(\.messageID) }
        return ids
    }

    /// Deletes the file transport's copies of these messages, where it wrote any.
    func removeMailFiles(_ messageIDs: [String]) {
        let files = FileTransport(directory: settings.mail.directory)
        for id in messageIDs { try? FileManager.default.removeItem(atPath: files.path(of: id)) }
    }

    func existingWorker(email: String, _ tx: any StoreReader) async throws -> Worker {
        guard let worker = try await tx.worker(email: email) else {
            throw NotFoundError(kind: "worker", key: email, fix: "list workers with: overstap worker list")
        }
        return worker
    }

    static func readImportFile(_ path: String) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw InputError(place: path, problem: "is a folder, not a file", fix: "give the path of the CSV file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(place: path, problem: "cannot open the file", fix: "check the path and that you may read it")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        guard size <= UInt64(maximumImportBytes) else {
            throw InputError(
                place: path, problem: "is \(size / 1_048_576) MiB; the limit is \(maximumImportBytes / 1_048_576) MiB",
                fix: "split the file and import the parts")
        }
        try handle.seek(toOffset: 0)
        return [UInt8](handle.readDataToEndOfFile())
    }
}
