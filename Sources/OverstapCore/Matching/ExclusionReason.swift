/// Why a worker cannot be placed in a session, in the order the eligibility rules are checked.
public enum ExclusionReason: String, Sendable, CaseIterable, Comparable {
    /// Rule 1: the session's sector is not one the worker wants to move to.
    case sector
    /// Rule 2: the session is held in a language the worker does not speak.
    case language
    /// Rule 3: an on-site session in another region.
    case region
    /// Rule 4: a meeting falls outside the worker's weekly availability.
    case availability
    /// Rule 4: a meeting falls outside `available_from`…`available_until`.
    case dateRange = "date_range"
    /// Rule 5: the session is cancelled or has started.
    case sessionClosed = "session_closed"
    /// Rule 5: the session is full.
    case noSeats = "no_seats"
    /// Rule 6: the worker already has an enrollment in this session (a decline is respected).
    case alreadyEnrolled = "already_enrolled"
    /// Rule 6: the worker is committed to a session at the same time.
    case overlap
    /// Rule 6: the worker already has the maximum number of upcoming sessions.
    case maxSessions = "max_sessions"
    /// A mail server refused the worker's address for good: no invitation can reach them.
    case undeliverable
    /// Eligible, but the seats went to others by the ranking.
    case outranked
    /// There is no open session to place anyone in.
    case noOpenSessions = "no_open_sessions"

    private static let inOrder = allCases
    private var order: Int { Self.inOrder.firstIndex(of: self) ?? 0 }

    public static func < (lhs: ExclusionReason, rhs: ExclusionReason) -> Bool { lhs.order < rhs.order }
}

extension MatchingLevel {
    /// The level's code in CLI output.
    public var code: String {
        switch self {
        case .unemployedPlaced: return "unemployed_placed"
        case .atRiskPlaced: return "at_risk_placed"
        case .tailored: return "tailored"
        case .startRank: return "start_rank"
        case .priority: return "waiting_priority"
        }
    }
}
