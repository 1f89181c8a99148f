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
    }

    /// Why an answer was not taken, in the participant's words.
    public enum AnswerRefusal: Error, Sendable, Equatable {
        case sessionClosed
        case full
    }

    /// The answer link of an enrollment, or nil when `rsvp.secret` is not set.
    public func answerLink(enrollmentID: Int64) throws -> String? {
        guard let signer else { return nil }
        return "\(try settings.publicURL())/rsvp/\(signer.token(enrollmentID: enrollmentID))"
    }

    /// The invitation a genuine answer token names; nil for a wrong token or a person who was erased.
    public func invitation(token: String) throws -> InvitationView? {
        guard let id = signer?.enrollmentID(of: token) else { return nil }
        return try store.read { tx in try invitationView(enrollmentID: id, tx) }
    }

    /// Records an answer. A decline frees the seat: the person gets a cancellation and the best
    /// eligible waiting worker an invitation. Answering again changes the answer while a seat is free.
    public func answer(token: String, _ answer: Answer) throws -> Result<InvitationView, AnswerRefusal>? {
        guard let id = signer?.enrollmentID(of: token) else { return nil }
        let (result, freed) = try store.write { tx -> (Result<InvitationView, AnswerRefusal>?, Int64?) in
            guard let enrollment = try tx.enrollment(id: id), let view = try invitationView(enrollmentID: id, tx) else { return (nil, nil) }
            guard view.isOpen else { return (.failure(.sessionClosed), nil) }
            if answer != .decline && !view.canAccept { return (.failure(.full), nil) }
            guard try applyLifecycleIfAllowed(.answered(answer), to: enrollment, tx) else { return (.failure(.sessionClosed), nil) }
            let result: Result<InvitationView, AnswerRefusal> =
                try invitationView(enrollmentID: id, tx).map { .success($0) } ?? .failure(.sessionClosed)
            return (result, enrollment.state.holdsSeat && answer == .decline ? enrollment.sessionID : nil)
        }
        if let freed { try refillFreedSeats(sessionIDs: [freed]) }
        return result
    }

    private var signer: RSVPSigner? { settings.rsvpSecret.map(RSVPSigner.init(secret:)) }

    private func invitationView(enrollmentID: Int64, _ tx: any StoreReader) throws -> InvitationView? {
        guard let enrollment = try tx.enrollment(id: enrollmentID), let stored = try tx.session(id: enrollment.sessionID),
            let worker = try tx.worker(id: enrollment.workerID)
        else { return nil }
        let text = MeetingText(locale: worker.locale)
        let meetings = try stored.session.meetings()
        let open = stored.session.status == .scheduled && stored.startsAt > clock.now()
        let venue = stored.session.venue
        return InvitationView(
            state: enrollment.state, title: stored.session.title, when: meetings.first.map(text.meeting) ?? "",
            meetings: meetings.map(text.meeting), place: venue.address ?? venue.joinLink?.absoluteString ?? "",
            joinLink: venue.joinLink?.absoluteString, name: worker.name, locale: worker.locale,
            canAccept: enrollment.state.holdsSeat || stored.seatsTaken < stored.session.capacity, isOpen: open)
    }

    /// Replaces the waiting reminders of an enrollment: one per meeting and configured offset
    /// while the person expects to come, none whose time has passed, none otherwise.
    func rescheduleReminders(sessionID: Int64, workerID: Int64, state: EnrollmentState, hold: Bool, _ tx: any StoreWriter) throws {
        for waiting in try tx.outbox(OutboxFilter(sessionID: sessionID, workerID: workerID, kind: .reminder))
        where waiting.state.isWaiting {
            try tx.record(try OutboxLifecycle.apply(.superseded, to: waiting))
        }
        guard state.hasCalendarEntry, let stored = try tx.session(id: sessionID), stored.session.status == .scheduled,
            let worker = try tx.worker(id: workerID)
        else { return }
        let now = clock.now()
        for meeting in try stored.meetingIntervals() {
            for offset in settings.reminderOffsets {
                let due = meeting.start.addingTimeInterval(-offset)
                guard due > now else { continue }
                var reminder = OutboxMessage(
                    kind: .reminder, sessionID: sessionID, workerID: workerID, recipient: worker.email,
                    messageID: "\(UUID().uuidString.lowercased())@\(organiserDomain)", held: hold, dueAt: due, createdAt: now)
                reminder.meetingAt = meeting.start
                _ = try tx.insert(reminder)
            }
        }
    }
}
