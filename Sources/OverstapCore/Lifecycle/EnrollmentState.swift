/// Where a worker stands with one session.
public enum EnrollmentState: String, CaseIterable, Codable, Sendable {
    /// Chosen by matching; nothing sent yet.
    case selected
    /// The invitation is on its way or arrived; no answer yet.
    case invited
    case accepted
    /// "Maybe": still holds a seat.
    case tentative
    case declined
    /// Invited, but no answer came before the answer deadline: the seat went to someone else.
    case expired
    /// Taken out by the organiser, by erasure or because the session was cancelled.
    case cancelled
    case attended
    case noShow = "no_show"

    /// True while the enrollment counts against the session's capacity.
    public var holdsSeat: Bool {
        switch self {
        case .selected, .invited, .accepted, .tentative, .attended, .noShow: return true
        case .declined, .expired, .cancelled: return false
        }
    }

    /// True while the person expects to come (the states matching treats as a commitment).
    public var isActive: Bool {
        switch self {
        case .selected, .invited, .accepted, .tentative: return true
        case .declined, .expired, .cancelled, .attended, .noShow: return false
        }
    }

    /// True when the person has a calendar entry from us that a change or cancellation must reach.
    public var hasCalendarEntry: Bool {
        switch self {
        case .invited, .accepted, .tentative: return true
        case .selected, .declined, .expired, .cancelled, .attended, .noShow: return false
        }
    }
}
