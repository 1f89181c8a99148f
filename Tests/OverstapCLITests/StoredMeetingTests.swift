import OverstapTestSupport
import Testing

/// A stored session whose meeting has no instant (written by an older version, or a zone whose
/// rules changed) is named wherever its meetings are needed, never shown or matched at another time.
@Suite(.enabled(if: DatabaseShell.isAvailable, "needs the sqlite3 or psql shell"))
struct StoredMeetingTests {
    let cli = CLI()

    /// Creates the fixture session, then moves it straight in the database into the hour the
    /// clocks skip on 28 March 2027.
    func sessionInTheSkippedHour() throws -> String {
        try cli.addPartner()
        let id = try cli.createSession()
        try DatabaseShell.execute(
            "UPDATE session SET start_local = '2027-03-28 02:30', end_local = '2027-03-28 04:00' WHERE id = \(id);", in: cli.database)
        return id
    }

    @Test func showingItsMeetingsNamesTheSessionAndTheMeeting() throws {
        let id = try sessionInTheSkippedHour()
        expectRefused(try cli.run(["session", "show", id, "--json"]), mentioning: ["session \(id), meeting at 2027-03-28 02:30", "does not exist"])
    }

    @Test func matchingNamesTheSessionAndTheMeeting() throws {
        let id = try sessionInTheSkippedHour()
        expectRefused(try cli.run(["match", "--json"]), mentioning: ["session \(id), meeting at 2027-03-28 02:30", "does not exist"])
    }
}
