import Foundation

/// A change to one meeting of a series, keyed by the meeting's original local start (what the
/// RRULE produced): it was called off, or it takes place at another time.
public struct MeetingException: Equatable, Sendable {
    /// The start the recurrence rule gives the meeting; the RECURRENCE-ID in calendars.
    public var originalStart: LocalDateTime
    public var change: Change

    /// What happened to the meeting.
    public enum Change: Equatable, Sendable {
        /// Called off, with the reason participants read.
        case cancelled(reason: String?)
        /// Takes place at another local time (same zone as the series).
        case moved(start: LocalDateTime, end: LocalDateTime)
    }

    /// Creates an exception.
    public init(originalStart: LocalDateTime, change: Change) {
        self.originalStart = originalStart
        self.change = change
    }
}

/// Whether a meeting takes place as the series planned it.
public enum MeetingStatus: String, CaseIterable, Codable, Sendable {
    case scheduled, moved, cancelled
}
