import Foundation

/// A stored session's meetings as instants: the one conversion every use case shares.
extension StoredSession {
    /// Every meeting as an interval of instants, in order.
    ///
    /// The first meeting may fall in the hour the clocks repeat: the organiser chose its offset,
    /// and `startsAt` holds the instant meant. A meeting that does not resolve to one instant
    /// otherwise (skipped by the clocks, or repeated after the first) or a zone that is not known
    /// is an error naming the session, never silently another time.
    public func meetingIntervals() throws(InputError) -> [DateInterval] {
        let name = session.id.map { "session \($0)" } ?? "session '\(session.title)'"
        let zone = try ZoneResolver(identifier: session.timezone, place: name)
        let length = TimeInterval(session.durationMinutes * 60)
        var intervals: [DateInterval] = []
        for (index, meeting) in try session.meetings().enumerated() {
            let start: Date
            if index == 0, case .ambiguous(let earlier, let later) = zone.resolve(meeting.start), [earlier, later].contains(startsAt) {
                start = startsAt
            } else {
                start = try zone.instant(of: meeting.start, place: "\(name), meeting at \(meeting.start)")
            }
            intervals.append(DateInterval(start: start, duration: length))
        }
        return intervals
    }
}
