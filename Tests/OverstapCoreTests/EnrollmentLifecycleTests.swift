import OverstapCore
import Testing

struct EnrollmentLifecycleTests {
    typealias T = EnrollmentLifecycle.Transition

    @Test func matchingSelectsWithoutSendingAnything() throws {
        #expect(try EnrollmentLifecycle.apply(.selectedByMatching, to: nil) == T(.selected))
    }

    @Test func invitingQueuesTheInvitation() throws {
        #expect(try EnrollmentLifecycle.apply(.invited, to: .selected) == T(.invited, [.invitation]))
    }

    @Test(arguments: [EnrollmentState.invited, .accepted, .tentative])
    func answersMoveBetweenTheAnsweredStates(from state: EnrollmentState) throws {
        #expect(try EnrollmentLifecycle.apply(.answered(.accept), to: state) == T(.accepted))
        #expect(try EnrollmentLifecycle.apply(.answered(.tentative), to: state) == T(.tentative))
        #expect(try EnrollmentLifecycle.apply(.answered(.decline), to: state) == T(.declined, [.cancellation]))
    }

    @Test func acceptingAfterDecliningSendsTheCalendarEntryAgain() throws {
        #expect(try EnrollmentLifecycle.apply(.answered(.accept), to: .declined) == T(.accepted, [.invitation]))
        #expect(try EnrollmentLifecycle.apply(.answered(.tentative), to: .declined) == T(.tentative, [.invitation]))
        #expect(try EnrollmentLifecycle.apply(.answered(.decline), to: .declined) == T(.declined))
    }

    @Test func aMovedSessionUpdatesOnlyThoseWithACalendarEntry() throws {
        #expect(try EnrollmentLifecycle.apply(.sessionMoved, to: .selected) == T(.selected))
        for state in [EnrollmentState.invited, .accepted, .tentative] {
            #expect(try EnrollmentLifecycle.apply(.sessionMoved, to: state) == T(state, [.update]))
        }
        for state in [EnrollmentState.declined, .cancelled, .attended, .noShow] {
            #expect(try EnrollmentLifecycle.apply(.sessionMoved, to: state) == T(state))
        }
    }

    @Test(arguments: [EnrollmentEvent.sessionCancelled, .removedByOrganiser, .personErased])
    func endingAnEnrollmentCancelsCalendarEntriesOnly(event: EnrollmentEvent) throws {
        #expect(try EnrollmentLifecycle.apply(event, to: .selected) == T(.cancelled))
        for state in [EnrollmentState.invited, .accepted, .tentative] {
            #expect(try EnrollmentLifecycle.apply(event, to: state) == T(.cancelled, [.cancellation]))
        }
        #expect(try EnrollmentLifecycle.apply(event, to: .declined) == T(.cancelled))
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(event, to: .attended) }
    }

    @Test func anUndeliverableAddressFreesTheSeatWithoutMail() throws {
        for state in [EnrollmentState.selected, .invited, .accepted, .tentative] {
            #expect(try EnrollmentLifecycle.apply(.addressUndeliverable, to: state) == T(.cancelled))
        }
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.addressUndeliverable, to: .declined) }
    }

    @Test func attendanceIsRecordedAndCanBeCorrected() throws {
        #expect(try EnrollmentLifecycle.apply(.attended, to: .accepted) == T(.attended))
        #expect(try EnrollmentLifecycle.apply(.noShow, to: .accepted) == T(.noShow))
        #expect(try EnrollmentLifecycle.apply(.attended, to: .noShow) == T(.attended))
        #expect(try EnrollmentLifecycle.apply(.noShow, to: .attended) == T(.noShow))
    }

    @Test func eventsThatMakeNoSenseAreRefused() {
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.invited, to: nil) }
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.selectedByMatching, to: .declined) }
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.answered(.accept), to: .selected) }
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.answered(.accept), to: .cancelled) }
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.invited, to: .invited) }
    }

    @Test func seatsAreHeldUntilTheEnrollmentEnds() {
        let holding = EnrollmentState.allCases.filter(\.holdsSeat)
        #expect(holding == [.selected, .invited, .accepted, .tentative, .attended, .noShow])
    }
}

struct EnrollmentLifecycleEventsOfTheOrganiserTests {
    typealias T = EnrollmentLifecycle.Transition

