import ArgumentParser
import Foundation
import OverstapService

/// `overstap due`
struct DueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Run what is due now: reminders to answer (rsvp.nudge) and answer deadlines (rsvp.deadline).",
        discussion: """
            An unanswered invitation gets one reminder to answer at rsvp.nudge before its deadline, and \
            expires at the deadline: the person gets a cancellation and the seat goes to the waiting list. \
            Reminders before meetings already wait in the outbox with their time; this only counts them. \
            Queued mail leaves with `overstap outbox send`, which runs this first, as the daemon does on \
            its own; a site without the daemon runs `overstap outbox send` from cron. Two runs at once \
            never do one thing twice.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let report = try await global.service().runDue()
        if output.json { return try JSONOutput.print(DueView(report)) }
        print(
            "nudged \(report.nudged), expired \(report.expired); \(report.dueInOutbox) message\(report.dueInOutbox == 1 ? "" : "s") "
                + "due in the outbox: send with overstap outbox send")
    }
}

/// What `overstap due --json` prints.
struct DueView: Encodable {
    var nudged: Int
    var expired: Int
    var dueInOutbox: Int

    init(_ report: OverstapService.DueReport) {
        nudged = report.nudged
        expired = report.expired
        dueInOutbox = report.dueInOutbox
    }

    enum CodingKeys: String, CodingKey {
        case nudged, expired
        case dueInOutbox = "due_in_outbox"
    }
}
