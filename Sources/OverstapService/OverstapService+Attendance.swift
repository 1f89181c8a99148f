import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// One mark to record: who (as given, with where it was given) and their presence.
    public struct AttendanceMark: Sendable {
        /// Where the mark came from, for errors: an option or `FILE:LINE`.
        public var place: String
        public var who: AttendeeReference
        public var presence: Presence

        /// Creates a mark.
        public init(place: String, who: AttendeeReference, presence: Presence) {
            self.place = place
            self.who = who
            self.presence = presence
        }
    }

    /// What recording attendance did.
    public struct AttendanceReport: Sendable {
        public var session: StoredSession
        public var meeting: MeetingKey
        /// The meeting's counts after recording.
        public var counts: AttendanceCounts
        /// True when this was the series' last meeting and it has ended: the outcomes were decided.
        public var decided: Bool
        /// Enrollments whose state became `attended` or `no_show`, by e-mail address.
        public var outcomes: [(email: String, state: EnrollmentState)]
    }

    /// The states in which a person's attendance may be recorded: placed (a walk-in placed after
    /// the session is `selected`), invited, or with an outcome already (a correction).
    static let attendanceStates: Set<EnrollmentState> = [.selected, .invited, .accepted, .tentative, .attended, .noShow]

    /// Records who attended one meeting (all marks or none). `meeting` is the meeting's original
    /// date, required for a series. After the last meeting has ended and has attendance, every
    /// invited person's enrollment becomes `attended` or `no_show` by `AttendanceRule`.
    public func recordAttendance(sessionID: Int64, meeting: String?, marks: [AttendanceMark]) async throws -> AttendanceReport {
        guard !marks.isEmpty else {
            throw InputError(place: "--attended", problem: "no one to record", fix: "give --attended, --no-show, --excused or --from FILE.csv")
        }
        return try await store.write { tx in
            let stored = try await storedSession(sessionID, place: "ID", tx)
            guard stored.session.status == .scheduled else {
                throw InputError(place: "session \(sessionID)", problem: "is cancelled; it has no attendance")
            }
            let held = try Self.meetingsHeld(stored)
            if let meeting, let date = try? TimeInput.date(meeting, place: "--meeting"),
                try stored.session.schedule().contains(where: { $0.status == .cancelled && $0.originalStart.date == date })
            {
                throw InputError(
                    place: "--meeting \(meeting)", problem: "that meeting of session \(sessionID) was cancelled, so it has no attendance",
                    fix: "give the date of a meeting that took place")
            }
            let index = try Self.meetingIndex(held.map(\.key), option: meeting, sessionID: sessionID)
            let now = clock.now()
            let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(sessionID)")
            let key = held[index].key
            guard held[index].interval.start <= now else {
                let startsAt = zone.local(of: held[index].interval.start)
                let moved = startsAt == key.start ? "" : " (moved to \(startsAt))"
                throw InputError(
                    place: meeting == nil ? "ID \(sessionID)" : "--meeting \(meeting ?? "")",
                    problem: "the meeting of \(key)\(moved) has not started yet (it is \(zone.local(of: now)) now)",
                    fix: "record attendance once the meeting has taken place")
            }
            let rows = try await tx.enrollments(sessionID: sessionID)
            let entries = try Self.resolve(marks, rows: rows, session: stored, meeting: key)
            try await tx.recordAttendance(entries, sessionID: sessionID, now: now)
            let counts = try await tx.attendanceCounts(sessionID: sessionID)[key] ?? AttendanceCounts()
            var report = AttendanceReport(session: stored, meeting: key, counts: counts, decided: false, outcomes: [])
            guard let last = held.max(by: { $0.interval.end < $1.interval.end }), last.interval.end <= now,
                try await tx.attendanceCounts(sessionID: sessionID)[last.key] != nil
            else { return report }
            report.decided = true
            let byWorker = Dictionary(grouping: try await tx.attendance(sessionID: sessionID), by: \.workerID)
            for row in rows where Self.attendanceStates.contains(row.enrollment.state) {
                let marks = byWorker[row.enrollment.workerID] ?? []
                // Someone never invited is only judged by the marks they have (a walk-in).
                if row.enrollment.state == .selected && marks.isEmpty { continue }
                let presence = Dictionary(marks.map { ($0.meeting, $0.presence) }) { $1 }
                guard let outcome = AttendanceRule.outcome(meetingsHeld: held.map(\.key), presence: presence) else { continue }
                let event: EnrollmentEvent = outcome == .attended ? .attended : .noShow
                let state: EnrollmentState = outcome == .attended ? .attended : .noShow
                guard row.enrollment.state != state else { continue }
                try await applyLifecycle(event, to: row.enrollment, tx)
                report.outcomes.append((row.email, state))
            }
            return report
        }
    }

    /// Per meeting (its original local start), the attendance counts of a session.
    public func attendanceCounts(sessionID: Int64) async throws -> [MeetingKey: AttendanceCounts] {
        try await store.read { try await $0.attendanceCounts(sessionID: sessionID) }
    }

    /// The meetings that take place, each named by its original local start, with its interval.
    static func meetingsHeld(_ stored: StoredSession) throws -> [(key: MeetingKey, interval: DateInterval)] {
        try stored.timedMeetings().map { (MeetingKey($0.meeting.originalStart), $0.interval) }
    }

    /// The meeting `--meeting DATE` names (its original date), or the only one.
    static func meetingIndex(_ meetings: [MeetingKey], option: String?, sessionID: Int64) throws -> Int {
        let dates = meetings.map { $0.start.date.description }.joined(separator: ", ")
        guard let option else {
            guard meetings.count == 1 else {
                throw InputError(
                    place: "--meeting", problem: "session \(sessionID) has \(meetings.count) meetings; say which one",
                    fix: "give its original date: \(dates)")
            }
            return 0
        }
        let date = try TimeInput.date(option, place: "--meeting")
        guard let index = meetings.firstIndex(where: { $0.start.date == date }) else {
            throw InputError(place: "--meeting \(option)", problem: "session \(sessionID) has no meeting on that date", fix: "its meetings are on \(dates)")
        }
        return index
    }

    /// Finds each mark's enrollment; every problem at once (walk-ins, unknown rows, doubles).
    static func resolve(
        _ marks: [AttendanceMark], rows: [EnrollmentWithWorker], session: StoredSession, meeting: MeetingKey
    ) throws -> [AttendanceEntry] {
        let byEmail = Dictionary(rows.map { ($0.email.lowercased(), $0) }) { first, _ in first }
        let byRoster = Dictionary(rows.compactMap { row in row.enrollment.rosterNumber.map { ($0, row) } }) { first, _ in first }
        let id = session.id
        var problems: [InputError] = []
        var entries: [AttendanceEntry] = []
        var placeOfWorker: [Int64: String] = [:]
        for mark in marks {
            let place = "\(mark.place): \(mark.who)"
            let found: EnrollmentWithWorker?
            switch mark.who {
            case .email(let address):
                found = byEmail[address.lowercased()]
                if found == nil {
                    problems.append(InputError(
                        place: place, problem: "is not enrolled in session \(id) (a walk-in?)",
                        fix: "place them first with: overstap enroll add \(address) \(id) (add --override \"walk-in\" if the rules exclude them)"))
                }
            case .roster(let number):
                found = byRoster[number]
                if found == nil {
                    problems.append(InputError(
                        place: place, problem: "is not on the roster of session \(id)",
                        fix: "see the roster with: overstap enroll list --session \(id)"))
                }
            }
            guard let row = found else { continue }
            guard attendanceStates.contains(row.enrollment.state) else {
                problems.append(InputError(
                    place: place, problem: "\(row.email) is \(row.enrollment.state.rawValue) in session \(id), not enrolled",
                    fix: "if they came, place them again first with: overstap enroll add \(row.email) \(id)"))
                continue
            }
            if let earlier = placeOfWorker[row.enrollment.workerID] {
                problems.append(InputError(place: place, problem: "\(row.email) is marked already at \(earlier)", fix: "mark each person once per meeting"))
                continue
            }
            placeOfWorker[row.enrollment.workerID] = place
            entries.append(AttendanceEntry(workerID: row.enrollment.workerID, meeting: meeting, presence: mark.presence))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return entries
    }

    /// Reads an attendance list a trainer handed back (all lines or none).
    public static func readAttendanceFile(_ path: String) throws -> [AttendanceMark] {
        let lines = try AttendanceSheet().parse(try readImportFile(path), fileName: path)
        return lines.map { AttendanceMark(place: $0.place, who: $0.who, presence: $0.presence) }
    }
}
