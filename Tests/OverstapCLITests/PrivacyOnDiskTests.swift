import Foundation
import OverstapTestSupport
import Testing

/// The database and the mail folder hold names, addresses and employment status: only their
/// owner may read them, whatever the umask, and files an older version left open are closed.
struct PrivacyOnDiskTests {
    let cli = CLI()

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func sendOneInvitation(umask: String) throws {
        try cli.addPartner()
        _ = try cli.createSession()
        let csv = "email,name,sector,targets,region,languages,availability,status\n"
            + "p0@example.org,Anouk,horeca,zorg,midden-utrecht,nl,di 18:00-22:00,unemployed\n"
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("w.csv", csv)], umask: umask))
        expectSuccess(try cli.run(["match", "--commit"], umask: umask))
        expectSuccess(try cli.run(["invite"], umask: umask))
        expectSuccess(try cli.run(["outbox", "send"], env: ["OVERSTAP_RSVP_SECRET": String(repeating: "k", count: 40)], umask: umask))
    }

    @Test func theDatabaseAndTheMailAreForTheOwnerOnlyEvenWithAPermissiveUmask() throws {
        try sendOneInvitation(umask: "000")
        for file in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: cli.databasePath + file) {
            #expect(try mode(cli.databasePath + file) == 0o600, "data/overstap.sqlite\(file)")
        }
        let mail = cli.directory.file("data/mail")
        #expect(try mode(mail) == 0o700)
        let messages = try FileManager.default.contentsOfDirectory(atPath: mail).filter { $0.hasSuffix(".eml") }
        #expect(messages.count == 1)
        for name in messages { #expect(try mode("\(mail)/\(name)") == 0o600, "\(name)") }
        #expect(try mode(cli.directory.file("data")) == 0o700)
    }

    @Test func filesAnOlderVersionLeftReadableAreTightenedAtStartUp() throws {
        try sendOneInvitation(umask: "022")
        let mail = cli.directory.file("data/mail")
        let message = try #require(try FileManager.default.contentsOfDirectory(atPath: mail).first { $0.hasSuffix(".eml") })
        // A PostgreSQL server keeps its own files; only the SQLite file is the test's to loosen.
        let database = TestDatabase.isSQLite ? [(cli.databasePath, 0o644)] : []
        for (path, mode) in database + [(mail, 0o755), ("\(mail)/\(message)", 0o644)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }

        expectSuccess(try cli.run(["session", "list"]))

        if TestDatabase.isSQLite { #expect(try mode(cli.databasePath) == 0o600) }
        #expect(try mode(mail) == 0o700)
        #expect(try mode("\(mail)/\(message)") == 0o600)
    }
}
