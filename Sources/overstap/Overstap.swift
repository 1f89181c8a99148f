import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// The organiser's command line.
@main
struct Overstap: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overstap",
        abstract: "Plan sessions with education partners and move people from work to work.",
        subcommands: [PartnerCommand.self, SessionCommand.self, WorkerCommand.self, MatchCommand.self, PlanCommand.self, InviteCommand.self, OutboxCommand.self, ServeCommand.self, FeedCommand.self, ConfigCommand.self, DemoCommand.self])

    /// Exit codes of DESIGN.md: 1 refused input, 2 usage, 75 try again later.
    enum ExitStatus: Int32 {
        case refused = 1
        case usage = 2
        case temporaryFailure = 75
    }

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            finish(with: error)
        }
    }

    private static func finish(with error: any Error) -> Never {
        let status: ExitStatus
        switch error is CommandFailure ? .refused : FailureKind(of: error) {
        case .refused:
            status = .refused
        case .temporary:
            status = .temporaryFailure
        case nil:
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            // An error we did not anticipate may carry library internals (SQL, paths of the build):
            // name its type only, never its text.
            FileHandle.standardError.write(Data("error: unexpected failure (\(type(of: error))); nothing was changed\n".utf8))
            Foundation.exit(ExitStatus.refused.rawValue)
        }
        let lines = String(describing: error).split(separator: "\n", omittingEmptySubsequences: false)
        let message = lines.map { "error: \($0)" }.joined(separator: "\n")
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(status.rawValue)
    }
}

/// A command that ran but whose outcome is a refusal (for example `config check` finding unknown keys).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}
