import ArgumentParser
import Foundation
import Mail
import OverstapCore
import OverstapService

/// `overstap outbox …`
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "The durable queue of participant mail.",
        subcommands: [List.self, Show.self, Release.self, Retry.self, Send.self])
}

extension OutboxState: ExpressibleByArgument {}
extension OutboxKind: ExpressibleByArgument {}

extension OutboxCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List messages, oldest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only messages in this state: \(OutboxState.allCases.map(\.rawValue).joined(separator: ", ")).") var state: OutboxState?
        @Option(help: "Only this session's messages.") var session: Int64?
        @Option(help: "Only messages of this kind: \(OutboxKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: OutboxKind?

        func run() async throws {
            let service = try await global.service()
            var formatter = TimeFormatter()
            let views = try await service.outbox(state: state, sessionID: session, kind: kind).map { OutboxView($0, formatter: &formatter, zone: service.settings.timezone) }
            if output.json { return try JSONOutput.print(views) }
            var table = TextTable(headers: ["ID", "KIND", "STATE", "SESSION", "RECIPIENT", "NEXT ATTEMPT", "ATTEMPTS", "LAST ERROR"])
            table.rows = views.map {
                [String($0.id), $0.kind, $0.state, String($0.session), $0.recipient, $0.nextAttempt.map(Self.minutes) ?? "-", String($0.attempts), $0.lastError ?? ""]
            }
            print(views.isEmpty ? "no messages" : table.render())
        }

        /// `2027-01-10T09:00:00+01:00` as `2027-01-10 09:00+01:00`: to the minute, with its offset.
        static func minutes(_ rfc3339: String) -> String {
            guard rfc3339.count >= 25 else { return rfc3339 }
            return rfc3339.prefix(16).replacingOccurrences(of: "T", with: " ") + rfc3339.suffix(6)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a message as it would be sent now.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message id (see outbox list).") var id: Int64
        @Flag(help: "Print the whole MIME message as it goes out.") var raw = false
        @Flag(help: "Show the answer links as outbox send --demo writes them (without rsvp.secret).") var demo = false

        func run() async throws {
            var settings = try await global.loadConfig().settings
            if demo { settings = try settings.withDemoSecret() }
            let service = try OverstapService.open(settings: settings, clock: try GlobalOptions.clock())
            let (message, draft, outgoing) = try await service.outboxMessage(id: id)
            if raw {
                FileHandle.standardOutput.write(Data(outgoing.data))
                return
            }
            print("message \(id): \(message.kind.rawValue), \(message.state.rawValue), \(message.attempts) attempt(s)")
            if let error = message.lastError { print("last error: \(error)") }
            print("To: \(draft.to.name ?? "") <\(draft.to.address)>")
            print("Subject: \(draft.subject)")
            if let calendar = draft.calendar { print("Calendar: METHOD:\(calendar.method) (invite.ics)") }
            print("")
            print(draft.text)
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let held messages go: these ids, a session's, or all.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Release every held message of this session.") var session: Int64?
        @Argument(help: "Message ids.") var ids: [Int64] = []

        func validate() throws {
            if session != nil && !ids.isEmpty { throw ValidationError("give either --session or message ids, not both") }
        }

        func run() async throws {
            let released = try await global.service().releaseHeld(ids: ids, sessionID: session)
            print("released \(released) message\(released == 1 ? "" : "s"); send with: overstap outbox send")
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a failed message back in line.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The message id.") var id: Int64

        func run() async throws {
            try await global.service().retry(id: id)
            print("message \(id) is pending again; send with: overstap outbox send")
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run what is due (overstap due), send everything that is due, then exit (1 if a message failed for good, 75 if the mail server cannot be used).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Demo mode: without rsvp.secret, sign answer links with the demo key that serve --demo also uses.")
        var demo = false

        func run() async throws {
            var settings = try await global.loadConfig().settings
            if demo { settings = try settings.withDemoSecret() }
            // Invitations never leave without their answer links.
            try settings.requireAnswerLinks(demoHint: "overstap outbox send --demo")
            let service = try OverstapService.open(settings: settings, clock: try GlobalOptions.clock())
            let due = try await service.runDue()
            if due.nudged + due.expired + due.erased > 0 { print("nudged \(due.nudged), expired \(due.expired), erased \(due.erased)") }
            let report = try await service.sendDue(through: service.mailTransport())
            print("sent \(report.sent), deferred \(report.deferred), failed \(report.failed)")
            if report.lost > 0 {
                print("\(report.lost) message(s) were taken over by another sender after this run's lease lapsed; it records their outcome")
            }
            if let failure = report.transportFailure { throw MailUnavailableError(reason: failure) }
            if report.failed > 0 { throw CommandFailure(description: "\(report.failed) message(s) failed for good; see: overstap outbox list --state failed") }
        }
    }
}

/// One outbox row as `outbox list --json` prints it.
struct OutboxView: Encodable {
    var id: Int64
    var kind: String
    var state: String
    var session: Int64
    var recipient: String
    var messageID: String
    var attempts: Int
    /// Only while the dispatcher will still try: a sent, failed or superseded message has none.
    var nextAttempt: String?
    var lastError: String?
    var sentAt: String?

    init(_ message: OutboxMessage, formatter: inout TimeFormatter, zone: String) {
        id = message.id ?? 0
        kind = message.kind.rawValue
        state = message.state.rawValue
        session = message.sessionID
        recipient = message.recipient
        messageID = message.messageID
        attempts = message.attempts
        nextAttempt = message.state == .pending ? formatter.rfc3339(message.nextAttemptAt, zone: zone) : nil
        lastError = message.lastError
        sentAt = message.sentAt.map { formatter.rfc3339($0, zone: zone) }
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, state, session, recipient, attempts
        case messageID = "message_id", nextAttempt = "next_attempt", lastError = "last_error", sentAt = "sent_at"
    }
}
