import Foundation
import GRDB
import OverstapCore
@testable import OverstapStore
import OverstapTestSupport
import Testing

/// A store on a fresh database (`TestDatabase`: a SQLite file in a temporary folder, or
/// PostgreSQL on that pass), with builders for the values the tests store.
struct StoreFixture {
    let directory = TemporaryDirectory()
    let database: TestDatabase
    let store: any OverstapStore

    /// The instant the fixture's writes happen at (whole seconds: the store keeps milliseconds).
    static let now = instant("2027-01-10T08:00:00Z")

    /// The pass's store; with `onSQLite`, a SQLite store on either pass (to compare the backends).
    init(onSQLite: Bool = false) throws {
        database = try TestDatabase(in: directory, sqliteFile: "data/overstap.sqlite")
        store = onSQLite ? try SQLiteStore(path: directory.file("data/overstap.sqlite")) : try database.openStore()
    }

    /// The SQLite store, for the tests about SQLite itself (they run on the SQLite pass only).
    var sqlite: SQLiteStore {
        get throws { try #require(store as? SQLiteStore, "a test about SQLite ran on PostgreSQL") }
    }

    /// A database at `path` that took only the first `count` migrations, as an older release left it.
    static func olderDatabase(at path: String, migrations count: Int) throws -> DatabaseQueue {
        var older = DatabaseMigrator()
        for migration in Migrations.all.prefix(count) {
            older.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        let queue = try DatabaseQueue(path: path)
        try older.migrate(queue)
        return queue
    }

    /// True when the database holds `text`: in any of SQLite's files, in raw bytes, or in any
    /// PostgreSQL row (`TestDatabase.holds`).
    func filesContain(_ text: String) throws -> Bool {
        try database.holds(text)
    }

    /// An RFC 3339 instant.
    static func instant(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    /// A school partner in a region.
    static func partner(_ slug: String, region: String? = "midden-utrecht") -> Partner {
        Partner(slug: slug, name: "Partner \(slug)", email: "planning@\(slug).example.org", kind: .school, region: region)
    }

    /// A one-meeting session of 90 minutes at a local time in Amsterdam in winter (UTC+1).
    static func session(
        _ title: String, partners: [String] = ["roc-midden"], region: String = "midden-utrecht", day: Int = 2, month: Int = 2
    ) -> Session {
        let start = LocalDateTime(year: 2027, month: month, day: day, hour: 19, minute: 0)
        return Session(
            uid: "\(title.lowercased().replacingOccurrences(of: " ", with: "-"))@example.org", title: title,
            description: "Wat u leert.\nTweede regel.", kind: .training, partners: partners, sector: "zorg",
            audience: ["horeca", "reizen"], start: start, end: start.adding(minutes: 90), timezone: "Europe/Amsterdam",
            recurrence: nil, capacity: 20, venue: .online(URL(string: "https://meet.example.org/\(title.count)")!),
            region: region, language: "nl", updatedAt: now)
    }

    /// The first meeting's start and last meeting's end of a `session(…)` built with the same day (UTC+1).
    static func span(day: Int = 2, month: Int = 2) -> (start: Date, end: Date) {
        let start = instant(String(format: "2027-%02d-%02dT18:00:00Z", month, day))
        return (start, start.addingTimeInterval(90 * 60))
    }

    /// A worker with every field filled, so a round trip checks them all.
    static func worker(_ email: String, name: String = "Anouk de Vries") -> Worker {
        Worker(
            email: email, name: name, sector: "horeca", targets: ["zorg", "techniek"], region: "midden-utrecht",
            languages: ["nl", "en"],
            availability: [
                WeeklyWindow(weekday: 2, startMinute: 18 * 60, endMinute: 21 * 60),
                WeeklyWindow(weekday: 6, startMinute: 9 * 60, endMinute: 12 * 60 + 30),
            ],
            availableFrom: LocalDate(year: 2027, month: 2, day: 1), availableUntil: nil, status: .atRisk, locale: "en")
    }

    /// Stores a session built by `session(…)` and returns its id.
    func insert(_ session: Session, day: Int = 2, month: Int = 2) async throws -> Int64 {
        let span = Self.span(day: day, month: month)
        return try await store.write { try await $0.insert(session, startsAt: span.start, endsAt: span.end, now: Self.now) }
    }

    /// The stored id of a worker.
    func workerID(_ email: String) async throws -> Int64 {
        try #require(try await store.read { try await $0.worker(email: email) }?.id)
    }
}
