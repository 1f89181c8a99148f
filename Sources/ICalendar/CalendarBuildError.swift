/// A value that cannot be written as iCalendar (an unknown zone, a malformed RRULE or duration).
public struct CalendarBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The property that could not be written.
    public var property: String
    public var problem: String

    public var description: String { "\(property): \(problem)" }
}