    @Test func anOrganiserPlacesLikeMatchingDoes() throws {
        #expect(try EnrollmentLifecycle.apply(.placedByOrganiser(override: nil), to: nil) == T(.selected))
        #expect(try EnrollmentLifecycle.apply(.placedByOrganiser(override: "UWV asked"), to: nil) == T(.selected))
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.placedByOrganiser(override: nil), to: .invited) }
    }

    @Test func aPlacementKeepsItsOverrideReasonForTheStore() throws {
        let decision = try EnrollmentLifecycle.decide(.placedByOrganiser(override: "UWV asked"), sessionID: 3, workerID: 7, from: nil)
        #expect(decision.change.overrideReason == "UWV asked")
        #expect(decision.change.from == nil && decision.change.to == .selected)
        #expect(try EnrollmentLifecycle.decide(.selectedByMatching, sessionID: 3, workerID: 7, from: nil).change.overrideReason == nil)
    }

    @Test func anUnansweredInvitationExpiresWithACancellationAndFreesTheSeat() throws {
        #expect(try EnrollmentLifecycle.apply(.deadlinePassed, to: .invited) == T(.expired, [.expiry]))
        #expect(!EnrollmentState.expired.holdsSeat)
        for answered in [EnrollmentState.accepted, .tentative, .declined, .selected] {
            #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.deadlinePassed, to: answered) }
        }
    }

    @Test func aLateAnswerAfterExpiryBringsTheEntryBack() throws {
        #expect(try EnrollmentLifecycle.apply(.answered(.accept), to: .expired) == T(.accepted, [.invitation]))
        #expect(try EnrollmentLifecycle.apply(.answered(.tentative), to: .expired) == T(.tentative, [.invitation]))
        #expect(try EnrollmentLifecycle.apply(.answered(.decline), to: .expired) == T(.declined))
    }

    @Test func aRefreshResendsTheCurrentInvitationToThoseWhoHaveOne() throws {
        for state in [EnrollmentState.invited, .accepted, .tentative] {
            #expect(try EnrollmentLifecycle.apply(.refreshRequested, to: state) == T(state, [.invitation]))
        }
        for state in [EnrollmentState.selected, .declined, .expired, .cancelled] {
            #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.refreshRequested, to: state) }
        }
    }

    @Test func movingToAnotherSessionCancelsTheEntryLeftBehind() throws {
        #expect(try EnrollmentLifecycle.apply(.movedToAnotherSession, to: .selected) == T(.cancelled))
        #expect(try EnrollmentLifecycle.apply(.movedToAnotherSession, to: .accepted) == T(.cancelled, [.cancellation]))
        #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.movedToAnotherSession, to: .declined) }
    }

    @Test(arguments: [EnrollmentState.cancelled, .declined, .expired])
    func anOrganiserCanPlaceAgainAfterTheEnrollmentEnded(from state: EnrollmentState) throws {
        #expect(try EnrollmentLifecycle.apply(.placedByOrganiser(override: nil), to: state) == T(.selected))
        let decision = try EnrollmentLifecycle.decide(.placedByOrganiser(override: "called us"), sessionID: 1, workerID: 2, from: state)
        #expect(decision.change.from == state && decision.change.to == .selected && decision.change.overrideReason == "called us")
        #expect(decision.messages.isEmpty, "the invitation follows with .invited")
        #expect(try EnrollmentLifecycle.apply(.invited, to: .selected) == T(.invited, [.invitation]))
    }

    @Test func matchingNeverPlacesAgainWhatEnded() {
        for state in [EnrollmentState.cancelled, .declined, .expired] {
            #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.selectedByMatching, to: state) }
        }
    }

    @Test func placingSomeoneWhoIsStillInTheSessionOrHasAnOutcomeIsRefused() {
        for state in [EnrollmentState.selected, .invited, .accepted, .tentative, .attended, .noShow] {
            #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.placedByOrganiser(override: nil), to: state) }
        }
    }

    @Test func aWalkInPlacedAfterTheSessionGetsAnOutcomeWithoutAnyMail() throws {
        #expect(try EnrollmentLifecycle.apply(.attended, to: .selected) == T(.attended))
        #expect(try EnrollmentLifecycle.apply(.noShow, to: .selected) == T(.noShow))
        for ended in [EnrollmentState.declined, .expired, .cancelled] {
            #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.attended, to: ended) }
            #expect(throws: EnrollmentLifecycle.RefusedEvent.self) { try EnrollmentLifecycle.apply(.noShow, to: ended) }
        }
    }
}
