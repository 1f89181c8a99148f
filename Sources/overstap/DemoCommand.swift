import ArgumentParser
import OverstapService

/// `overstap demo`
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Seed an example region with partners, sessions and workers (safe to repeat: it never undoes your changes).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let result = try await global.service().seedDemo()
        let added = [
            (result.partnersAdded, "partner"), (result.sessionsAdded, "session"), (result.workersAdded, "worker"),
        ]
        if added.allSatisfy({ $0.0 == 0 }) {
            print("demo: already in place; nothing added, nothing you changed was undone")
        } else {
            print("demo: added " + added.map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }.joined(separator: ", "))
        }
        if let feed = result.schoolFeed {
            print("demo school feed (\(result.school)): \(feed.https)")
            print("subscribe in a calendar app: \(feed.webcal)")
        } else {
            print("demo school feed: \(result.school) has a new address since; make another with: overstap partner rotate-token \(result.school)")
        }
    }
}
