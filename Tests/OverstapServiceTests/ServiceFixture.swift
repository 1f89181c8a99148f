import Foundation
import OverstapCore
import OverstapService
import OverstapStore
import OverstapTestSupport

/// A service over a fresh database (a SQLite file, or PostgreSQL on that pass), with the
/// repository's catalogues and a fixed clock.
struct ServiceFixture {
    let directory = TemporaryDirectory()
    let database: TestDatabase
    let service: OverstapService

    /// 2027-01-10 09:00 in Amsterdam.
    static let now = Date(timeIntervalSince1970: 1_799_568_000)

    /// The folder the file transport writes to.
    var mailFolder: String { directory.file("mail") }

    init(overrides: [String: String] = [:]) async throws {
        database = try TestDatabase(in: directory)
        let loaded = try await ConfigLoader().load(
            configFile: Repository.configFile,
            overrides: [
                "database.url": database.url, "templates.path": Repository.templatesFolder,
                "mail.directory": directory.file("mail"),
            ].merging(overrides) { _, new in new },
            environment: [:])
        service = try OverstapService.open(settings: loaded.settings, clock: .fixed(Self.now))
        _ = try await service.addPartner(name: "ROC Midden Nederland", email: "planning@roc.example.org", slug: "roc", kind: .school, region: nil)
    }

    static let csvHeader = "email,name,sector,targets,region,languages,availability,status\n"
}
