import Foundation
import ICalendar
import Mail
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What `reply ingest` did with one mail.
    public struct ReplyIngestReport: Sendable, Equatable {
        /// The answers it found and kept, with what became of each.
        public var replies: [StoredReply] = []
        /// The mail holds no calendar part (a person's question): nothing to do.
        public var hadNoCalendar = false
        /// A mail with this Message-ID was handled before.
        public var duplicate = false
        /// Calendar parts that could not be read, with the reason.
        public var unreadable: [String] = []
    }

    /// Reads one mail as a fetcher hands it over and acts on every calendar answer in it: a REPLY
    /// through the enrollment lifecycle as an answer link would, a COUNTER kept for the organiser,
    /// a REFRESH by queueing the invitation again. Doubtful answers are kept as `needs_review`.
    public func ingestReply(_ bytes: [UInt8]) async throws -> ReplyIngestReport {
        let mail: InboundMessage
        do {
            mail = try InboundMessage.parse(bytes)
        } catch {
            return ReplyIngestReport(unreadable: ["the mail: \(error)"])
        }
        var report = ReplyIngestReport()
        guard !mail.calendarParts.isEmpty else {
            report.hadNoCalendar = true
            return report
        }
        var answers: [(ReplyFacts, ITIPEvent)] = []
        for part in mail.calendarParts {
            do {
                let itip = try CalendarITIP.parse(part.text)
                for event in itip.events {
                    for attendee in event.attendees {
                        let answer = facts(itip.method, event, attendee, mail: mail, forwarded: part.isForwarded)
                        // Clients attach the same answer twice (inline and as a file): act once.
                        if !answers.contains(where: { $0.0 == answer && $0.1.recurrenceID == event.recurrenceID }) {
                            answers.append((answer, event))
                        }
                    }
                }
            } catch {
                report.unreadable.append("calendar part \(part.section): \(error)")
            }
        }
        let receivedAt = clock.now()
        let (kept, duplicate, freed) = try await store.write { tx -> ([StoredReply], Bool, Set<Int64>) in
            if let id = mail.messageID, try await tx.replyHandled(messageID: id) { return ([], true, []) }
            var kept: [StoredReply] = []
            var freed: Set<Int64> = []
            for (facts, event) in answers {
                let (reply, freedSession) = try await handle(facts, event, messageID: mail.messageID, receivedAt: receivedAt, tx)
                kept.append(reply)
                if let freedSession { freed.insert(freedSession) }
            }
            return (kept, false, freed)
        }
        try await refillFreedSeats(sessionIDs: freed)
        report.replies = kept
        report.duplicate = duplicate
        return report
    }

    /// Calendar answers that arrived by mail, oldest first.
    public func replies(_ filter: ReplyFilter) async throws -> [StoredReply] {
        try await store.read { try await $0.replies(filter) }
    }

    /// Applies an answer kept for review, as its person: the attendee it names, or `asWorker` when
    /// it came from another address of theirs.
    public func applyReply(id: Int64, asWorker email: String?) async throws -> StoredReply {
        let (reply, freed) = try await store.write { tx -> (StoredReply, Int64?) in
            let kept = try await reviewable(id: id, tx)
            guard kept.method == "REPLY" || kept.method == "REFRESH" else {
                throw InputError(
                    place: "reply \(id)", problem: "is a \(kept.method): a proposed time is answered by changing the session",
                    fix: "move the session with overstap session update, or set the proposal aside with: overstap reply dismiss \(id)")
            }
            guard let sessionID = kept.sessionID else {
                throw InputError(place: "reply \(id)", problem: "names no session Overstap knows", fix: "overstap reply dismiss \(id)")
            }
            let workerID: Int64
            if let email {
                guard let worker = try await tx.worker(email: email), let id = worker.id else {
                    throw NotFoundError(kind: "worker", key: email, fix: "list people with: overstap worker list")
                }
                workerID = id
            } else if let known = kept.workerID {
                workerID = known
            } else {
                throw InputError(
                    place: "reply \(id)", problem: "the attendee \(kept.attendee ?? "?") is not an invited person",
                    fix: "if it is another address of someone invited, name them: overstap reply apply \(id) --worker EMAIL")
            }
            guard let enrollment = try await tx.enrollment(sessionID: sessionID, workerID: workerID) else {
                throw InputError(
                    place: "reply \(id)", problem: "that person is not placed in session \(sessionID)",
                    fix: "place them first with overstap match --commit, or dismiss it: overstap reply dismiss \(id)")
            }
            let event: EnrollmentEvent
            switch (kept.method, kept.partstat) {
            case ("REFRESH", _): event = .refreshRequested
            case (_, "ACCEPTED"): event = .answered(.accept)
            case (_, "TENTATIVE"): event = .answered(.tentative)
            case (_, "DECLINED"): event = .answered(.decline)
            default:
                throw InputError(
                    place: "reply \(id)", problem: "answers \(kept.partstat ?? "nothing"), which Overstap cannot apply",
                    fix: "handle it by hand and run: overstap reply dismiss \(id)")
            }
            let (status, reason) = try await apply(event, to: enrollment, tx)
            var decided = kept
            decided.outcome = status
            decided.reason = "applied by the organiser: " + reason
            decided.decidedAt = clock.now()
            try await tx.decideReply(id: id, outcome: status, reason: decided.reason, at: clock.now())
            let freed = enrollment.state.holdsSeat && event == .answered(.decline) ? sessionID : nil
            return (decided, freed)
        }
        if let freed { try await refillFreedSeats(sessionIDs: [freed]) }
        return reply
    }

    /// Sets an answer kept for review aside; nothing changes for the person.
    public func dismissReply(id: Int64) async throws -> StoredReply {
        try await store.write { tx in
            var kept = try await reviewable(id: id, tx)
            kept.outcome = .dismissed
            kept.reason = "dismissed by the organiser (was: \(kept.reason))"
            kept.decidedAt = clock.now()
            try await tx.decideReply(id: id, outcome: .dismissed, reason: kept.reason, at: clock.now())
            return kept
        }
    }

    private func reviewable(id: Int64, _ tx: any StoreReader) async throws -> StoredReply {
        guard let kept = try await tx.reply(id: id) else {
            throw NotFoundError(kind: "reply", key: "\(id)", fix: "list them with: overstap reply list --state needs_review")
        }
        guard kept.outcome == .needsReview else {
            throw InputError(place: "reply \(id)", problem: "is \(kept.outcome.rawValue); only answers that need review can be applied or dismissed")
        }
        return kept
    }

    /// Judges one attendee's answer against what the store holds, acts on it and keeps it.
    /// Returns the kept answer and the session whose seat it freed.
    private func handle(
        _ facts: ReplyFacts, _ event: ITIPEvent, messageID: String?, receivedAt: Date, _ tx: any StoreWriter
    ) async throws -> (StoredReply, Int64?) {
        let stored = try await tx.session(uid: facts.uid)
        let worker = try await tx.worker(email: facts.attendee)
        let enrollment: Enrollment? =
            if let stored, let workerID = worker?.id { try await tx.enrollment(sessionID: stored.id, workerID: workerID) } else { nil }
        let recurrenceID = try stored.flatMap { try meetingKey(event.recurrenceID, in: $0) }
        var standing = ReplyStanding(session: sessionStanding(stored), invitee: nil)
        if let stored, let worker, let workerID = worker.id, let enrollment {
            standing.invitee = ReplyStanding.Invitee(
                address: worker.email, state: enrollment.state,
                lastSequenceSent: try await tx.sentSequence(sessionID: stored.id, workerID: workerID)?.sequence,
                recordedAnswerStamp: try await tx.latestAnswerStamp(sessionID: stored.id, workerID: workerID, recurrenceID: recurrenceID))
        }
        let outcome = ReplyJudge.decide(facts, standing: standing)
        var status: ReplyStatus
        var reason: String
        var freed: Int64?
        switch outcome {
        case .apply(let lifecycleEvent):
            guard let enrollment else { preconditionFailure("the judge applies only answers of invited people") }
            (status, reason) = try await apply(lifecycleEvent, to: enrollment, tx)
            if status == .applied, enrollment.state.holdsSeat, lifecycleEvent == .answered(.decline) { freed = enrollment.sessionID }
        case .meetingNotice(let answer):
            status = .applied
            let meeting = recurrenceID ?? "?"
            reason = answer == .decline ? "afgemeld for the meeting of \(meeting)" : "\(answer.rawValue) for the meeting of \(meeting)"
        case .counterProposal:
            status = .needsReview
            reason = "proposes another time"
        case .needsReview(let why):
            status = .needsReview
            reason = why.description
        case .ignored(let why):
            status = .ignored
            reason = why.description
        }
        let reply = StoredReply(
            messageID: messageID, receivedAt: receivedAt, from: facts.from ?? "", attendee: facts.attendee, method: methodName(facts.method),
            partstat: partstatName(facts.participation), sessionID: stored?.id, workerID: enrollment == nil ? nil : worker?.id,
            recurrenceID: recurrenceID, sequence: facts.sequence, stamp: facts.stamp, outcome: status, reason: reason,
            comment: event.comments.isEmpty ? nil : event.comments.joined(separator: "\n"),
            proposedStart: facts.method == .counter ? event.start?.instant : nil, proposedEnd: facts.method == .counter ? event.end?.instant : nil)
        var kept = reply
        kept.id = try await tx.insert(reply)
        return (kept, freed)
    }

    /// Applies an answer or a refresh through the lifecycle, as an answer link would: an
    /// acceptance without a free seat is refused, and the person is told and their calendar entry
    /// taken out again.
    private func apply(_ event: EnrollmentEvent, to enrollment: Enrollment, _ tx: any StoreWriter) async throws -> (ReplyStatus, String) {
        guard let stored = try await tx.session(id: enrollment.sessionID) else { return (.ignored, "the session is gone") }
        if case .answered(let answer) = event, answer != .decline, !enrollment.state.holdsSeat,
            stored.seatsTaken >= stored.session.capacity
        {
            _ = try await queue(.seatTaken, sessionID: enrollment.sessionID, workerID: enrollment.workerID, hold: false, tx)
            return (.refusedFull, "no seat was free; the person was told and the entry taken out of their calendar")
        }
        guard try await applyLifecycleIfAllowed(event, to: enrollment, tx) else {
            return (.ignored, ReplyReason.enrollmentClosed.description)
        }
        switch event {
        case .refreshRequested: return (.applied, "the current invitation is sent again")
        case .answered(let answer): return (.applied, "\(answer.rawValue) taken, as through the answer page")
        default: return (.applied, "taken")
        }
    }

    private func facts(_ method: ITIPMethod, _ event: ITIPEvent, _ attendee: ITIPAttendee, mail: InboundMessage, forwarded: Bool) -> ReplyFacts {
        let participation: ReplyFacts.Participation =
            switch attendee.participation {
            case .accepted: .accepted
            case .declined: .declined
            case .tentative: .tentative
            case .delegated: .delegated
            case .needsAction: .needsAction
            case .other(let value): .other(value)
            }
        let replyMethod: ReplyFacts.Method =
            switch method {
            case .reply: .reply
            case .counter: .counter
            case .refresh: .refresh
            case .other(let name): .other(name)
            case .missing: .other("")
            }
        return ReplyFacts(
            method: replyMethod, uid: event.uid, attendee: attendee.address, participation: participation, sequence: event.sequence,
            stamp: event.stamp, isForOneMeeting: event.recurrenceID != nil, from: mail.from?.address,
            dmarcFailed: mail.failedDMARCDomain.map { $0 == mail.from?.domain } ?? false, isForwarded: forwarded)
    }

    private func sessionStanding(_ stored: StoredSession?) -> ReplyStanding.Session {
        guard let stored else { return .unknown }
        if stored.session.status == .cancelled { return .cancelled }
        return stored.endsAt <= clock.now() ? .past : .scheduled
    }

    /// The meeting a RECURRENCE-ID names, as its original start in the session's zone (`2027-02-16T19:00`).
    private func meetingKey(_ time: ITIPTime?, in stored: StoredSession) throws -> String? {
        guard let time else { return nil }
        let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)")
        let local: LocalDateTime
        switch (time.instant, time.local) {
        case (let instant?, _), (nil, .utc(let instant)):
            local = zone.local(of: instant)
        case (nil, .zoned(let value, _)), (nil, .floating(let value)):
            local = LocalDateTime(date: LocalDate(year: value.year, month: value.month, day: value.day), hour: value.hour, minute: value.minute)
        case (nil, .date(let year, let month, let day)):
            local = LocalDateTime(date: LocalDate(year: year, month: month, day: day), hour: 0, minute: 0)
        }
        let fields = (local.date.year, local.date.month, local.date.day, local.hour, local.minute)
        return String(format: "%04d-%02d-%02dT%02d:%02d", fields.0, fields.1, fields.2, fields.3, fields.4)
    }

    private func methodName(_ method: ReplyFacts.Method) -> String {
        switch method {
        case .reply: "REPLY"
        case .counter: "COUNTER"
        case .refresh: "REFRESH"
        case .other(let name): name
        }
    }

    private func partstatName(_ participation: ReplyFacts.Participation) -> String {
        switch participation {
        case .accepted: "ACCEPTED"
        case .declined: "DECLINED"
        case .tentative: "TENTATIVE"
        case .delegated: "DELEGATED"
        case .needsAction: "NEEDS-ACTION"
        case .other(let value): value
        }
    }
}
