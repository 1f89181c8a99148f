import Foundation
import OverstapCore

/// Persistence as the rest of Overstap sees it: operations, never SQL, so a PostgreSQL store can
/// sit beside the SQLite one.
public protocol OverstapStore: Sendable {
    /// Runs `body` in one read transaction. Do not open another transaction inside it.
    nonisolated(nonsending) func read<T>(_ body: @escaping (any StoreReader) async throws -> T) async throws -> T
    /// Runs `body` in one write transaction: everything it does lands, or nothing.
    nonisolated(nonsending) func write<T>(_ body: @escaping (any StoreWriter) async throws -> T) async throws -> T
    /// Removes erased data from every place on disk (write-ahead log, free pages).
    func purgeErasedData() async throws
    /// A number that changes whenever any process commits a change, cheap to poll.
    func changeCounter() async throws -> Int
    /// Claims up to `limit` messages for `owner` for `lease` seconds, in one short transaction of
    /// its own, as `OutboxLifecycle` decides a claim: pending ones due at `now` (the caller's
    /// clock), and sending ones of another owner whose lease lapsed or who `ownerIsGone` (never
    /// `owner`'s own: a run claims while its earlier batches are still on the wire); those first,
    /// then the oldest due; optionally only one worker's. SQLite measures the lease on `now`;
    /// PostgreSQL on the database server's clock, so daemons on several hosts agree on when a
    /// lease lapses, and skips rows another daemon is claiming at that moment.
    func claimOutbox(
        owner: String, lease: TimeInterval, now: Date, limit: Int, workerID: Int64?, ownerIsGone: @escaping @Sendable (String) -> Bool
    ) async throws -> [OutboxMessage]
}

/// Which outbox messages to list.
public struct OutboxFilter: Sendable, Equatable {
    public var state: OutboxState?
    public var sessionID: Int64?
    public var workerID: Int64?
    public var kind: OutboxKind?

    /// Creates a filter; nil fields do not filter.
    public init(state: OutboxState? = nil, sessionID: Int64? = nil, workerID: Int64? = nil, kind: OutboxKind? = nil) {
        self.state = state
        self.sessionID = sessionID
        self.workerID = workerID
        self.kind = kind
    }
}

/// What waits in the outbox now, for health checks.
public struct OutboxBacklog: Sendable, Equatable {
    /// Pending messages that are due.
    public var due: Int
    /// When the oldest of them became due.
    public var oldestDue: Date?

    /// Creates a backlog summary.
    public init(due: Int, oldestDue: Date?) {
        self.due = due
        self.oldestDue = oldestDue
    }
}

/// How an import changed the worker table.
public struct ImportCounts: Sendable, Equatable {
    public var inserted: Int
    public var updated: Int
}

