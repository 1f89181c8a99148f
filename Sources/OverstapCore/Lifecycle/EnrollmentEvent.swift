import Foundation

/// Something that happens to an enrollment.
public enum EnrollmentEvent: Equatable, Sendable {
    /// Matching chose the worker for the session.
    case selectedByMatching
    /// The organiser placed the worker by hand; `override` is the reason given for placing someone
    /// the matching rules exclude (nil when the rules allow the placement).
    case placedByOrganiser(override: String?)
    /// The organiser sent (queued) the invitation.
    case invited
    /// The participant answered, by link or from the calendar client.
    case answered(Answer)
    /// The answer deadline passed without an answer: the seat goes to someone else.
    case deadlinePassed
    /// The participant's calendar asked for the current invitation again (iTIP REFRESH).
    case refreshRequested
    /// The session's time, place or content changed in a way participants should see.
    case sessionMoved
    case sessionCancelled
    /// One meeting of the series was called off (its original start): the entry stays, that
    /// meeting goes from it.
    case meetingCancelled(originalStart: Date)
    /// The organiser took the person out of the session.
    case removedByOrganiser
    /// The organiser moved the person to another session; this is the side of the session they leave.
    case movedToAnotherSession
    /// The person asked to be forgotten.
    case personErased
    /// A mail server refused the person's address for good: the seat goes to someone else.
    case addressUndeliverable
    /// After the last meeting: the person came often enough (attendance per meeting is kept beside
    /// the enrollment; this is the decision drawn from it).
    case attended
    case noShow
}

/// A participant's answer to an invitation.
public enum Answer: String, CaseIterable, Sendable {
    case accept, tentative, decline
}

/// A message the lifecycle asks to be queued for the participant.
public enum EnrollmentMessage: String, Equatable, Sendable {
    /// A calendar REQUEST for the session.
    case invitation
    /// A calendar REQUEST with a higher SEQUENCE, replacing the entry.
    case update
    /// A calendar CANCEL that removes the entry.
    case cancellation
    /// A calendar CANCEL of one meeting (RECURRENCE-ID); the rest of the entry stays.
    case meetingCancellation
    /// A calendar CANCEL saying no answer came before the deadline, so the seat went to someone else.
    case expiry
}
