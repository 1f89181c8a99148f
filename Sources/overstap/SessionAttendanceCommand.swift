import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

extension SessionCommand {
    /// `overstap session attendance ID …`
    struct Attendance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record who came to one meeting: by e-mail address or roster row number, or from the trainer's list.",
            discussion: """
                People are named by e-mail address or by their row on the session's roster (overstap enroll list \
                --session ID); values may be repeated or comma-separated. --from FILE.csv reads the list a trainer \
                hands back: per line a row number or e-mail address, then ja/nee, yes/no or 1/0 (afgemeld or excused \
                for an excused absence); a header line (nr,aanwezig or e-mail,attended) is optional. All marks are \
                recorded or none. A person who came but is not enrolled is refused: place them first with enroll add. \
                A meeting that has not started yet is refused.

                After the series' last meeting has ended and has attendance, each invited person's enrollment becomes \
                attended (present at at least half of the meetings held, excused meetings left out, a meeting without \
                a mark counted as absent) or no_show; when every meeting was excused it stays as it is. Recording a \
                meeting again corrects it.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The session id.") var id: Int64
        @Option(help: "The meeting's original date (YYYY-MM-DD); may be left out for a session with one meeting.") var meeting: String?
        @Option(parsing: .upToNextOption, help: "People who came: e-mail addresses or roster row numbers.") var attended: [String] = []
        @Option(parsing: .upToNextOption, help: "People who did not come.") var noShow: [String] = []
        @Option(parsing: .upToNextOption, help: "People who were absent with a reason (the meeting does not count for them).")
        var excused: [String] = []
        @Option(help: "The trainer's list as CSV (instead of --attended/--no-show/--excused).") var from: String?

        func validate() throws {
            let listed = !(attended.isEmpty && noShow.isEmpty && excused.isEmpty)
            if from != nil && listed { throw ValidationError("give --from FILE or --attended/--no-show/--excused, not both") }
            if from == nil && !listed { throw ValidationError("give --attended, --no-show, --excused (e-mail or roster row), or --from FILE.csv") }
        }

        func run() async throws {
            let marks = try from.map { try OverstapService.readAttendanceFile($0) } ?? Self.marks(attended: attended, noShow: noShow, excused: excused)
            let report = try await global.service().recordAttendance(sessionID: id, meeting: meeting, marks: marks)
            let counts = report.counts
            print("session \(id), meeting of \(report.meeting): \(counts.attended) attended, \(counts.noShow) no-show, \(counts.excused) excused")
            guard report.decided else { return }
            if report.outcomes.isEmpty {
                print("outcomes unchanged")
            } else {
                print("outcomes after the last meeting:")
                for outcome in report.outcomes { print("  \(outcome.email): \(outcome.state.rawValue)") }
            }
        }

        /// The marks the options give; every value that names nobody is reported at once.
        static func marks(attended: [String], noShow: [String], excused: [String]) throws -> [OverstapService.AttendanceMark] {
            var marks: [OverstapService.AttendanceMark] = []
            var problems: [InputError] = []
            for (option, values, presence) in [("--attended", attended, Presence.attended), ("--no-show", noShow, .noShow), ("--excused", excused, .excused)] {
                for value in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                    switch AttendeeReference.parse(String(value)) {
                    case .success(let who): marks.append(OverstapService.AttendanceMark(place: option, who: who, presence: presence))
                    case .failure(let error): problems.append(InputError(place: option, problem: error.problem, fix: error.fix))
                    }
                }
            }
            guard problems.isEmpty else { throw InputErrors(problems) }
            return marks
        }
    }
}