/// Read operations inside a transaction.
public protocol StoreReader {
    func partners() async throws -> [Partner]
    func partner(slug: String) async throws -> Partner?
    /// The database id of a partner, which an outbox row addressed to it refers to.
    func partnerID(slug: String) async throws -> Int64?
    func partner(id: Int64) async throws -> Partner?
    func sessions(_ filter: SessionFilter) async throws -> [StoredSession]
    func session(id: Int64) async throws -> StoredSession?
    func enrollments(sessionID: Int64) async throws -> [EnrollmentWithWorker]
    func enrollments(workerID: Int64) async throws -> [EnrollmentWithSession]
    func workers() async throws -> [Worker]
    func worker(email: String) async throws -> Worker?
    func workerCount() async throws -> Int
    /// Every enrollment, for matching runs.
    func allEnrollments() async throws -> [Enrollment]
    func worker(id: Int64) async throws -> Worker?
    func enrollment(id: Int64) async throws -> Enrollment?
    func enrollment(sessionID: Int64, workerID: Int64) async throws -> Enrollment?
    /// The SHA-256 (hex) of a partner's feed token, if it has one.
    func feedTokenHash(partner slug: String) async throws -> String?
    /// Outbox messages matching a filter, oldest first.
    func outbox(_ filter: OutboxFilter) async throws -> [OutboxMessage]
    func outboxMessage(id: Int64) async throws -> OutboxMessage?
    /// Pending messages due at `now`: how many, and the oldest due time.
    func outboxBacklog(now: Date) async throws -> OutboxBacklog
    /// A partner's busy periods (from its own calendar) that overlap `from`…`to`, by start.
    func busyPeriods(partner slug: String, from: Date, to: Date) async throws -> [DateInterval]
    /// The session with this iCalendar UID.
    func session(uid: String) async throws -> StoredSession?
    /// The last calendar message this person received for this session, if any.
    func sentSequence(sessionID: Int64, workerID: Int64) async throws -> SentSequence?
    /// The people with these ids, by id; ids of nobody are left out. For rendering a batch of mails.
    func workers(ids: [Int64]) async throws -> [Int64: Worker]
    /// The enrollments of these pairs, by pair; pairs without one are left out.
    func enrollments(_ pairs: [EnrollmentPair]) async throws -> [EnrollmentPair: Enrollment]
    /// The last calendar message each of these pairs received, by pair; pairs without one are left out.
    func sentSequences(_ pairs: [EnrollmentPair]) async throws -> [EnrollmentPair: SentSequence]
    /// Calendar answers that arrived by mail, oldest first.
    func replies(_ filter: ReplyFilter) async throws -> [StoredReply]
    func reply(id: Int64) async throws -> StoredReply?
    /// Sessions where a seat was freed and the waiting list has not been offered it yet.
    func sessionsWithFreedSeats() async throws -> [Int64]
    /// Whether a mail with this Message-ID was handled already.
    func replyHandled(messageID: String) async throws -> Bool
    /// The DTSTAMP of the newest answer taken for this person and session (one meeting's, or the
    /// whole series' when `recurrenceID` is nil).
    func latestAnswerStamp(sessionID: Int64, workerID: Int64, recurrenceID: String?) async throws -> Date?
    /// Every attendance entry of a session, by meeting then worker.
    func attendance(sessionID: Int64) async throws -> [AttendanceEntry]
    /// Per meeting (its original local start), how many attended, did not show or were excused.
    func attendanceCounts(sessionID: Int64) async throws -> [MeetingKey: AttendanceCounts]
    /// Invitations still unanswered that carry an answer deadline, the earliest deadline first.
    func invitationsWithDeadline() async throws -> [Enrollment]
    /// The earliest next attempt of a pending message that is not due at `now` yet (a reminder, a retry).
    func nextOutboxAttempt(after now: Date) async throws -> Date?
    /// A person's recorded outcomes, oldest first (by date, then by when they were recorded).
    func outcomes(workerID: Int64) async throws -> [Outcome]
    /// Every roster-consent answer of one person for one session, oldest first (the last counts).
    func rosterConsents(sessionID: Int64, workerID: Int64) async throws -> [RosterConsent]
    /// The answer that counts, per worker id, for everyone who answered for this session.
    func latestRosterConsents(sessionID: Int64) async throws -> [Int64: RosterConsent]
    /// Everything a report counts, without names or addresses; `localDate` turns an instant into
    /// the team's calendar date. Partner names and the sector order are left for the caller.
    func reportInput(localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput
    /// The groups the last `plan demand` showed; nil when none is kept.
    func demandList() async throws -> DemandList?
    /// What retention erased so far, as anonymous aggregates the report adds to the live people.
    func retainedAggregates() async throws -> RetainedAggregates
    /// The last day of each person's sessions, outcomes and imports (one person: `workerID`; a
    /// person who is gone: none); `localDate` turns an instant into the team's calendar date.
    func personActivity(workerID: Int64?, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> [PersonActivity]
    /// `reportInput` of one person: them, their enrollments, the sessions of those and their outcomes.
    func reportInput(workerID: Int64, localDate: @escaping @Sendable (Date) -> LocalDate) async throws -> ReportInput
}

/// Write operations inside a transaction.
public protocol StoreWriter: StoreReader {
    func insert(_ partner: Partner, now: Date) async throws
    /// Stores a new session and returns its id.
    func insert(_ session: Session, startsAt: Date, endsAt: Date, now: Date) async throws -> Int64
    func update(_ session: Session, startsAt: Date, endsAt: Date) async throws
    /// Inserts new workers and updates known ones (matched by e-mail, ignoring case).
    func upsert(_ workers: [Worker], now: Date) async throws -> ImportCounts
    /// Stores a change the enrollment lifecycle decided; refuses it (`StaleEnrollmentChange`) when
    /// the stored state is no longer the one it was decided from.
    func apply(_ change: EnrollmentChange, now: Date) async throws
    /// Deletes a worker and everything that refers to them.
    func deleteWorker(id: Int64) async throws
    /// Adds erased people's part of the report to the stored aggregates.
    func add(_ retained: RetainedAggregates) async throws
    /// Queues a message; returns its id, or nil when the database already holds its twin (a
    /// waiting reminder for the same person, meeting and due time; a nudge or an expiry notice of
    /// the same invitation round): another run queued it first, so it is already done.
    @discardableResult
    func insert(_ message: OutboxMessage) async throws -> Int64?
    /// Stores what the outbox lifecycle decided for one message (state, attempts, lease, error),
    /// unless its state changed since it was read; returns whether it was stored.
    @discardableResult
    func record(_ transition: OutboxTransition) async throws -> Bool
    /// Extends by `lease` seconds (from `now`, or the database server's clock) the leases `owner`
    /// still holds among `ids`; returns those ids. A message missing from the answer was taken
    /// over by another sender after this owner's lease lapsed: its outcome is no longer ours to store.
    func renewOutboxLeases(owner: String, ids: [Int64], lease: TimeInterval, now: Date) async throws -> Set<Int64>
    /// Stores the hash of a partner's new feed token (the token itself is never stored).
    func setFeedTokenHash(partner slug: String, hash: String) async throws
    /// Records that mail to this worker's address is refused for good (the first time counts).
    func markUndeliverable(workerID: Int64, now: Date) async throws
    /// Clears one worker's undeliverable flag; returns whether it was set.
    func markDeliverable(workerID: Int64) async throws -> Bool
    /// Clears the flag of every worker flagged at or after `since` (undoing an incident);
    /// returns their e-mail addresses.
    func markDeliverable(flaggedSince since: Date) async throws -> [String]
    /// Notes, in the transaction that frees it, that a seat of this session waits for the waiting list.
    func noteFreedSeat(sessionID: Int64, at: Date) async throws
    /// Takes the note that a seat of this session waits for the waiting list; returns false when
    /// there was none (another run took it first and offers the seats).
    @discardableResult
    func clearFreedSeat(sessionID: Int64) async throws -> Bool
    /// Records the SEQUENCE of a calendar message that reached this person.
    func recordSentSequence(_ sent: SentSequence, sessionID: Int64, workerID: Int64) async throws
    /// Keeps a calendar answer; returns its id.
    func insert(_ reply: StoredReply) async throws -> Int64
    /// Stores the organiser's decision on a kept answer.
    func decideReply(id: Int64, outcome: ReplyStatus, reason: String, at: Date) async throws
    /// Keeps the organiser's reason for taking someone out (not sent to them).
    func setRemovalReason(_ reason: String?, sessionID: Int64, workerID: Int64) async throws
    /// Stores attendance entries, replacing earlier ones for the same person and meeting.
    func recordAttendance(_ entries: [AttendanceEntry], sessionID: Int64, now: Date) async throws
    /// Replaces a partner's busy periods with a new import.
    func replaceBusyPeriods(partner slug: String, with periods: [DateInterval]) async throws
    /// Records that the invitation of an unanswered enrollment reached the mail server, with the
    /// deadline it announced; only the first delivery of an invitation round counts. Returns
    /// whether it was recorded.
    @discardableResult
    func recordInvitationSent(sessionID: Int64, workerID: Int64, at: Date, answerBy: Date?) async throws -> Bool
    /// Marks the one reminder to answer as queued, only while the enrollment is unanswered and was
    /// not nudged before: returns false when another run got there first.
    func markNudged(sessionID: Int64, workerID: Int64, at: Date) async throws -> Bool
    /// Adds an outcome to a person's history (earlier ones are kept).
    func insert(_ outcome: Outcome, workerID: Int64, now: Date) async throws
    /// Adds a roster-consent answer to the history of one person for one session.
    func insert(_ consent: RosterConsent, sessionID: Int64, workerID: Int64) async throws
    /// Keeps the groups `plan demand` showed in place of the ones before.
    func replaceDemandList(_ list: DemandList) async throws
}

/// A store failure the user can do nothing about but wait (exit code 75).
public struct StoreBusyError: Error, CustomStringConvertible, Sendable {
    public var description: String { "the database is busy (another overstap process is writing); try again in a moment" }
}

/// An enrollment change decided from a state the store no longer holds: the caller read it in
/// another transaction, or decided twice from one read.
public struct StaleEnrollmentChange: Error, CustomStringConvertible, Sendable {
    public var change: EnrollmentChange
    public var stored: EnrollmentState?
    public var description: String {
        "the enrollment of worker \(change.workerID) in session \(change.sessionID) is \(stored?.rawValue ?? "not there"), "
            + "not \(change.from?.rawValue ?? "absent") as the change to \(change.to.rawValue) expected; try again"
    }
}

/// A database that a program run by the mail system may not create or migrate is missing or not
/// migrated yet: the caller tries again later (exit code 75), so nothing is lost meanwhile.
public struct StoreUnavailableError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String {
        "the database \(path) cannot be used yet: \(reason); run any overstap command once (overstap config check, overstap serve) "
            + "as the daemon's user with the same --config"
    }
}

/// A database that cannot be opened or has an unexpected shape.
public struct StoreOpenError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "cannot open database \(path): \(reason)" }
}

/// A session and a person: the key of an enrollment and of its sent calendar sequence.
public struct EnrollmentPair: Hashable, Sendable, CustomStringConvertible {
    public var sessionID: Int64
    public var workerID: Int64

    /// Creates the pair.
    public init(sessionID: Int64, workerID: Int64) {
        self.sessionID = sessionID
        self.workerID = workerID
    }

    public var description: String { "\(sessionID)/\(workerID)" }
}
