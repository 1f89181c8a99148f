/// The one rule that turns attendance per meeting into the enrollment's outcome, once the series'
/// last meeting has ended and has attendance recorded:
///
/// - Meetings where the person was excused are left out of the count.
/// - Of the meetings that count, a meeting without an entry for the person counts as absent (the
///   trainer's list names who came).
/// - The person attended when present at at least half of the meetings that count; else no-show.
/// - When every meeting was excused there is no decision: the enrollment stays as it is.
public enum AttendanceRule {
    /// The outcome for one person; nil when there is nothing to count.
    public static func outcome(meetingsHeld: [MeetingKey], presence: [MeetingKey: Presence]) -> Presence? {
        var counted = 0
        var present = 0
        for meeting in meetingsHeld {
            switch presence[meeting] {
            case .excused: continue
            case .attended: present += 1
            case .noShow, nil: break
            }
            counted += 1
        }
        guard counted > 0 else { return nil }
        return 2 * present >= counted ? .attended : .noShow
    }
}
