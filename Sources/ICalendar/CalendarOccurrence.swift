import Foundation

/// One concrete meeting of an event after expanding RRULE, RDATE, EXDATE and overrides.
public struct CalendarOccurrence: Hashable, Sendable {
    public var uid: String
    public var start: Date
    public var end: Date
    public var isAllDay: Bool
    /// TRANSP:TRANSPARENT: the time stays free.
    public var isTransparent: Bool
    public var status: String?
    public var summary: String?
}
