import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// Applies a lifecycle event to one enrollment (nil: the worker has none in the session yet),
    /// stores the change it decided and queues the messages it asks for; returns how many were queued.
    @discardableResult
    func applyLifecycle(
        _ event: EnrollmentEvent, sessionID: Int64, workerID: Int64, from enrollment: Enrollment?, hold: Bool = false,
        _ tx: any StoreWriter
    ) async throws -> Int {
        let decision = try EnrollmentLifecycle.decide(event, sessionID: sessionID, workerID: workerID, from: enrollment?.state)
        return try await record(decision, hold: hold, tx)
    }

    /// Applies a lifecycle event to a stored enrollment; returns how many messages were queued.
    @discardableResult
    func applyLifecycle(_ event: EnrollmentEvent, to enrollment: Enrollment, hold: Bool = false, _ tx: any StoreWriter) async throws -> Int {
        try await record(try EnrollmentLifecycle.decide(event, for: enrollment), hold: hold, tx)
    }

    /// Like `applyLifecycle`, but an event the enrollment's state does not allow (cancelling an
    /// attended session) leaves it as it is. Returns whether the event applied.
    @discardableResult
    func applyLifecycleIfAllowed(_ event: EnrollmentEvent, to enrollment: Enrollment, _ tx: any StoreWriter) async throws -> Bool {
        guard let decision = try? EnrollmentLifecycle.decide(event, for: enrollment) else { return false }
        _ = try await record(decision, hold: false, tx)
        return true
    }

    /// Stores a decision: the state change, the messages it asks for, and the reminders that follow.
    private func record(_ decision: EnrollmentLifecycle.Decision, hold: Bool, _ tx: any StoreWriter) async throws -> Int {
        let change = decision.change
        try await tx.apply(change, now: clock.now())
        if change.from?.holdsSeat == true, !change.to.holdsSeat { try await tx.noteFreedSeat(sessionID: change.sessionID, at: clock.now()) }
        var queued = 0
        for message in decision.messages {
            let kind: OutboxKind =
                switch message {
                case .invitation: .invitation
                case .update: .update
                case .cancellation: .cancellation
                case .meetingCancellation: .meetingCancellation
                case .expiry: .expiry
                }
            var meeting: Date?
            if case .meetingCancelled(let originalStart) = change.event { meeting = originalStart }
            if try await queue(kind, sessionID: change.sessionID, workerID: change.workerID, meetingAt: meeting, hold: hold, tx) { queued += 1 }
        }
        if change.from == .invited, change.to != .invited {
            // They answered (or the invitation ended): a reminder to answer still waiting must not leave.
            for nudge in try await tx.outbox(OutboxFilter(sessionID: change.sessionID, workerID: change.workerID, kind: .nudge))
            where nudge.state.isWaiting {
                try await tx.record(try OutboxLifecycle.apply(.superseded, to: nudge))
            }
        }
        if change.to.hasCalendarEntry || change.from?.hasCalendarEntry == true {
            try await rescheduleReminders(sessionID: change.sessionID, workerID: change.workerID, state: change.to, hold: hold, tx)
        }
        return queued
    }

    /// Gives the free seats of sessions whose invitations have started to the best eligible
    /// waiting workers (the matching objective decides) and queues their invitations. The
    /// transaction that freed a seat noted its session (`seat_refill`); this runs after it has
    /// committed — before every send, so in the daemon's dispatcher for answers taken on the web
    /// or by mail — and no write lock is held while matching solves. It is idempotent: a seat
    /// filled meanwhile, or a worker placed meanwhile, is skipped, and a note is cleared only in
    /// the write that offered its seats, so a crash in between repeats the work, never loses it.
    public func refillFreedSeats() async throws {
        for sessionID in try await store.read({ try await $0.sessionsWithFreedSeats() }) {
            let proposal: [Int64] = try await store.read { tx in
                // Before the session's invitations start, a freed seat waits for the next `match`.
                guard try await invitationsStarted(sessionID, tx) else { return [] }
                let report = try await matchingReport(MatchingScope(sessionIDs: [sessionID]), tx)
                return report.outcome.assignments.compactMap { report.run.workers[$0.worker].id }
            }
            try await store.write { tx in
                // Taking the note is what lets one run offer the seats: a second run at once finds it gone.
                guard try await tx.clearFreedSeat(sessionID: sessionID) else { return }
                let now = clock.now()
                guard let stored = try await tx.session(id: sessionID), stored.session.status == .scheduled, stored.startsAt > now else {
                    return
                }
                var free = stored.session.capacity - stored.seatsTaken
                for workerID in proposal where free > 0 {
                    guard try await tx.enrollment(sessionID: sessionID, workerID: workerID) == nil else { continue }
                    try await applyLifecycle(.selectedByMatching, sessionID: sessionID, workerID: workerID, from: nil, tx)
                    let selected = try await tx.enrollment(sessionID: sessionID, workerID: workerID)
                    try await applyLifecycle(.invited, sessionID: sessionID, workerID: workerID, from: selected, tx)
                    free -= 1
                }
            }
        }
    }
}
