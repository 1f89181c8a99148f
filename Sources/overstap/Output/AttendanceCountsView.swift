import OverstapCore

/// One meeting's attendance as `session show --json` prints it.
struct AttendanceCountsView: Encodable {
    var attended: Int
    var noShow: Int
    var excused: Int

    init(_ counts: AttendanceCounts) {
        attended = counts.attended
        noShow = counts.noShow
        excused = counts.excused
    }

    enum CodingKeys: String, CodingKey {
        case attended, excused
        case noShow = "no_show"
    }
}

extension SessionView {
    /// Adds each meeting's attendance counts (none recorded: zeros), keyed by the meeting's
    /// original local start; `meetings` must be the session's schedule in the order of `self.meetings`.
    mutating func addAttendance(_ counts: [MeetingKey: AttendanceCounts], meetings: [Meeting]) {
        guard var views = self.meetings else { return }
        for (index, meeting) in meetings.enumerated() where views.indices.contains(index) {
            views[index].attendance = AttendanceCountsView(counts[MeetingKey(meeting.originalStart)] ?? AttendanceCounts())
        }
        self.meetings = views
    }
}
