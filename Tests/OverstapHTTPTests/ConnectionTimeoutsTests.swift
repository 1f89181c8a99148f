import NIOCore
@testable import OverstapHTTP
import Testing

/// The connection time limits as a pure state machine, on instants the test chooses.
struct ConnectionTimeoutsTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let limits = ConnectionTimeouts.Limits(head: .seconds(10), idle: .seconds(60))

    func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }

    @Test func theFirstHeadIsDueWithinTheHeadTimeoutOfTheConnectionOpening() {
        var timeouts = ConnectionTimeouts(limits: limits, openedAt: start)
        #expect(timeouts.deadline == at(10))
        timeouts.received(at: at(5), headPending: true, answeredHere: false)
        #expect(timeouts.deadline == at(10), "bytes of the same head do not move the limit")
        #expect(!timeouts.expired(at: at(9)) && timeouts.expired(at: at(10)))
    }

    @Test func afterAnAnswerTheIdleLimitRunsUntilTheNextHeadStarts() {
        var timeouts = ConnectionTimeouts(limits: limits, openedAt: start)
        timeouts.received(at: at(1), headPending: false, answeredHere: true)
        #expect(timeouts.deadline == at(61))
        timeouts.received(at: at(30), headPending: true, answeredHere: false)
        #expect(timeouts.deadline == at(40), "a head has started: it must be whole in 10 s")
        timeouts.received(at: at(31), headPending: true, answeredHere: true)
        #expect(timeouts.deadline == at(41), "answered, and the next head already started")
    }

    @Test func noLimitRunsWhileTheRouterOwesAnAnswer() {
        var timeouts = ConnectionTimeouts(limits: limits, openedAt: start)
        timeouts.routerReadHead()
        timeouts.routerReadHead()
        timeouts.received(at: at(2), headPending: true, answeredHere: false)
        #expect(timeouts.deadline == nil && !timeouts.expired(at: at(1_000)))
        timeouts.routerAnswered(at: at(100), headPending: false)
        #expect(timeouts.deadline == nil, "one answer still owed")
        timeouts.routerAnswered(at: at(200), headPending: true)
        #expect(timeouts.deadline == at(210), "the pipelined head waiting since the last answer")
    }
}
