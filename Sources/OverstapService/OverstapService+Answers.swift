import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What an answer page shows about one invitation.
    public struct InvitationView: Sendable {
        public var state: EnrollmentState
        public var title: String
        /// The first meeting, as participants read it.
        public var when: String
        /// Every meeting (one for a single session): an answer covers them all.
        public var meetings: [String]
        /// Where, without a label: the address, or the join link of an online session.
        public var place: String
        /// The join link of an online session.
        public var joinLink: String?
        public var name: String
        public var locale: String
        /// Whether "Ik kom" can still be chosen (there is a seat, or they hold one).
        public var canAccept: Bool
        /// Whether the session still takes answers (not cancelled, not started).
        public var isOpen: Bool
        /// The answer deadline of an unanswered invitation that was delivered with one, in words.
        public var answerBy: String?
    }

    /// Why an answer was not taken, in the participant's words.
    public enum AnswerRefusal: Error, Sendable, Equatable {
        case sessionClosed
        case full
    }

    /// The answer link of an enrollment, or nil when `rsvp.secret` is not set.
    public func answerLink(enrollmentID: Int64) throws -> String? {
        try MailLinks(settings)?.answer(enrollmentID: enrollmentID)
    }

    /// The invitation a genuine answer token names; nil for a wrong token or a person who was erased.
    public func invitation(token: String) async throws -> InvitationView? {
        guard let id = signer?.enrollmentID(of: token) else { return nil }
        return try await store.read { tx in try await invitationView(enrollmentID: id, tx) }
    }

    /// Records an answer. A decline frees the seat: the person gets a cancellation, and the best
    /// eligible waiting worker an invitation when the outbox next sends (the daemon is woken for
    /// it), so the answer never waits for matching. Answering again changes the answer while a seat
    /// is free; so does a late answer to an invitation that expired (it brings a new invitation).
    public func answer(token: String, _ answer: Answer) async throws -> Result<InvitationView, AnswerRefusal>? {
        guard let id = signer?.enrollmentID(of: token) else { return nil }
        return try await store.write { tx -> Result<InvitationView, AnswerRefusal>? in
            guard let enrollment = try await tx.enrollment(id: id), let view = try await invitationView(enrollmentID: id, tx) else { return nil }
            guard view.isOpen else { return .failure(.sessionClosed) }
            if answer != .decline && !view.canAccept { return .failure(.full) }
            guard try await applyLifecycleIfAllowed(.answered(answer), to: enrollment, tx) else { return .failure(.sessionClosed) }
            return try await invitationView(enrollmentID: id, tx).map { .success($0) } ?? .failure(.sessionClosed)
        }
    }

    private var signer: RSVPSigner? { settings.rsvpSecret.map(RSVPSigner.init(secret:)) }

    private func invitationView(enrollmentID: Int64, _ tx: any StoreReader) async throws -> InvitationView? {
        guard let enrollment = try await tx.enrollment(id: enrollmentID), let stored = try await tx.session(id: enrollment.sessionID),
            let worker = try await tx.worker(id: enrollment.workerID)
        else { return nil }
        let text = MeetingText(locale: worker.locale)
        let meetings = try stored.session.meetings()
        let open = stored.session.status == .scheduled && stored.startsAt > clock.now()
        let venue = stored.session.venue
        // Only a delivered invitation has a deadline to show; a held one has none yet.
        var answerBy: String?
        if enrollment.invitationSentAt != nil, let deadline = answerDeadline(of: enrollment, stored, now: clock.now()) {
            let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)")
            answerBy = text.moment(zone.local(of: deadline))
        }
        return InvitationView(
            state: enrollment.state, title: stored.session.title, when: meetings.first.map(text.meeting) ?? "",
            meetings: meetings.map(text.meeting), place: venue.address ?? venue.joinLink?.absoluteString ?? "",
            joinLink: venue.joinLink?.absoluteString, name: worker.name, locale: worker.locale,
            canAccept: enrollment.state.holdsSeat || stored.seatsTaken < stored.session.capacity, isOpen: open, answerBy: answerBy)
    }

    /// Brings the waiting reminders of an enrollment in line: one per meeting and configured offset
    /// while the person expects to come, none whose time has passed, none otherwise. A reminder
    /// already waiting for the same meeting and time stays (a new title changes no reminder).
    func rescheduleReminders(sessionID: Int64, workerID: Int64, state: EnrollmentState, hold: Bool, _ tx: any StoreWriter) async throws {
        var wanted: [(meeting: Date, due: Date)] = []
        let stored = try await tx.session(id: sessionID)
        let worker = try await tx.worker(id: workerID)
        let now = clock.now()
        if state.hasCalendarEntry, let stored, stored.session.status == .scheduled, worker != nil {
            for meeting in try stored.meetingIntervals() {
                for offset in settings.reminderOffsets where meeting.start.addingTimeInterval(-offset) > now {
                    wanted.append((meeting.start, meeting.start.addingTimeInterval(-offset)))
                }
            }
        }
        for waiting in try await tx.outbox(OutboxFilter(sessionID: sessionID, workerID: workerID, kind: .reminder))
        where waiting.state.isWaiting {
            if let kept = wanted.firstIndex(where: { $0.meeting == waiting.meetingAt && $0.due == waiting.dueAt }) {
                wanted.remove(at: kept)
                continue
            }
            try await tx.record(try OutboxLifecycle.apply(.superseded, to: waiting))
        }
        guard let worker else { return }
        for (meetingStart, due) in wanted {
            var reminder = OutboxMessage(
                kind: .reminder, sessionID: sessionID, workerID: workerID, recipient: worker.email,
                messageID: "\(UUID().uuidString.lowercased())@\(organiserDomain)", held: hold, dueAt: due, createdAt: now)
            reminder.meetingAt = meetingStart
            _ = try await tx.insert(reminder)
        }
    }
}
