import Foundation

/// Where "now" comes from, so commands and tests can fix the clock (`OVERSTAP_NOW`).
public struct TimeSource: Sendable {
    private let read: @Sendable () -> Date

    /// A time source that calls `read` each time.
    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    /// The current instant.
    public func now() -> Date { read() }

    /// The system clock.
    public static let system = TimeSource { Date() }

    /// A clock stopped at one instant.
    public static func fixed(_ instant: Date) -> TimeSource { TimeSource { instant } }
}
