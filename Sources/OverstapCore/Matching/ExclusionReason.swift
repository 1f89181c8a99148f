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

    /// Position in the order of the rules: compared for every candidate pair, so no search.
    private var order: Int {
        switch self {
        case .sector: 0
        case .language: 1
        case .region: 2
        case .availability: 3
        case .dateRange: 4
        case .sessionClosed: 5
        case .noSeats: 6
        case .alreadyEnrolled: 7
        case .overlap: 8
        case .maxSessions: 9
        case .undeliverable: 10
        case .outranked: 11
        case .noOpenSessions: 12
        }
    }

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
