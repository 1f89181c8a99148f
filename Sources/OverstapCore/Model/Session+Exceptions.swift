import Foundation

/// The rules for changing one meeting of a series, with no I/O: which meeting a date names, and
/// whether a cancellation or move leaves a series that still makes sense.
extension Session {
    /// The meeting the series originally planned on `date` (in any status), or an error that
    /// lists the dates that exist.
    public func meeting(originallyOn date: LocalDate, place: String) throws(InputError) -> Meeting {
        let label = id.map { "session \($0)" } ?? "the session"
        guard recurrence != nil else {
            throw InputError(
                place: place, problem: "\(label) is a single meeting, not a series",
                fix: "change or cancel the whole session (without --meeting)")
        }
        let schedule = try schedule()
        if let meeting = schedule.first(where: { $0.originalStart.date == date }) { return meeting }
        let dates = schedule.sorted { $0.originalStart < $1.originalStart }.map { meeting in
            "\(meeting.originalStart.date)" + (meeting.status == .scheduled ? "" : " (\(meeting.status.rawValue))")
        }
        throw InputError(
            place: place, problem: "\(label) has no meeting on \(date)",
            fix: "name a meeting by its original date: \(dates.joined(separator: ", "))")
    }

    /// This session with `meeting` called off; the last meeting left cannot be (cancel the session).
    public func cancellingMeeting(_ meeting: Meeting, reason: String?, place: String) throws(InputError) -> Session {
        guard meeting.status != .cancelled else {
            throw InputError(
                place: place, problem: "the meeting of \(meeting.originalStart.date) is already cancelled",
                fix: "to hold it after all, give it a time with --start on session update")
        }
        guard try meetings().count > 1 else {
            throw InputError(
                place: place, problem: "the meeting of \(meeting.originalStart.date) is the only one left of the series",
                fix: "cancel the whole session with: overstap session cancel \(id.map(String.init) ?? "ID")")
        }
        var next = self
        next.exceptions.removeAll { $0.originalStart == meeting.originalStart }
        next.exceptions.append(MeetingException(originalStart: meeting.originalStart, change: .cancelled(reason: reason)))
        next.exceptions.sort { $0.originalStart < $1.originalStart }
        return next
    }

    /// This session with a meeting (moved, cancelled or as planned) taking place from `start` to
    /// `end`; back at its original time it is no exception any more. Refused when it would
    /// overlap another meeting or fall outside the series' first and last original dates.
    public func movingMeeting(_ meeting: Meeting, to start: LocalDateTime, end: LocalDateTime) throws(InputError) -> Session {
        guard end > start else {
            throw InputError(place: "--end", problem: "the end (\(end)) is not after the start (\(start))", fix: "give a later --end or a --duration")
        }
        if meeting.status != .cancelled && meeting.start == start && meeting.end == end {
            throw InputError(place: "--start", problem: "the meeting of \(meeting.originalStart.date) already takes place at \(start)")
        }
        let originals = try originalStarts()
        if let first = originals.first?.date, let last = originals.last?.date, start.date < first || start.date > last {
            throw InputError(
                place: "--start", problem: "\(start) is outside the series, which runs from \(first) to \(last)",
                fix: "move the meeting to a date from \(first) to \(last), or plan a separate session")
        }
        if let other = try meetings().first(where: { $0.originalStart != meeting.originalStart && $0.start < end && start < $0.end }) {
            throw InputError(
                place: "--start",
                problem: "\(start)–\(end.description.suffix(5)) overlaps the meeting of \(other.start)–\(other.end.description.suffix(5))",
                fix: "choose a time when no other meeting of the series takes place")
        }
        var next = self
        next.exceptions.removeAll { $0.originalStart == meeting.originalStart }
        if start != meeting.originalStart || end != meeting.originalStart.adding(minutes: durationMinutes) {
            next.exceptions.append(MeetingException(originalStart: meeting.originalStart, change: .moved(start: start, end: end)))
            next.exceptions.sort { $0.originalStart < $1.originalStart }
        }
        return next
    }
}
