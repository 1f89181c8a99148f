import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What placing someone by hand did.
    public struct Placement: Sendable {
        public var session: StoredSession
        public var worker: Worker
        /// The enrollment as stored afterwards.
        public var enrollment: Enrollment
        /// The rules the organiser overrode (empty when the rules allow the placement).
        public var overridden: [Exclusion]
        /// True when the placement took a seat beyond the capacity (`--over-capacity`).
        public var overCapacity: Bool
        /// Messages queued for the person (the invitation, when invitations have started).
        public var queued: Int
        /// True when the session's last meeting had ended: nothing was sent (a walk-in placed afterwards).
        public var sessionOver: Bool
    }

    /// What taking someone out did.
    public struct Removal: Sendable {
        public var session: StoredSession
        public var worker: Worker
        /// The state the enrollment had.
        public var from: EnrollmentState
        /// Messages queued for the person (the cancellation, if they had a calendar entry).
        public var queued: Int
    }

    /// What moving someone did: the side they left and the side they joined.
    public struct Move: Sendable {
        public var removal: Removal
        public var placement: Placement
    }

    /// One row of `enroll list`.
    public struct EnrollmentListing: Sendable {
        public var enrollment: Enrollment
        public var session: StoredSession
        public var email: String
        public var name: String
    }

    /// The organiser's choices when placing by hand.
    public struct PlacementOptions: Sendable {
        /// Place although the matching rules exclude the person; the reason is stored.
        public var overrideReason: String?
        /// Place although every seat is taken.
        public var overCapacity: Bool

        /// Creates options.
        public init(overrideReason: String? = nil, overCapacity: Bool = false) {
            self.overrideReason = overrideReason
            self.overCapacity = overCapacity
        }
    }

    /// Places a person in a session by hand, through the lifecycle: refused when a matching rule
    /// excludes them (unless overridden with a reason) or when the session is full (unless over
    /// capacity). Invites them at once when the session's invitations have started.
    public func enroll(email: String, sessionID: Int64, _ options: PlacementOptions) async throws -> Placement {
        try checkOverrideReason(options)
        return try await store.write { tx in
            let worker = try await existingWorker(email: email, tx)
            return try await place(worker, sessionID: sessionID, options, leaving: nil, invite: false, tx)
        }
    }

    /// Takes a person out of a session: a cancellation if they had a calendar entry; the seat is
    /// noted for the waiting list like a decline.
    public func unenroll(email: String, sessionID: Int64, reason: String?) async throws -> Removal {
        if let reason { try SessionRules.singleLine(reason, place: "--reason", required: true) }
        return try await store.write { tx in
            let worker = try await existingWorker(email: email, tx)
            return try await remove(worker, sessionID: sessionID, event: .removedByOrganiser, reason: reason, place: "SESSION", tx)
        }
    }

    /// Moves a person from one session to another in one transaction: one cancellation and one
    /// invitation, or nothing at all when the new placement is refused.
    public func moveEnrollment(email: String, from: Int64, to: Int64, _ options: PlacementOptions) async throws -> Move {
        try checkOverrideReason(options)
        guard from != to else {
            throw InputError(place: "TO", problem: "is the session they are in already (\(from))", fix: "give another session id")
        }
        return try await store.write { tx in
            let worker = try await existingWorker(email: email, tx)
            let removal = try await remove(worker, sessionID: from, event: .movedToAnotherSession, reason: nil, place: "FROM", tx)
            // Someone who had a calendar entry expects the new one at once.
            let placement = try await place(worker, sessionID: to, options, leaving: from, invite: removal.from.hasCalendarEntry, tx)
            return Move(removal: removal, placement: placement)
        }
    }

    /// Enrollments of one session, or of one person, or all, optionally only in some states; by
    /// session start, then roster number.
    public func enrollmentList(sessionID: Int64?, email: String?, states: Set<EnrollmentState>) async throws -> [EnrollmentListing] {
        try await store.read { tx in
            var rows: [EnrollmentListing] = []
            if let email {
                let worker = try await existingWorker(email: email, tx)
                for row in try await tx.enrollments(workerID: worker.id ?? 0) where sessionID == nil || row.session.id == sessionID {
                    rows.append(EnrollmentListing(enrollment: row.enrollment, session: row.session, email: worker.email, name: worker.name))
                }
            } else {
                let sessions: [StoredSession]
                if let sessionID {
                    sessions = [try await storedSession(sessionID, place: "--session", tx)]
                } else {
                    sessions = try await tx.sessions(SessionFilter())
                }
                for session in sessions {
                    for row in try await tx.enrollments(sessionID: session.id).sorted(by: Self.rosterOrder) {
                        rows.append(EnrollmentListing(enrollment: row.enrollment, session: session, email: row.email, name: row.name))
                    }
                }
            }
            return rows.filter { states.isEmpty || states.contains($0.enrollment.state) }
        }
    }

    static func rosterOrder(_ lhs: EnrollmentWithWorker, _ rhs: EnrollmentWithWorker) -> Bool {
        (lhs.enrollment.rosterNumber ?? Int.max, lhs.enrollment.id ?? 0) < (rhs.enrollment.rosterNumber ?? Int.max, rhs.enrollment.id ?? 0)
    }

    private func checkOverrideReason(_ options: PlacementOptions) throws {
        guard let reason = options.overrideReason else { return }
        try SessionRules.singleLine(reason, place: "--override", required: true)
    }

    /// Places `worker` in `sessionID` (the caller's transaction). `leaving` is a session the
    /// worker is leaving in the same step, so it neither overlaps nor counts against the limit.
    private func place(
        _ worker: Worker, sessionID: Int64, _ options: PlacementOptions, leaving: Int64?, invite: Bool, _ tx: any StoreWriter
    ) async throws -> Placement {
        let place = leaving == nil ? "SESSION" : "TO"
        let session = try await storedSession(sessionID, place: place, tx)
        let workerID = worker.id ?? 0
        let current = try await tx.enrollment(sessionID: sessionID, workerID: workerID)
        if let current, current.state.holdsSeat {
            throw InputError(
                place: "\(place) \(sessionID)", problem: "\(worker.email) is \(current.state.rawValue) in '\(session.session.title)' already",
                fix: "see the session's enrollments with: overstap enroll list --session \(sessionID)")
        }
        let exclusions = try await placementExclusions(worker, sessionID: sessionID, ignoring: [sessionID] + (leaving.map { [$0] } ?? []), tx)
        if let closed = exclusions.first(where: { $0.reason == .sessionClosed }), session.session.status == .cancelled {
            throw InputError(place: "\(place) \(sessionID)", problem: closed.detail, fix: "choose a session that still takes place (overstap session list)")
        }
        let rules = exclusions.filter { $0.reason != .noSeats }
        if !rules.isEmpty, options.overrideReason == nil {
            throw InputErrors(rules.map { rule in
                InputError(
                    place: "\(place) \(sessionID)", problem: "the rule \(rule.reason.rawValue) excludes \(worker.email): \(rule.detail)",
                    fix: "place them anyway with --override \"REASON\" (the reason is stored and shown in enroll list)")
            })
        }
        let full = session.seatsTaken >= session.session.capacity
        if full, !options.overCapacity {
            throw InputError(
                place: "\(place) \(sessionID)", problem: "'\(session.session.title)' is full (\(session.seatsTaken) of \(session.session.capacity) seats taken)",
                fix: "add a seat beyond the capacity with --over-capacity, or raise it with: overstap session update \(sessionID) --capacity N")
        }
        let reason = rules.isEmpty ? nil : options.overrideReason
        var queued = try await applyLifecycle(.placedByOrganiser(override: reason), sessionID: sessionID, workerID: workerID, from: current, tx)
        // After the last meeting there is nothing to invite to: a walk-in placed afterwards gets no mail.
        let over = session.endsAt <= clock.now()
        let started = try await invitationsStarted(sessionID, tx)
        if !over && (invite || started) {
            let selected = try await tx.enrollment(sessionID: sessionID, workerID: workerID)
            queued += try await applyLifecycle(.invited, sessionID: sessionID, workerID: workerID, from: selected, tx)
        }
        guard let stored = try await tx.enrollment(sessionID: sessionID, workerID: workerID) else {
            throw NotFoundError(kind: "enrollment", key: "\(worker.email) in \(sessionID)", fix: "try again")
        }
        return Placement(
            session: try await storedSession(sessionID, place: place, tx), worker: worker, enrollment: stored,
            overridden: reason == nil ? [] : rules, overCapacity: full, queued: queued, sessionOver: over)
    }

    /// Ends `worker`'s active enrollment in `sessionID` with `event` (the caller's transaction).
    private func remove(
        _ worker: Worker, sessionID: Int64, event: EnrollmentEvent, reason: String?, place: String, _ tx: any StoreWriter
    ) async throws -> Removal {
        let session = try await storedSession(sessionID, place: place, tx)
        let workerID = worker.id ?? 0
        guard let current = try await tx.enrollment(sessionID: sessionID, workerID: workerID) else {
            throw InputError(
                place: "\(place) \(sessionID)", problem: "\(worker.email) is not enrolled in '\(session.session.title)'",
                fix: "see their enrollments with: overstap enroll list --worker \(worker.email)")
        }
        guard session.endsAt > clock.now() else {
            throw InputError(
                place: "\(place) \(sessionID)", problem: "'\(session.session.title)' is over; there is nothing to take \(worker.email) out of",
                fix: "record who came with: overstap session attendance \(sessionID)")
        }
        guard current.state.isActive else {
            throw InputError(
                place: "\(place) \(sessionID)", problem: "\(worker.email) is \(current.state.rawValue) in '\(session.session.title)' already; nothing to take back",
                fix: "see their enrollments with: overstap enroll list --worker \(worker.email)")
        }
        let queued = try await applyLifecycle(event, to: current, tx)
        if let reason { try await tx.setRemovalReason(reason, sessionID: sessionID, workerID: workerID) }
        return Removal(session: try await storedSession(sessionID, place: place, tx), worker: worker, from: current.state, queued: queued)
    }

    /// The session's invitations have started once anyone in it was invited (by matching's
    /// `invite`, a refill, or by hand).
    func invitationsStarted(_ sessionID: Int64, _ tx: any StoreReader) async throws -> Bool {
        if try await tx.enrollments(sessionID: sessionID).contains(where: { ![.selected, .cancelled].contains($0.enrollment.state) }) { return true }
        return try await !tx.outbox(OutboxFilter(sessionID: sessionID, kind: .invitation)).isEmpty
    }

    /// The matching rules that keep `worker` out of `sessionID`, with their detail, by the same
    /// code matching runs; enrollments in `ignoring` are left out (the one being replaced, the
    /// one being left in a move).
    func placementExclusions(_ worker: Worker, sessionID: Int64, ignoring: [Int64], _ tx: any StoreReader) async throws -> [Exclusion] {
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let stored = try await tx.sessions(SessionFilter())
        var candidates: [MatchingCandidate] = []
        for item in stored {
            candidates.append(MatchingCandidate(session: item.session, meetings: try item.meetingIntervals(), seatsTaken: item.seatsTaken))
        }
        let enrollments = try await tx.enrollments(workerID: worker.id ?? 0).map(\.enrollment).filter { !ignoring.contains($0.sessionID) }
        let run = MatchingRun(
            workers: [worker], sessions: candidates, enrollments: enrollments, scope: [sessionID], now: clock.now(), zone: zone,
            maxSessionsPerWorker: settings.maxSessionsPerWorker)
        guard let index = candidates.firstIndex(where: { $0.id == sessionID }) else { return [] }
        return run.exclusions(worker: 0, session: index)
    }

    /// The session `place` (an argument or option) names.
    func storedSession(_ id: Int64, place: String, _ tx: any StoreReader) async throws -> StoredSession {
        guard let stored = try await tx.session(id: id) else {
            throw NotFoundError(kind: "session", key: "\(id)", fix: "give another \(place); list sessions with: overstap session list")
        }
        return stored
    }
}
