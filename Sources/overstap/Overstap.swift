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
        subcommands: [PartnerCommand.self, SessionCommand.self, WorkerCommand.self, EnrollCommand.self, MatchCommand.self, PlanCommand.self, InviteCommand.self, OutboxCommand.self, DueCommand.self, ReplyCommand.self, ReportCommand.self, RetentionCommand.self, ServeCommand.self, FeedCommand.self, ConfigCommand.self, DemoCommand.self, DbCommand.self])

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
            if let message = unknownSubcommand(in: Array(CommandLine.arguments.dropFirst())) {
                FileHandle.standardError.write(Data((message + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            finish(with: error)
        }
    }

    /// For a word where a subcommand belongs that names none (`overstap sesion list`), the usage
    /// error with the subcommand probably meant, which the argument parser does not suggest.
    static func unknownSubcommand(in arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Overstap.self
        var path = [Overstap._commandName]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !argument.hasPrefix("-"), argument != "help" else { return nil }
            if let next = subcommands.first(where: { $0._commandName == argument }) {
                command = next
                path.append(argument)
                continue
            }
            let names = subcommands.map { $0._commandName }
            let hint = Spelling.closest(to: argument, among: names).map { "did you mean '\(path.joined(separator: " ")) \($0)'? " } ?? ""
            return "error: '\(argument)' is not a command of \(path.joined(separator: " ")); \(hint)the commands are: \(names.joined(separator: ", "))"
        }
        return nil
    }

    private static func finish(with error: any Error) -> Never {
        let status: ExitStatus
        let kind: FailureKind? =
            switch error {
            case is CommandFailure: .refused
            case is ReplyCommand.DeliveryFailure: .temporary
            default: FailureKind(of: error)
            }
        switch kind {
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
