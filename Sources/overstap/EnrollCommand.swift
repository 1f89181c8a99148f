import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap enroll …`: placing people by hand, through the enrollment lifecycle.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll", abstract: "Place people in sessions by hand, take them out, move them, list enrollments.",
        discussion: """
            Every change goes through the enrollment lifecycle, so the person gets exactly the messages it \
            implies (an invitation, a cancellation); send them with: overstap outbox send
            """,
        subcommands: [Add.self, Remove.self, Move.self, List.self])

    /// The choices `add` and `move` share.
    struct PlacementFlags: ParsableArguments {
        @Option(help: "Place them although a matching rule excludes them; the reason is stored and shown in enroll list.")
        var override: String?
        @Flag(help: "Place them although every seat is taken.") var overCapacity = false

        var options: OverstapService.PlacementOptions {
            OverstapService.PlacementOptions(overrideReason: override, overCapacity: overCapacity)
        }
    }

    /// The lines that tell what a placement did.
    static func describe(_ placement: OverstapService.Placement) -> [String] {
        let session = placement.session
        let row = placement.enrollment.rosterNumber.map { ", roster row \($0)" } ?? ""
        var lines = ["placed \(placement.worker.email) in session \(session.id) '\(session.session.title)'\(row): \(placement.enrollment.state.rawValue)"]
        for rule in placement.overridden {
            lines.append("  overrode \(rule.reason.rawValue): \(rule.detail)")
        }
        if let reason = placement.enrollment.overrideReason { lines.append("  reason stored: \(reason)") }
        if placement.overCapacity { lines.append("  over capacity: the session had no free seat") }
        lines.append(seats(session))
        if placement.sessionOver {
            lines.append("the session is over, so no invitation is sent; record their attendance with: overstap session attendance \(session.id)")
        } else if placement.enrollment.state == .selected {
            lines.append("invitations for this session have not started; invite with: overstap invite --session \(session.id)")
        } else {
            lines.append(queued(placement.queued))
        }
        return lines
    }

    /// The lines that tell what a removal did.
    static func describe(_ removal: OverstapService.Removal, verb: String) -> [String] {
        [
            "\(verb) \(removal.worker.email) from session \(removal.session.id) '\(removal.session.session.title)' (was \(removal.from.rawValue))",
            seats(removal.session),
            queued(removal.queued)
                + (removal.from.holdsSeat ? "; the freed seat is offered to the waiting list at the next send" : ""),
        ]
    }

    static func seats(_ session: StoredSession) -> String {
        "  seats: \(session.seatsTaken) taken of \(session.session.capacity)"
    }

    static func queued(_ count: Int) -> String {
        count == 0 ? "no message queued" : "\(count) message\(count == 1 ? "" : "s") queued; send with: overstap outbox send"
    }
}

extension EnrollCommand {
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Place a person in a session (invited at once when the session's invitations have started).",
            discussion: """
                Refused, with the rule and its detail, when a matching rule excludes the person (sector, language, \
                region, weekly windows, date limits, an overlapping session, the limit of sessions, a session that \
                has started); --override "REASON" places them anyway and stores the reason. A full session is \
                refused unless --over-capacity. Someone who declined, expired or was taken out can be placed again.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The worker's e-mail address (add a new person first with: overstap worker add).") var email: String
        @Argument(help: "The session id.") var session: Int64
        @OptionGroup var flags: PlacementFlags

        func run() async throws {
            let placement = try await global.service().enroll(email: email, sessionID: session, flags.options)
            print(EnrollCommand.describe(placement).joined(separator: "\n"))
            if flags.override != nil && placement.overridden.isEmpty {
                print("no rule excludes them, so the --override reason is not stored")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a person out of a session: a cancellation if they had an invitation; the seat goes to the waiting list.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The worker's e-mail address.") var email: String
        @Argument(help: "The session id.") var session: Int64
        @Option(help: "Why, for the organiser's records (shown in enroll list, not sent).") var reason: String?

        func run() async throws {
            let removal = try await global.service().unenroll(email: email, sessionID: session, reason: reason)
            print(EnrollCommand.describe(removal, verb: "took").joined(separator: "\n"))
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a person to another session in one step: one cancellation and one invitation, or nothing when refused.",
            discussion: """
                The new placement is checked like enroll add (the session left counts neither as an overlap nor \
                against the limit of sessions). Someone who had an invitation is invited to the new session at once.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The worker's e-mail address.") var email: String
        @Argument(help: "The session they leave.") var from: Int64
        @Argument(help: "The session they join.") var to: Int64
        @OptionGroup var flags: PlacementFlags

        func run() async throws {
            let move = try await global.service().moveEnrollment(email: email, from: from, to: to, flags.options)
            print((EnrollCommand.describe(move.removal, verb: "moved").dropLast() + EnrollCommand.describe(move.placement)).joined(separator: "\n"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List enrollments with their roster row, state and the organiser's reasons.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this session's enrollments (its roster, by row).") var session: Int64?
        @Option(help: "Only this person's enrollments.") var worker: String?
        @Option(help: "Only these states, comma-separated: \(EnrollmentState.allCases.map(\.rawValue).joined(separator: ", ")).")
        var state: [String] = []

        var states: Set<EnrollmentState> {
            Set(state.flatMap { $0.split(separator: ",") }.compactMap { EnrollmentState(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
        }

        func validate() throws {
            if session != nil && worker != nil { throw ValidationError("give --session or --worker, not both") }
            for value in state.flatMap({ $0.split(separator: ",") }) where EnrollmentState(rawValue: value.trimmingCharacters(in: .whitespaces)) == nil {
                throw ValidationError(
                    "--state: '\(value)' is not a state; use \(EnrollmentState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let rows = try await global.service().enrollmentList(sessionID: session, email: worker, states: states)
            var formatter = TimeFormatter()
            let views = rows.map { EnrollmentListView($0, formatter: &formatter) }
            if output.json { return try JSONOutput.print(views) }
            guard !views.isEmpty else { return print("no enrollments") }
            var table = TextTable(headers: ["SESSION", "ROW", "WORKER", "NAME", "STATE", "NOTE"])
            table.rows = views.map { view in
                let note = [view.overrideReason.map { "override: \($0)" }, view.removalReason.map { "removed: \($0)" }].compactMap { $0 }
                return [view.session, view.rosterNumber.map(String.init) ?? "", view.worker, view.name, view.state, note.joined(separator: "; ")]
            }
            print(table.render())
        }
    }
}

/// One row of `enroll list --json`.
struct EnrollmentListView: Encodable {
    var session: String
    var title: String
    var start: String
    var timezone: String
    var rosterNumber: Int?
    var worker: String
    var name: String
    var state: String
    var overrideReason: String?
    var removalReason: String?
    var updatedAt: String

    init(_ row: OverstapService.EnrollmentListing, formatter: inout TimeFormatter) {
        let zone = row.session.session.timezone
        session = String(row.session.id)
        title = row.session.session.title
        start = formatter.rfc3339(row.session.startsAt, zone: zone)
        timezone = zone
        rosterNumber = row.enrollment.rosterNumber
        worker = row.email
        name = row.name
        state = row.enrollment.state.rawValue
        overrideReason = row.enrollment.overrideReason
        removalReason = row.enrollment.removalReason
        updatedAt = formatter.rfc3339(row.enrollment.updatedAt, zone: zone)
    }

    enum CodingKeys: String, CodingKey {
        case session, title, start, timezone, worker, name, state
        case rosterNumber = "roster_number", overrideReason = "override_reason", removalReason = "removal_reason", updatedAt = "updated_at"
    }
}
