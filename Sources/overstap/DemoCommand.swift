import ArgumentParser
import OverstapService

/// `overstap demo`
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Seed an example region with partners, sessions and workers (safe to repeat).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let added = try await global.service().seedDemo()
        print("demo: added \(added.partners) partners, \(added.sessions) sessions, \(added.workers) workers")
    }
}
