import Foundation
import OverstapCore
import Testing

struct OutboxPolicyTests {
    static let start = Date(timeIntervalSince1970: 1_799_568_000)

    func message(_ id: Int64, _ kind: OutboxKind, _ state: OutboxState) -> OutboxMessage {
        var message = OutboxMessage(
            kind: kind, sessionID: 1, workerID: 1, recipient: "a@example.org", messageID: "\(id)@example.org", held: false,
            dueAt: Self.start, createdAt: Self.start)
        message.id = id
        return OutboxMessage(stored: message, state: state)
    }

    @Test func aFirstInvitationIsQueued() {
        #expect(OutboxPolicy.decide(.invitation, earlier: []) == .init(supersede: [], queue: true))
    }

    @Test func anUpdateFoldsIntoAnInvitationThatHasNotLeft() {
        for state in [OutboxState.pending, .held] {
            #expect(OutboxPolicy.decide(.update, earlier: [message(1, .invitation, state)]) == .init(supersede: [], queue: false))
        }
    }

    @Test func aNewerUpdateReplacesAWaitingOne() {
        let earlier = [message(1, .invitation, .sent), message(2, .update, .pending)]
        #expect(OutboxPolicy.decide(.update, earlier: earlier) == .init(supersede: [2], queue: true))
    }

    @Test func aCancellationToSomeoneWhoGotNothingIsDroppedWithWhatWaits() {
        #expect(OutboxPolicy.decide(.cancellation, earlier: [message(1, .invitation, .pending)]) == .init(supersede: [1], queue: false))
        #expect(OutboxPolicy.decide(.cancellation, earlier: []) == .init(supersede: [], queue: false))
    }

    @Test func aCancellationAfterTheInvitationLeftIsSentAndReplacesAWaitingUpdate() {
        let earlier = [message(1, .invitation, .sent), message(2, .update, .held)]
        #expect(OutboxPolicy.decide(.cancellation, earlier: earlier) == .init(supersede: [2], queue: true))
        #expect(OutboxPolicy.decide(.cancellation, earlier: [message(1, .invitation, .sending)]) == .init(supersede: [], queue: true))
    }

    @Test func remindersStandAlone() {
        #expect(OutboxPolicy.decide(.reminder, earlier: [message(1, .reminder, .pending)]) == .init(supersede: [], queue: true))
    }

    @Test func retriesBackOffExponentiallyUpToTheMaximumAndThenGiveUp() {
        let retry = OutboxPolicy.Retry(first: 60, maximum: 3600, giveUp: 86_400)
        let delays = (1...8).map { retry.nextAttempt(after: $0, now: Self.start, queuedAt: Self.start)!.timeIntervalSince(Self.start) }
        #expect(delays == [60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(retry.nextAttempt(after: 3, now: Self.start.addingTimeInterval(86_300), queuedAt: Self.start) == nil)
    }
}
