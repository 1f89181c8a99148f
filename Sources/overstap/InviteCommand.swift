import ArgumentParser
import Foundation
import OverstapService

/// `overstap invite`
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Queue calendar invitations for selected enrollments (they become 'invited'); send with: overstap outbox send.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this session's selected enrollments.") var session: Int64?
    @Flag(help: "Keep the invitations held until 'overstap outbox release', to read them first.") var hold = false

    func run() async throws {
        let queued = try await global.service().invite(sessionID: session, hold: hold)
        print("queued \(queued) invitation\(queued == 1 ? "" : "s")" + (hold ? " (held: read them with 'overstap outbox show ID', send with 'overstap outbox release')" : ""))
    }
}
