/// How many people attended one meeting, did not show, or were excused.
public struct AttendanceCounts: Equatable, Sendable {
    public var attended = 0
    public var noShow = 0
    public var excused = 0

    /// Counts of nobody.
    public init(attended: Int = 0, noShow: Int = 0, excused: Int = 0) {
        self.attended = attended
        self.noShow = noShow
        self.excused = excused
    }

    /// Adds `count` people with `presence`.
    public mutating func add(_ presence: Presence, count: Int = 1) {
        switch presence {
        case .attended: attended += count
        case .noShow: noShow += count
        case .excused: excused += count
        }
    }
}
