import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport
import Testing

/// How `database.url`, `database.password`, `database.tls` and `database.ca_file` name a database.
struct DatabaseSettingsTests {
    func settings(_ environment: [String: String]) async throws -> OverstapSettings {
        try await ConfigLoader().load(configFile: Repository.configFile, overrides: [:], environment: environment).settings
    }

    @Test func aSQLiteURLNamesItsFile() async throws {
        let loaded = try await settings(["OVERSTAP_DATABASE_URL": "sqlite:/srv/overstap/data.sqlite"])
        #expect(loaded.database == .sqlite(path: "/srv/overstap/data.sqlite"))
    }

    @Test func aPostgresURLOnALoopbackHostDefaultsToNoTLS() async throws {
        let loaded = try await settings([
            "OVERSTAP_DATABASE_URL": "postgres://overstap@127.0.0.1:54329/overstap", "OVERSTAP_DATABASE_PASSWORD": "s3cret",
        ])
        #expect(
            loaded.database
                == .postgres(.init(host: "127.0.0.1", port: 54329, username: "overstap", database: "overstap", password: "s3cret", tls: .disable)))
        #expect(loaded.database.place == "127.0.0.1:54329/overstap")
    }

    @Test func anyOtherHostDefaultsToRequiredTLSOnThePostgresPort() async throws {
        let loaded = try await settings(["OVERSTAP_DATABASE_URL": "postgresql://team%2Bone@db.example.org/overstap%20prod"])
        #expect(
            loaded.database
                == .postgres(.init(host: "db.example.org", port: 5432, username: "team+one", database: "overstap prod", password: nil, tls: .require)))
    }

    @Test func verifyFullTakesTheCAFileAndAnIPv6HostIsBracketed() async throws {
        let loaded = try await settings([
            "OVERSTAP_DATABASE_URL": "postgres://overstap@[2001:db8::5]:6432/overstap", "OVERSTAP_DATABASE_TLS": "verify-full",
            "OVERSTAP_DATABASE_CA_FILE": "/etc/ssl/managed-ca.pem",
        ])
        #expect(
            loaded.database
                == .postgres(.init(
                    host: "2001:db8::5", port: 6432, username: "overstap", database: "overstap", password: nil,
                    tls: .verifyFull(caFile: "/etc/ssl/managed-ca.pem"))))
        #expect(loaded.database.place == "[2001:db8::5]:6432/overstap")
    }

    @Test func urlsWithoutUserDatabaseOrWithParametersAreRefused() async throws {
        let refusals = [
            "postgres://db.example.org/overstap": "names no user",
            "postgres://overstap@db.example.org": "names no database",
            "postgres://overstap@db.example.org/overstap?sslmode=require": "has parameters after the database name",
            "sqlite:": "the SQLite path is empty",
        ]
        for (url, problem) in refusals {
            do {
                _ = try await settings(["OVERSTAP_DATABASE_URL": url])
                Issue.record("\(url) was accepted")
            } catch let error as InputError {
                #expect(error.place == "database.url", "\(url)")
                #expect(error.problem.contains(problem), "\(url): \(error)")
            }
        }
    }

    @Test func thePasswordIsASecretThatConfigCheckMasks() {
        #expect(OverstapSettings.keys.first { $0.name == "database.password" }?.isSecret == true)
    }
}
