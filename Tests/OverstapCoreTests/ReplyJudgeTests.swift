import Foundation
import OverstapCore
import Testing

struct ReplyJudgeTests {
    static let written = Date(timeIntervalSince1970: 1_799_568_000)

    static func facts(
        _ participation: ReplyFacts.Participation = .accepted, method: ReplyFacts.Method = .reply, sequence: Int? = 2,
        stamp: Date? = written, oneMeeting: Bool = false, from: String? = "anouk@example.nl", attendee: String = "Anouk@Example.nl",
        dmarcFailed: Bool = false, forwarded: Bool = false
    ) -> ReplyFacts {
        ReplyFacts(
            method: method, uid: "u@team.example.nl", attendee: attendee, participation: participation, sequence: sequence, stamp: stamp,
            isForOneMeeting: oneMeeting, from: from, dmarcFailed: dmarcFailed, isForwarded: forwarded)
    }

    static func standing(
        _ session: ReplyStanding.Session = .scheduled, state: EnrollmentState? = .invited, lastSent: Int? = 2, recorded: Date? = nil,
        handled: Bool = false
    ) -> ReplyStanding {
        ReplyStanding(
            session: session,
            invitee: state.map { .init(address: "anouk@example.nl", state: $0, lastSequenceSent: lastSent, recordedAnswerStamp: recorded) },
            messageAlreadyHandled: handled)
    }

    @Test func answersFromTheAttendeeApplyLikeAnAnswerLink() {
        #expect(ReplyJudge.decide(Self.facts(.accepted), standing: Self.standing()) == .apply(.answered(.accept)))
        #expect(ReplyJudge.decide(Self.facts(.tentative), standing: Self.standing()) == .apply(.answered(.tentative)))
        #expect(ReplyJudge.decide(Self.facts(.declined), standing: Self.standing()) == .apply(.answered(.decline)))
    }

    @Test func aMissingSequenceIsUnknownNotStale() {
        #expect(ReplyJudge.decide(Self.facts(.accepted, sequence: nil), standing: Self.standing(lastSent: 3)) == .apply(.answered(.accept)))
        #expect(ReplyJudge.decide(Self.facts(.accepted, sequence: 0), standing: Self.standing(lastSent: nil)) == .apply(.answered(.accept)))
    }

    @Test func aLateAnswerToAnExpiredInvitationIsTakenThoughTheExpiryRaisedTheSequence() {
        let expired = Self.standing(state: .expired, lastSent: 1)
        #expect(ReplyJudge.decide(Self.facts(.accepted, sequence: 0), standing: expired) == .apply(.answered(.accept)))
        #expect(ReplyJudge.decide(Self.facts(.tentative, sequence: 0), standing: expired) == .apply(.answered(.tentative)))
    }

    @Test func aDeclineCountsForAnOlderSequenceButAnAcceptDoesNot() {
        #expect(ReplyJudge.decide(Self.facts(.declined, sequence: 0), standing: Self.standing(lastSent: 2)) == .apply(.answered(.decline)))
        #expect(ReplyJudge.decide(Self.facts(.accepted, sequence: 1), standing: Self.standing(lastSent: 2)) == .needsReview(.staleSequence))
        #expect(ReplyJudge.decide(Self.facts(.tentative, sequence: 1), standing: Self.standing(lastSent: 2)) == .needsReview(.staleSequence))
        #expect(ReplyJudge.decide(Self.facts(.accepted, sequence: 3), standing: Self.standing(lastSent: 2)) == .apply(.answered(.accept)))
    }

    @Test func anAnswerWrittenBeforeTheRecordedOneIsIgnored() {
        let later = Self.written.addingTimeInterval(3_600)
        #expect(ReplyJudge.decide(Self.facts(.accepted), standing: Self.standing(state: .declined, recorded: later)) == .ignored(.olderThanRecordedAnswer))
        #expect(ReplyJudge.decide(Self.facts(.declined, stamp: later), standing: Self.standing(recorded: Self.written)) == .apply(.answered(.decline)))
        #expect(ReplyJudge.decide(Self.facts(.declined, stamp: nil), standing: Self.standing(recorded: Self.written)) == .apply(.answered(.decline)))
    }

    @Test func doubtAboutWhoAnsweredGoesToTheOrganiser() {
        #expect(ReplyJudge.decide(Self.facts(from: "someone@else.nl"), standing: Self.standing()) == .needsReview(.fromNotAttendee))
        #expect(ReplyJudge.decide(Self.facts(from: nil), standing: Self.standing()) == .needsReview(.fromNotAttendee))
        #expect(ReplyJudge.decide(Self.facts(), standing: Self.standing(state: nil)) == .needsReview(.attendeeNotInvited))
        #expect(ReplyJudge.decide(Self.facts(.delegated), standing: Self.standing()) == .needsReview(.delegated))
        #expect(ReplyJudge.decide(Self.facts(.declined, dmarcFailed: true), standing: Self.standing()) == .needsReview(.dmarcFailed))
        #expect(ReplyJudge.decide(Self.facts(forwarded: true), standing: Self.standing()) == .needsReview(.forwarded))
    }

    @Test func sessionsThatTakeNoAnswersAndRepeatsAreIgnored() {
        #expect(ReplyJudge.decide(Self.facts(), standing: Self.standing(.unknown, state: nil)) == .ignored(.unknownSession))
        #expect(ReplyJudge.decide(Self.facts(), standing: Self.standing(.cancelled)) == .ignored(.sessionCancelled))
        #expect(ReplyJudge.decide(Self.facts(), standing: Self.standing(.past)) == .ignored(.sessionPast))
        #expect(ReplyJudge.decide(Self.facts(), standing: Self.standing(handled: true)) == .ignored(.duplicateMessage))
        #expect(ReplyJudge.decide(Self.facts(method: .other("REQUEST")), standing: Self.standing()) == .ignored(.notAnAnswer))
        #expect(ReplyJudge.decide(Self.facts(.needsAction), standing: Self.standing()) == .ignored(.noAnswerGiven))
        #expect(ReplyJudge.decide(Self.facts(.accepted), standing: Self.standing(state: .cancelled)) == .ignored(.enrollmentClosed))
    }

    @Test func anAnswerForOneMeetingIsANoticeThatKeepsTheSeriesSeat() {
        let decision = ReplyJudge.decide(Self.facts(.declined, oneMeeting: true), standing: Self.standing(state: .accepted))
        #expect(decision == .meetingNotice(.decline))
        #expect(decision.name == "applied" && decision.reason == nil)
    }

    @Test func aCounterIsKeptAndARefreshSendsTheInvitationAgain() {
        #expect(ReplyJudge.decide(Self.facts(.tentative, method: .counter), standing: Self.standing()) == .counterProposal)
        #expect(ReplyJudge.decide(Self.facts(.needsAction, method: .refresh), standing: Self.standing(state: .accepted)) == .apply(.refreshRequested))
        #expect(ReplyJudge.decide(Self.facts(.needsAction, method: .refresh), standing: Self.standing(state: .declined)) == .ignored(.enrollmentClosed))
    }

    @Test func everyReasonHasACodeAndText() {
        for reason in ReplyReason.allCases {
            #expect(!reason.description.isEmpty && reason.rawValue.allSatisfy { $0.isLowercase || $0 == "_" })
        }
        #expect(ReplyOutcome.needsReview(.delegated).name == "needs_review" && ReplyOutcome.ignored(.sessionPast).name == "ignored")
    }
}
