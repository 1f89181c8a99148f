import Foundation

/// A stored session's meetings as instants: the one conversion every use case shares.
extension StoredSession {
    /// Every meeting that takes place, as it now is, as an interval of instants, in order.
    ///
    /// The first meeting may fall in the hour the clocks repeat: the organiser chose its offset,
    /// and `startsAt` holds the instant meant. A meeting that does not resolve to one instant
    /// otherwise (skipped by the clocks, or repeated after the first) or a zone that is not known
    /// is an error naming the session, never silently another time.
    public func meetingIntervals() throws(InputError) -> [DateInterval] {
        try timedMeetings().map(\.interval)
    }

    /// Every meeting that takes place (moved ones at their new time) with its interval, by start.
    public func timedMeetings() throws(InputError) -> [(meeting: Meeting, interval: DateInterval)] {
        let name = session.id.map { "session \($0)" } ?? "session '\(session.title)'"
        let zone = try ZoneResolver(identifier: session.timezone, place: name)
        var timed: [(meeting: Meeting, interval: DateInterval)] = []
        for meeting in try session.meetings() {
            let start: Date
            if meeting.status == .scheduled, meeting.start == session.start,
                case .ambiguous(let earlier, let later) = zone.resolve(meeting.start), [earlier, later].contains(startsAt)
            {
                start = startsAt
            } else {
                start = try zone.instant(of: meeting.start, place: "\(name), meeting at \(meeting.start)")
            }
            timed.append((meeting, DateInterval(start: start, duration: TimeInterval(meeting.start.minutes(until: meeting.end) * 60))))
        }
        return timed
    }
}
