import Foundation
import OverstapTestSupport
import Testing

struct WorkerCommandTests {
    let cli = CLI()
    /// An address and name found nowhere else, so a byte search cannot match something unrelated.
    let forgotten = (email: "zebedeus.q7x@vergeet-mij.example", name: "Zebedeus Qwerty")

    init() throws {
        let csv = [
            WorkerFile.header, WorkerFile.row("anouk@example.nl", name: "Anouk de Vries"),
            WorkerFile.row(forgotten.email, name: forgotten.name), WorkerFile.row("daan@example.nl", name: "Daan Bakker"),
        ]
        let path = try cli.directory.write("workers.csv", csv.joined(separator: "\n"))
        expectSuccess(try cli.run(["worker", "import", path]))
    }

    @Test func workersAreListedInImportOrder() throws {
        let table = try cli.run(["worker", "list"])
        expectSuccess(table)
        #expect(table.stdout.contains("anouk@example.nl"))
        #expect(table.stdout.contains("zorg|techniek"))
        let json = try cli.run(["worker", "list", "--json"])
        expectSuccess(json)
        #expect(allKeysAreSnakeCase(try json.json()))
        #expect(try cli.workers().compactMap { $0["email"] as? String } == ["anouk@example.nl", forgotten.email, "daan@example.nl"])
    }

    @Test func aWorkerIsShownByAddressIgnoringCase() throws {
        let text = try cli.run(["worker", "show", "ANOUK@example.NL"])
        expectSuccess(text)
        #expect(text.stdout.contains("Anouk de Vries <anouk@example.nl>"))
        #expect(text.stdout.contains("available: di 18:00-21:00"))
        #expect(text.stdout.contains("no enrollments"))

        let json = try cli.run(["worker", "show", "anouk@example.nl", "--json"])
        expectSuccess(json)
        let object = try #require(try json.json() as? [String: Any])
        #expect((object["worker"] as? [String: Any])?["region"] as? String == "midden-utrecht")
        #expect((object["enrollments"] as? [Any])?.isEmpty == true)
        #expect(allKeysAreSnakeCase(object))
    }

    @Test func anUnknownWorkerIsRefused() throws {
        expectRefused(try cli.run(["worker", "show", "niemand@example.nl"]), mentioning: ["no worker 'niemand@example.nl'", "overstap worker list"])
        expectRefused(try cli.run(["worker", "remove", "niemand@example.nl"]), mentioning: ["no worker 'niemand@example.nl'"])
    }

    @Test func aRemovedWorkerIsFoundNowhereOnDisk() throws {
        #expect(try cli.database.holds(forgotten.email), "the search must see the address before removal")

        let removed = try cli.run(["worker", "remove", forgotten.email.uppercased()])
        expectSuccess(removed)
        #expect(removed.stdout == "removed\n")

        #expect(try cli.workers().compactMap { $0["email"] as? String } == ["anouk@example.nl", "daan@example.nl"])
        #expect(try !cli.database.holds(forgotten.email), "the database still holds the address")
        #expect(try !cli.database.holds(forgotten.name), "the database still holds the name")
        expectRefused(try cli.run(["worker", "remove", forgotten.email]), mentioning: ["no worker"])
    }

    /// True when the file exists and its raw bytes contain `text` (like `grep -a`).
    static func file(_ path: String, contains text: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return data.range(of: Data(text.utf8)) != nil
    }
}

/// Enrollments have no command of their own yet (matching fills them), so these tests write them
/// with the database's shell, where the machine has it.
@Suite(.enabled(if: DatabaseShell.isAvailable, "needs the sqlite3 or psql shell"))
struct EnrollmentViewTests {
    let cli = CLI()
    let session: String

    init() throws {
        try cli.addPartner()
        session = try cli.createSession()
        let csv = [
            WorkerFile.header, WorkerFile.row("anouk@example.nl", name: "Anouk de Vries"),
            WorkerFile.row("daan@example.nl", name: "Daan Bakker"), WorkerFile.row("ewa@example.nl", name: "Ewa Nowak"),
        ]
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv.joined(separator: "\n"))]))
        try enroll("anouk@example.nl", "accepted")
        try enroll("daan@example.nl", "declined")
        try enroll("ewa@example.nl", "tentative")
    }

    /// Gives a worker an enrollment in the fixture session.
    private func enroll(_ email: String, _ state: String) throws {
        try DatabaseShell.execute(
            """
            INSERT INTO enrollment (session_id, worker_id, state, updated_at)
            SELECT \(session), id, '\(state)', '2027-01-10 08:00:00.000' FROM worker WHERE email_key = '\(email)';
            """, in: cli.database)
    }

    @Test func sessionShowListsEnrollmentsByStateAndCountsSeats() throws {
        let (view, enrollments) = try cli.showSession(session)
        #expect(enrollments.compactMap { $0["worker"] as? String } == ["anouk@example.nl", "daan@example.nl", "ewa@example.nl"])
        #expect(enrollments.compactMap { $0["state"] as? String } == ["accepted", "declined", "tentative"])
        #expect(view["seats_taken"] as? Int == 2, "tentative holds a seat, declined does not")
        #expect(view["seats_free"] as? Int == 18)
        let text = try cli.run(["session", "show", session])
        #expect(text.stdout.contains("enrollments (3):"))
        #expect(text.stdout.contains("accepted (1): Anouk de Vries <anouk@example.nl>"))
        #expect(text.stdout.contains("tentative (1): Ewa Nowak <ewa@example.nl>"))
    }

    @Test func workerShowListsTheirSessions() throws {
        let result = try cli.run(["worker", "show", "anouk@example.nl", "--json"])
        expectSuccess(result)
        let object = try #require(try result.json() as? [String: Any])
        let enrollments = try #require(object["enrollments"] as? [[String: Any]])
        #expect(enrollments.count == 1)
        #expect(enrollments.first?["session"] as? String == session)
        #expect(enrollments.first?["start"] as? String == "2027-02-02T19:00:00+01:00")
        #expect(enrollments.first?["state"] as? String == "accepted")
    }

    @Test func cancellingTheSessionCancelsTheEnrollments() throws {
        expectSuccess(try cli.run(["session", "cancel", session]))
        let (view, enrollments) = try cli.showSession(session)
        #expect(enrollments.compactMap { $0["state"] as? String } == ["cancelled", "cancelled", "cancelled"])
        #expect(view["seats_taken"] as? Int == 0)
    }

    @Test func removingAWorkerRemovesTheirEnrollments() throws {
        expectSuccess(try cli.run(["worker", "remove", "anouk@example.nl"]))
        let (view, enrollments) = try cli.showSession(session)
        #expect(enrollments.compactMap { $0["worker"] as? String } == ["daan@example.nl", "ewa@example.nl"])
        #expect(view["seats_taken"] as? Int == 1)
    }
}
