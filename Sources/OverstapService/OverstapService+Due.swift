import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What one run of `overstap due` did.
    public struct DueReport: Sendable, Equatable {
        /// Reminders to answer queued (`rsvp.nudge`).
        public var nudged = 0
        /// Invitations that expired at their answer deadline: each queued its notice and freed its seat.
        public var expired = 0
        /// People erased past `retention.personal_data`, their report figures kept as aggregates.
        public var erased = 0
        /// Messages due in the outbox now (reminders before meetings among them), for `outbox send`.
        public var dueInOutbox = 0
        /// A report of a run that did nothing yet.
        public init() {}
    }

    /// What is due for one unanswered invitation, decided with no I/O.
    enum DueStep: Equatable {
        /// The deadline passed: the invitation expires.
        case expire
        /// The one reminder to answer is due.
        case nudge
        /// Nothing yet; something falls due at this instant.
        case waitUntil(Date)
        /// Nothing, now or later.
        case nothing
    }

    /// A person gets at least this long with an invitation before a deadline or a reminder to
    /// answer counts it: an invitation delivered later than a day before its deadline has none
    /// (it never expires), and one delivered less than a day before the nudge time gets no nudge.
    static let answerGrace: TimeInterval = 86_400

    /// Decides what is due for one enrollment: only an invitation that was delivered, carries a
    /// deadline, and whose session still runs and has not started can expire or be nudged.
    static func dueStep(
        _ enrollment: Enrollment, sessionOpen: Bool, now: Date, deadlinesOn: Bool, nudgeLead: TimeInterval?
    ) -> DueStep {
        guard deadlinesOn, sessionOpen, enrollment.state == .invited, let deadline = enrollment.answerBy else { return .nothing }
        if deadline <= now { return .expire }
        if let lead = nudgeLead, enrollment.nudgedAt == nil, let sent = enrollment.invitationSentAt {
            let nudgeAt = deadline.addingTimeInterval(-lead)
            if nudgeAt.timeIntervalSince(sent) >= answerGrace {
                return nudgeAt <= now ? .nudge : .waitUntil(nudgeAt)
            }
        }
        return .waitUntil(deadline)
    }

    /// The answer deadline a message to this enrollment announces: the recorded one once its
    /// invitation was delivered, else the one its delivery now would record (the first meeting's
    /// start minus `rsvp.deadline`, if that leaves the person at least `answerGrace`). Only an
    /// unanswered invitation has one. A deadline once announced stays when the session moves
    /// (updates repeat it), unless the session now starts before it.
    func answerDeadline(of enrollment: Enrollment?, _ stored: StoredSession, now: Date) -> Date? {
        guard let lead = settings.answerDeadline, let enrollment, enrollment.state == .invited else { return nil }
        if enrollment.invitationSentAt != nil { return enrollment.answerBy.flatMap { $0 < stored.startsAt ? $0 : nil } }
        let deadline = stored.startsAt.addingTimeInterval(-lead)
        return deadline.timeIntervalSince(now) >= Self.answerGrace ? deadline : nil
    }

    /// How many items one write transaction of `runDue` handles, so the write lock is held
    /// briefly and a CLI command in between never waits past its busy timeout.
    static let dueBatch = 100

    /// Runs what is due now: reminders to answer, answer deadlines and retention. Reminders before meetings
    /// already wait in the outbox with their due time (queued when the person was invited), so
    /// `outbox send` sends them; they are only counted here. Each item is decided again inside the
    /// write transaction that acts on it, from the state it reads there, so two runs at once (the
    /// daemon and a cron job, or several daemons) never do one item twice: the second finds the
    /// invitation expired or marked nudged, and the database refuses a second nudge or expiry
    /// notice of one invitation round (`017_idempotent_schedules`). A seat freed by an expiry goes
    /// to the waiting list before this returns.
    /// Retention runs too unless `retention` is false (the daemon checks it once a day).
    public func runDue(retention: Bool = true) async throws -> DueReport {
        let now = clock.now()
        let candidates = try await store.read { tx -> [(sessionID: Int64, workerID: Int64)] in
            var open: [Int64: Bool] = [:]
            var due: [(sessionID: Int64, workerID: Int64)] = []
            for enrollment in try await tx.invitationsWithDeadline() {
                let sessionOpen = try await sessionOpen(enrollment.sessionID, now: now, cache: &open, tx)
                switch dueStep(enrollment, sessionOpen: sessionOpen, now: now) {
                case .expire, .nudge: due.append((enrollment.sessionID, enrollment.workerID))
                case .waitUntil, .nothing: continue
                }
            }
            return due
        }
        var report = DueReport()
        for start in stride(from: 0, to: candidates.count, by: Self.dueBatch) {
            let batch = Array(candidates[start..<min(start + Self.dueBatch, candidates.count)])
            let done = try await store.write { tx -> DueReport in
                var done = DueReport()
                var open: [Int64: Bool] = [:]
                for (sessionID, workerID) in batch {
                    guard let enrollment = try await tx.enrollment(sessionID: sessionID, workerID: workerID) else { continue }
                    let sessionOpen = try await sessionOpen(sessionID, now: now, cache: &open, tx)
                    switch dueStep(enrollment, sessionOpen: sessionOpen, now: now) {
                    case .expire:
                        do {
                            try await applyLifecycle(.deadlinePassed, to: enrollment, tx)
                        } catch is StaleEnrollmentChange {
                            // Another daemon expired it between this read and the write (PostgreSQL runs them at once).
                            continue
                        }
                        done.expired += 1
                    case .nudge:
                        guard try await tx.markNudged(sessionID: sessionID, workerID: workerID, at: now) else { continue }
                        if try await queue(.nudge, sessionID: sessionID, workerID: workerID, hold: false, tx) { done.nudged += 1 }
                    case .waitUntil, .nothing:
                        continue
                    }
                }
                return done
            }
            report.nudged += done.nudged
            report.expired += done.expired
        }
        if report.expired > 0 { try await refillFreedSeats() }
        if retention { report.erased = try await runRetention(dryRun: false).erased }
        report.dueInOutbox = try await outboxHealth().backlog
        return report
    }

    /// `dueStep` with this service's settings.
    private func dueStep(_ enrollment: Enrollment, sessionOpen: Bool, now: Date) -> DueStep {
        Self.dueStep(enrollment, sessionOpen: sessionOpen, now: now, deadlinesOn: settings.answerDeadline != nil, nudgeLead: settings.nudgeLead)
    }

    /// The next instant something falls due: a deadline, a reminder to answer, or an outbox
    /// message waiting for its time (a reminder, a retry). The daemon wakes then.
    public func nextDueInstant() async throws -> Date? {
        try await store.read { tx in
            let now = clock.now()
            var next = try await tx.nextOutboxAttempt(after: now)
            var open: [Int64: Bool] = [:]
            for enrollment in try await tx.invitationsWithDeadline() {
                let sessionOpen = try await sessionOpen(enrollment.sessionID, now: now, cache: &open, tx)
                let at: Date? =
                    switch dueStep(enrollment, sessionOpen: sessionOpen, now: now) {
                    case .expire, .nudge: now
                    case .waitUntil(let instant): instant
                    case .nothing: nil
                    }
                if let at, at < next ?? .distantFuture { next = at }
            }
            return next
        }
    }

    /// The day in the team's zone: retention is decided by whole days, so once a day is enough.
    public func retentionDay() throws -> LocalDate { try today() }

    /// How long until `nextDueInstant`, by this service's clock; nil when nothing waits.
    public func secondsUntilNextDue() async throws -> Double? {
        try await nextDueInstant().map { $0.timeIntervalSince(clock.now()) }
    }

    /// Whether a session still takes answers: scheduled and not started.
    private func sessionOpen(_ id: Int64, now: Date, cache: inout [Int64: Bool], _ tx: any StoreReader) async throws -> Bool {
        if let known = cache[id] { return known }
        let stored = try await tx.session(id: id)
        let open = stored.map { $0.session.status == .scheduled && $0.startsAt > now } ?? false
        cache[id] = open
        return open
    }
}
