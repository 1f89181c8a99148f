import Foundation
import OverstapTestSupport
import Testing

struct ConfigCheckTests {
    let cli = CLI()

    @Test func theEffectiveValuesAreListed() throws {
        let result = try cli.run(["config", "check", "--config", Repository.configFile])
        expectSuccess(result)
        #expect(result.stdout.contains("config file: \(Repository.configFile)"))
        #expect(result.stdout.contains("organiser.email"))
        #expect(result.stdout.contains("mobiliteitsteam@example.org"))
        #expect(result.stdout.contains("Europe/Amsterdam"))
        #expect(result.stdout.contains("no unknown keys"))
    }

    @Test func theEnvironmentAndTheOptionOverrideTheFile() throws {
        let fromEnvironment = try cli.run(["config", "check"], env: ["OVERSTAP_DATABASE_URL": "sqlite:elders.sqlite"])
        expectSuccess(fromEnvironment)
        #expect(fromEnvironment.stdout.contains("sqlite:elders.sqlite"))
        let fromOption = try cli.run(
            ["config", "check", "--database-url", "sqlite:optie.sqlite"], env: ["OVERSTAP_DATABASE_URL": "sqlite:elders.sqlite"])
        #expect(fromOption.stdout.contains("sqlite:optie.sqlite"))
        #expect(!fromOption.stdout.contains("sqlite:elders.sqlite"))
    }

    @Test func aMisspelledKeyIsNamed() throws {
        let original = try String(contentsOfFile: Repository.configFile, encoding: .utf8)
        let misspelled = original.replacingOccurrences(of: "  email: ", with: "  emial: ")
        #expect(misspelled != original)
        let path = try cli.directory.write("misspelled.yaml", misspelled)
        let result = try cli.run(["config", "check", "--config", path])
        expectRefused(result, mentioning: [path, "unknown key 'organiser.emial'", "misspelled"], quietStdout: false)
    }

    @Test func aMissingConfigFileIsRefused() throws {
        let missing = cli.directory.file("nergens.yaml")
        expectRefused(try cli.run(["partner", "list", "--config", missing]), mentioning: ["--config", missing])
        expectRefused(try cli.run(["partner", "list"], env: ["OVERSTAP_CONFIG": missing]), mentioning: ["OVERSTAP_CONFIG", missing])
    }

    @Test func anUnsupportedDatabaseURLIsRefused() throws {
        let result = try cli.run(["partner", "list", "--database-url", "mysql://localhost/overstap"])
        expectRefused(result, mentioning: ["database.url", "sqlite:PATH"])
    }
}

struct DatabaseLocationTests {
    let cli = CLI()

    @Test func theDatabaseURLOptionRedirectsTheData() throws {
        let other = cli.directory.file("ander.sqlite")
        expectSuccess(try cli.run([
            "partner", "add", "--name", "Elders", "--email", "a@elders.nl", "--database-url", "sqlite:\(other)",
        ]))
        #expect(FileManager.default.fileExists(atPath: other))
        let there = try cli.run(["partner", "list", "--json", "--database-url", "sqlite:\(other)"])
        #expect(there.stdout.contains("elders"))
        let here = try cli.run(["partner", "list", "--json"])
        #expect(!here.stdout.contains("elders"))
    }

    @Test func theEnvironmentVariableRedirectsTheData() throws {
        let environment = ["OVERSTAP_DATABASE_URL": "sqlite:omgeving/data.sqlite"]
        expectSuccess(try cli.run(["partner", "add", "--name", "Omgeving", "--email", "a@omgeving.nl"], env: environment))
        #expect(FileManager.default.fileExists(atPath: cli.directory.file("omgeving/data.sqlite")))
        #expect(try cli.run(["partner", "list", "--json"], env: environment).stdout.contains("omgeving"))
        #expect(!(try cli.run(["partner", "list", "--json"]).stdout.contains("omgeving")))
    }
}

struct CommandLineErrorTests {
    let cli = CLI()

    @Test(arguments: [["frobnicate"], ["session", "reschedule", "1"], ["partner", "list", "--colour"], ["session", "show"]])
    func aMistypedCommandLineIsAUsageError(arguments: [String]) throws {
        let result = try cli.run(arguments)
        expectRefused(result, status: 2, mentioning: ["overstap"])
    }

    @Test func helpIsPrintedWithSuccess() throws {
        let result = try cli.run(["session", "create", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--repeat"))
    }

    @Test(arguments: ["gisteren", "2027-01-10 09:00", "2027-13-10T09:00:00+01:00"])
    func aMalformedClockIsRefused(now: String) throws {
        let result = try cli.run(["partner", "list"], env: ["OVERSTAP_NOW": now])
        expectRefused(result, mentioning: ["OVERSTAP_NOW", "is not an RFC 3339 time"])
    }

    @Test(arguments: ["2027-01-10T08:00:00Z", "2027-01-10T09:00:00.250+01:00"])
    func anyRFC3339ClockIsAccepted(now: String) throws {
        expectSuccess(try cli.run(["partner", "list"], env: ["OVERSTAP_NOW": now]))
    }

    @Test func theFixedClockDecidesWhatIsInThePast() throws {
        try cli.addPartner()
        let draft = SessionDraft().with("--start", "2027-01-10 09:30")
        expectSuccess(try cli.run(draft.arguments))
        let later = try cli.run(draft.arguments, env: ["OVERSTAP_NOW": "2027-01-10T10:00:00+01:00"])
        expectRefused(later, mentioning: ["in the past"])
    }
}

/// SQLite's write lock covers the whole file; PostgreSQL locks rows, so no other process can make
/// a write wait like this there.
@Suite(.enabled(if: TestDatabase.isSQLite && DatabaseShell.isAvailable, "SQLite's file lock, with the sqlite3 shell"))
struct BusyDatabaseTests {
    let cli = CLI()

    @Test func aWriteWhileAnotherProcessWritesAsksToTryAgainLater() throws {
        try cli.addPartner()
        let result = try DatabaseShell.whileLocked(cli.database) {
            try cli.run(["partner", "add", "--name", "Later", "--email", "later@example.org"])
        }
        expectRefused(result, status: 75, mentioning: ["busy", "try again"])
        expectSuccess(try cli.run(["partner", "add", "--name", "Later", "--email", "later@example.org"]))
    }
}
