import Foundation
import OverstapCore

/// Domain values from the columns that hold them, the same for both backends: each store reads
/// its columns and hands them here.
enum StoredValues {
    /// One meeting of a series cancelled or moved; local times as `YYYY-MM-DDTHH:MM`.
    static func meetingException(originalStart: String, status: String, start: String?, end: String?, reason: String?) -> MeetingException {
        let change: MeetingException.Change
        if status == MeetingStatus.moved.rawValue, let start, let end {
            change = .moved(start: StoredText.localDateTime(start), end: StoredText.localDateTime(end))
        } else {
            change = .cancelled(reason: reason)
        }
        return MeetingException(originalStart: StoredText.localDateTime(originalStart), change: change)
    }

    /// A recorded outcome; nil for a row with an unknown result or date.
    static func outcome(result: String, sector: String?, date: String) -> Outcome? {
        guard let result = OutcomeResult(rawValue: result), let date = LocalDate(iso: Substring(date)) else { return nil }
        return Outcome(result: result, sector: sector, date: date)
    }

    /// A roster-consent answer.
    static func consent(agreed: Bool, answeredAt: Date, locale: String, textVersion: String) -> RosterConsent {
        RosterConsent(agreed: agreed, answeredAt: answeredAt, locale: locale, textVersion: textVersion)
    }

    /// One attendance mark; nil for a row with an unknown meeting key or presence.
    static func attendance(workerID: Int64, meeting: String, presence: String) -> AttendanceEntry? {
        guard let meeting = MeetingKey(storage: meeting), let presence = Presence(rawValue: presence) else { return nil }
        return AttendanceEntry(workerID: workerID, meeting: meeting, presence: presence)
    }

    /// A report's session; nil for a row whose start is not a date.
    static func reportSession(
        id: Int64, sector: String, region: String, capacity: Int, startLocal: String, status: String, partners: [String]
    ) -> ReportInput.Session? {
        guard let date = LocalDate(iso: startLocal.prefix(10)) else { return nil }
        return ReportInput.Session(
            id: id, sector: sector, region: region, capacity: capacity, startDate: date, cancelled: status == SessionStatus.cancelled.rawValue,
            partners: partners)
    }

    /// A group of erased people; "" stands for no work sector and -1 for no days to work.
    static func retainedPeople(
        month: String, region: String, sector: String, reached: Int, workSector: String, inSessionSector: Bool, daysToWork: Int, people: Int
    ) -> RetainedPeople? {
        guard let first = LocalDate(iso: Substring(month + "-01")) else { return nil }
        return RetainedPeople(
            month: first, region: region, sector: sector, reached: reached, workSector: workSector.isEmpty ? nil : workSector,
            inSessionSector: inSessionSector, daysToWork: daysToWork < 0 ? nil : daysToWork, people: people)
    }

    /// The day of a local date-time or date text (`2027-02-02T19:00`, `2027-02-02`).
    static func day(_ text: String?) -> LocalDate? {
        text.flatMap { LocalDate(iso: $0.prefix(10)) }
    }
}
