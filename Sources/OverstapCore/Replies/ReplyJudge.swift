import Foundation

/// Decides which calendar answers count (issue #19, "Which answers count"), with no I/O: the
/// service looks up the standing in the store, asks the judge, and performs the outcome.
///
/// Order matters: a message seen before, a non-answer and a session that no longer takes answers
/// are ignored first; then anything that casts doubt on who answered goes to the organiser; only
/// then is the answer itself weighed. A decline counts even for an older SEQUENCE (the person does
/// not want to come); an accept or tentative for an older one does not.
public enum ReplyJudge {
    /// The outcome for one attendee's answer in one VEVENT.
    public static func decide(_ facts: ReplyFacts, standing: ReplyStanding) -> ReplyOutcome {
        if standing.messageAlreadyHandled { return .ignored(.duplicateMessage) }
        if case .other = facts.method { return .ignored(.notAnAnswer) }
        switch standing.session {
        case .unknown: return .ignored(.unknownSession)
        case .cancelled: return .ignored(.sessionCancelled)
        case .past: return .ignored(.sessionPast)
        case .scheduled: break
        }
        if facts.dmarcFailed { return .needsReview(.dmarcFailed) }
        guard let invitee = standing.invitee else { return .needsReview(.attendeeNotInvited) }
        if facts.isForwarded { return .needsReview(.forwarded) }
        guard let from = facts.from, sameAddress(from, facts.attendee) else { return .needsReview(.fromNotAttendee) }
        switch facts.method {
        case .refresh:
            return invitee.state.hasCalendarEntry ? .apply(.refreshRequested) : .ignored(.enrollmentClosed)
        case .counter:
            return .counterProposal
        case .reply, .other:
            return judgeAnswer(facts, invitee: invitee)
        }
    }

    private static func judgeAnswer(_ facts: ReplyFacts, invitee: ReplyStanding.Invitee) -> ReplyOutcome {
        let answer: Answer
        switch facts.participation {
        case .accepted: answer = .accept
        case .tentative: answer = .tentative
        case .declined: answer = .decline
        case .delegated: return .needsReview(.delegated)
        case .needsAction, .other: return .ignored(.noAnswerGiven)
        }
        if let stamp = facts.stamp, let recorded = invitee.recordedAnswerStamp, stamp < recorded {
            return .ignored(.olderThanRecordedAnswer)
        }
        // After an expiry the last message they got is our CANCEL, so a late answer to the
        // invitation they held carries a lower SEQUENCE by nature; it is taken like an answer link.
        if answer != .decline, invitee.state != .expired, let sequence = facts.sequence, let sent = invitee.lastSequenceSent, sequence < sent {
            return .needsReview(.staleSequence)
        }
        if facts.isForOneMeeting { return .meetingNotice(answer) }
        guard (try? EnrollmentLifecycle.apply(.answered(answer), to: invitee.state)) != nil else { return .ignored(.enrollmentClosed) }
        return .apply(.answered(answer))
    }

    /// Addresses compared as mail systems treat them in practice: whole address, any case. Aliases
    /// (Gmail's dots, Exchange's primary address) are different addresses on purpose.
    public static func sameAddress(_ left: String, _ right: String) -> Bool {
        left.trimmingCharacters(in: .whitespaces).lowercased() == right.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
