/// Something that happens to an enrollment.
public enum EnrollmentEvent: Equatable, Sendable {
    /// Matching chose the worker for the session.
    case selectedByMatching
    /// The organiser sent (queued) the invitation.
    case invited
    /// The participant answered, by link or from the calendar client.
    case answered(Answer)
    /// The session's time, place or content changed in a way participants should see.
    case sessionMoved
    case sessionCancelled
    /// The organiser took the person out of the session.
    case removedByOrganiser
    /// The person asked to be forgotten.
    case personErased
    /// A mail server refused the person's address for good: the seat goes to someone else.
    case addressUndeliverable
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
}
