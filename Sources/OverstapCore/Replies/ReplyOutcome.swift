/// What to do with one attendee's calendar answer, as `ReplyJudge` decides it.
public enum ReplyOutcome: Sendable, Equatable {
    /// Apply the event through `EnrollmentLifecycle` (an answer, or `.refreshRequested` for a
    /// REFRESH), exactly as an answer link does. An accept that finds no free seat is refused there
    /// (`refused_full`), not here.
    case apply(EnrollmentEvent)
    /// An answer for one meeting of a series (RECURRENCE-ID): record it as the person's notice for
    /// that meeting ("afgemeld" for a decline). It never changes the enrollment or frees the seat.
    case meetingNotice(Answer)
    /// A COUNTER: keep the proposed time and COMMENT for the organiser; nothing changes or is sent.
    case counterProposal
    /// Not applied; kept for the organiser, who applies or dismisses it.
    case needsReview(ReplyReason)
    /// Not applied and not kept for review.
    case ignored(ReplyReason)

    /// The outcome as `reply list` shows it: `applied`, `needs_review` or `ignored` (notices and
    /// counter proposals are `applied`: they are recorded as they are).
    public var name: String {
        switch self {
        case .apply, .meetingNotice, .counterProposal: return "applied"
        case .needsReview: return "needs_review"
        case .ignored: return "ignored"
        }
    }

    /// The reason, for `needs_review` and `ignored`.
    public var reason: ReplyReason? {
        switch self {
        case .needsReview(let reason), .ignored(let reason): return reason
        case .apply, .meetingNotice, .counterProposal: return nil
        }
    }
}
