/// Why text from outside could not be read as iCalendar, with the 1-based source line.
public struct ICalendarParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The physical line in the input where the problem starts.
    public var line: Int
    /// The property (or component) concerned, e.g. `DTSTART` or `VEVENT`.
    public var property: String
    public var problem: String

    /// Creates an error.
    public init(line: Int, property: String, problem: String) {
        self.line = line
        self.property = property
        self.problem = problem
    }

    public var description: String { "line \(line): \(property): \(problem)" }
}
