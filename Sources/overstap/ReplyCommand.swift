import ArgumentParser
import Foundation
import Mail
import OverstapCore
import OverstapService

/// `overstap reply …`: calendar answers (iTIP REPLY, COUNTER, REFRESH) that arrive by mail.
struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply", abstract: "Calendar answers that participants' calendars mail to the team mailbox.",
        subcommands: [Ingest.self, List.self, Apply.self, Dismiss.self])
}

extension ReplyStatus: ExpressibleByArgument {}

extension ReplyCommand {
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one mail (RFC 5322) and act on the calendar answers in it.",
            discussion: """
                With a FILE it is a command: exit 0, 1 (the mail cannot be read), 2 or 75. Reading standard \
                input (no FILE, or -) it is a delivery program for getmail, procmail or Postfix's pipe: exit 0 when \
                the mail was handled, applied or not (nothing ever bounces to a participant), 75 when it must be \
                tried again (database busy, missing or not migrated); nothing on standard error unless it fails. \
                It never creates or migrates a database.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The mail file; standard input when absent or -.") var file: String?

        var isDeliveryProgram: Bool { file == nil || file == "-" }

        func run() async throws {
            // Errors are printed after run returns, when standard error is back.
            let silenced = isDeliveryProgram ? SilencedStandardError() : nil
            defer { silenced?.restore() }
            do {
                let bytes = try readMail()
                let service = try OverstapService.open(
                    settings: try await global.loadConfig().settings, clock: try GlobalOptions.clock(), existingDatabaseOnly: true)
                let report = try await service.ingestReply(bytes)
                if isDeliveryProgram { return }
                print(Self.summary(report))
                if report.replies.isEmpty, !report.unreadable.isEmpty {
                    throw CommandFailure(description: "\(file ?? "-"): " + report.unreadable.joined(separator: "; "))
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                // A delivery program may only say "handled" or "try again": anything unexpected is
                // "try again", so the fetcher keeps the mail.
                guard isDeliveryProgram, FailureKind(of: error) != .temporary else { throw error }
                throw DeliveryFailure(underlying: error)
            }
        }

        private func readMail() throws -> [UInt8] {
            if isDeliveryProgram { return Self.readBounded(FileHandle.standardInput) }
            guard let data = FileManager.default.contents(atPath: file ?? "") else {
                throw InputError(place: file ?? "", problem: "cannot be read", fix: "give the path of one mail file (.eml)")
            }
            return Array(data)
        }

        /// Standard input up to one byte past the largest mail the reader takes (so it refuses an
        /// oversized one), reading the rest away unkept: the fetcher must be able to write it all.
        static func readBounded(_ input: FileHandle) -> [UInt8] {
            let keep = InboundLimits.default.maximumBytes + 1
            var bytes: [UInt8] = []
            while case let chunk = input.readData(ofLength: 1 << 16), !chunk.isEmpty {
                if bytes.count < keep { bytes += chunk.prefix(keep - bytes.count) }
            }
            return bytes
        }

        static func summary(_ report: OverstapService.ReplyIngestReport) -> String {
            if report.duplicate { return "skipped: this message (Message-ID) was handled before" }
            if report.hadNoCalendar { return "skipped: no calendar answer in this mail (deliver it to a person as well)" }
            var lines = report.replies.map { reply in
                let what = [reply.method, reply.partstat].compactMap { $0 }.joined(separator: " ")
                let session = reply.sessionID.map { "session \($0)" } ?? "no session"
                let meeting = reply.recurrenceID.map { ", meeting \($0)" } ?? ""
                return "\(reply.outcome.rawValue): \(reply.attendee ?? reply.from) \(what) for \(session)\(meeting) (\(reply.reason))"
                    + (reply.outcome == .needsReview ? "; see overstap reply list --state needs_review" : "")
            }
            lines += report.unreadable.map { "unreadable: \($0)" }
            return lines.isEmpty ? "skipped: no answer in the calendar part" : lines.joined(separator: "\n")
        }
    }

    /// libical prints some parser warnings on standard error itself (a stray carriage return before
    /// `BEGIN:VEVENT` gives "Encountered END before BEGIN"). A delivery program says nothing there
    /// unless it fails (getmail counts any output as a failed delivery), so while it reads a mail
    /// standard error goes to /dev/null.
    struct SilencedStandardError {
        private let saved: Int32

        init?() {
            let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
            let saved = dup(STDERR_FILENO)
            guard null >= 0, saved >= 0, dup2(null, STDERR_FILENO) >= 0 else { return nil }
            close(null)
            self.saved = saved
        }

        func restore() {
            dup2(saved, STDERR_FILENO)
            close(saved)
        }
    }

    /// A failure that makes the fetcher keep the mail and try again (exit 75).
    struct DeliveryFailure: Error, CustomStringConvertible {
        var underlying: any Error
        var description: String {
            let detail = FailureKind(of: underlying) == nil ? "unexpected failure (\(type(of: underlying)))" : "\(underlying)"
            return "\(detail); the mail stays with the fetcher and is tried again"
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List calendar answers that arrived by mail, oldest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only answers about this session.") var session: Int64?
        @Option(help: "Only answers with this outcome: \(ReplyStatus.allCases.map(\.rawValue).joined(separator: ", ")).") var state: ReplyStatus?
        @Option(help: "Only answers received on or after this day (YYYY-MM-DD, the team's zone).") var since: String?

        func run() async throws {
            let service = try await global.service()
            let zone = try ZoneResolver(identifier: service.settings.timezone, place: "timezone")
            var sinceInstant: Date?
            if let since {
                guard let day = LocalDate(iso: since[...]) else {
                    throw InputError(place: "--since", problem: "'\(since)' is not a date", fix: "write it as YYYY-MM-DD, e.g. 2027-01-10")
                }
                sinceInstant = try zone.instant(of: LocalDateTime(date: day, hour: 0, minute: 0), place: "--since")
            }
            var formatter = TimeFormatter()
            let views = try await service.replies(ReplyFilter(sessionID: session, outcome: state, since: sinceInstant))
                .map { ReplyView($0, formatter: &formatter, zone: service.settings.timezone) }
            if output.json { return try JSONOutput.print(views) }
            var table = TextTable(headers: ["ID", "RECEIVED", "FROM", "METHOD", "PARTSTAT", "SESSION", "MEETING", "OUTCOME", "REASON", "COMMENT"])
            table.rows = views.map {
                [
                    String($0.id), OutboxCommand.List.minutes($0.receivedAt), $0.from, $0.method, $0.partstat ?? "", $0.session.map(String.init) ?? "-",
                    $0.recurrenceID ?? "", $0.outcome, $0.reason, $0.comment ?? "",
                ]
            }
            print(views.isEmpty ? "no answers" : table.render())
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply an answer kept for review, as an answer link would.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The answer's ID (overstap reply list --state needs_review).") var id: Int64
        @Option(help: "The invited person it is from, when it came from another address of theirs.") var worker: String?

        func run() async throws {
            let reply = try await global.service().applyReply(id: id, asWorker: worker)
            print("reply \(id): \(reply.outcome.rawValue) (\(reply.reason))")
        }
    }

    struct Dismiss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an answer kept for review aside; nothing changes for the person.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The answer's ID (overstap reply list --state needs_review).") var id: Int64

        func run() async throws {
            _ = try await global.service().dismissReply(id: id)
            print("reply \(id): dismissed")
        }
    }
}

/// A calendar answer as `reply list --json` prints it.
struct ReplyView: Encodable {
    var id: Int64
    var receivedAt: String
    var from: String
    var attendee: String?
    var method: String
    var partstat: String?
    var session: Int64?
    var recurrenceID: String?
    var sequence: Int?
    var outcome: String
    var reason: String
    var comment: String?
    var proposedStart: String?
    var proposedEnd: String?

    enum CodingKeys: String, CodingKey {
        case id, from, attendee, method, partstat, session, sequence, outcome, reason, comment
        case receivedAt = "received_at"
        case recurrenceID = "recurrence_id"
        case proposedStart = "proposed_start"
        case proposedEnd = "proposed_end"
    }

    init(_ reply: StoredReply, formatter: inout TimeFormatter, zone: String) {
        id = reply.id ?? 0
        receivedAt = formatter.rfc3339(reply.receivedAt, zone: zone)
        from = reply.from
        attendee = reply.attendee
        method = reply.method
        partstat = reply.partstat
        session = reply.sessionID
        recurrenceID = reply.recurrenceID
        sequence = reply.sequence
        outcome = reply.outcome.rawValue
        reason = reply.reason
        comment = reply.comment
        proposedStart = reply.proposedStart.map { formatter.rfc3339($0, zone: zone) }
        proposedEnd = reply.proposedEnd.map { formatter.rfc3339($0, zone: zone) }
    }
}
