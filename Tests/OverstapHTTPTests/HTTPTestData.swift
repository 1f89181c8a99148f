import Foundation
import OverstapCore
import OverstapService
import OverstapTestSupport

/// What the daemon's route tests start from: a service over a fresh database (`TestDatabase`: a
/// SQLite file in `directory`, or PostgreSQL on that pass) with a fixed
/// clock, one partner `roc` and one online Tuesday-evening session (id 1) whose workers are
/// placed and invited.
enum HTTPTestData {
    /// 2027-01-10 09:00 in Amsterdam.
    static let now = Date(timeIntervalSince1970: 1_799_568_000)

    /// The service and the partner's feed token.
    static func service(
        in directory: TemporaryDirectory, settings extra: [String: String] = [:], capacity: Int = 20, repeatRule: String? = nil,
        workersCSV: String
    ) async throws -> (service: OverstapService, feedToken: String) {
        let loaded = try await ConfigLoader().load(
            configFile: Repository.configFile,
            overrides: [
                "database.url": try TestDatabase(in: directory).url, "templates.path": Repository.templatesFolder,
                "mail.directory": directory.file("mail"), "http.public_url": "https://overstap.example.org",
            ].merging(extra) { _, new in new },
            environment: [:])
        let service = try OverstapService.open(settings: loaded.settings, clock: .fixed(now))
        let token = try await service.addPartner(name: "ROC Midden Nederland", email: "planning@roc.example.org", slug: "roc", kind: .school, region: nil)
            .feedToken
        var options = SessionOptions.fixture()
        options.capacity = capacity
        options.repeatRule = repeatRule
        _ = try await service.createSession(options)
        _ = try await service.importWorkers(path: try directory.write("w.csv", workersCSV), dryRun: false)
        _ = try await service.match(.init(), commit: true)
        _ = try await service.invite(sessionID: nil, hold: false)
        return (service, token)
    }
}
