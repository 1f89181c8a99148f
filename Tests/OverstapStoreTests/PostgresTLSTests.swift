import Foundation
import OverstapStore
import OverstapTestSupport
import Testing

/// `database.tls` against the test cluster, which accepts TLS with a self-signed certificate for
/// 127.0.0.1 (`scripts/postgres-test-cluster.sh`): the server shows which connections are encrypted.
@Suite(.enabled(if: TestDatabase.postgresAdminURL != nil, "needs OVERSTAP_TEST_POSTGRES_URL"))
struct PostgresTLSTests {
    private let database: PostgresTestServer.Database

    init() throws {
        database = try PostgresTestServer.Database()
    }

    /// The cluster's own certificate, which the tests trust as their CA.
    private func clusterCertificate() throws -> String {
        let path = try database.psql("SHOW data_directory") + "/server.crt"
        let ready = try database.psql("SHOW ssl") == "on" && FileManager.default.isReadableFile(atPath: path)
        try #require(ready, "the test cluster has no TLS; make it again: scripts/postgres-test-cluster.sh stop, then start")
        return path
    }

    private func store(_ tls: PostgresStore.TLSMode) throws -> PostgresStore {
        try PostgresStore(
            endpoint: PostgresStore.Endpoint(host: "127.0.0.1", port: database.port, username: database.user, database: database.name, password: nil, tls: tls),
            schema: .migrateWhenEmpty)
    }

    /// The store's connections to the database as the server sees them: how many, how many encrypted.
    private func serverSideConnections() throws -> (all: Int, encrypted: Int) {
        let counts = try database.psql("""
            SELECT count(*), count(*) FILTER (WHERE s.ssl) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
            """).split(separator: "|").compactMap { Int($0) }
        return (counts.first ?? 0, counts.last ?? 0)
    }

    @Test func verifyFullWithTheServersCertificateAsCAConnectsEncrypted() async throws {
        let store = try store(.verifyFull(caFile: try clusterCertificate()))
        defer { store.shutdown() }
        #expect(try await store.read { try await $0.partners() }.isEmpty)
        let connections = try serverSideConnections()
        #expect(connections.all >= 1)
        #expect(connections.encrypted == connections.all, "every connection of the store is encrypted")
    }

    @Test func requireEncryptsWithoutACA() async throws {
        let store = try store(.require)
        defer { store.shutdown() }
        #expect(try await store.read { try await $0.partners() }.isEmpty)
        let connections = try serverSideConnections()
        #expect(connections.all >= 1 && connections.encrypted == connections.all)
    }

    @Test func disableStaysPlain() async throws {
        let store = try store(.disable)
        defer { store.shutdown() }
        _ = try await store.read { try await $0.partners() }
        let connections = try serverSideConnections()
        #expect(connections.all >= 1 && connections.encrypted == 0)
    }

    @Test func verifyFullRefusesAServerItsCADidNotSign() async throws {
        let folder = try TemporaryDirectory()
        let otherCA = folder.file("other-ca.crt")
        let made = try CLI.shellResult("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder.file("other-ca.key"), "-out", otherCA,
        ])
        try #require(made.status == 0, "openssl: \(made.output)")
        let store = try store(.verifyFull(caFile: otherCA))
        defer { store.shutdown() }
        await #expect {
            try await store.read { try await $0.partners() }
        } throws: { error in
            "\(error)".contains("TLS certificate was not accepted") && "\(error)".contains("database.ca_file")
        }
        #expect(try serverSideConnections().all == 0, "nothing was opened to the database")
    }
}
