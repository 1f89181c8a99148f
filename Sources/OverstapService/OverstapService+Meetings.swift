import Foundation
import Mail
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What a change to one meeting of a series did.
    public struct MeetingChange: Sendable {
        /// The session as stored after the change.
        public var session: StoredSession
        /// The meeting as it now is.
        public var meeting: Meeting
        /// Partner notices queued (the meeting was less than 48 hours away).
        public var partnersTold: Int
    }

    /// A meeting closer than this when it is cancelled or moved is announced to the partners by
    /// mail too: their feed may refresh too late.
    static let partnerNoticeWindow: TimeInterval = 48 * 3_600

    /// Cancels one meeting of a series, named by its original date (`YYYY-MM-DD`); participants
    /// with a calendar entry get a CANCEL of that meeting, the rest of the series stays.
    public func cancelMeeting(id: Int64, date: String, reason: String?) async throws -> MeetingChange {
        if let reason { try SessionRules.multiLine(reason, place: "--reason") }
        let day = try TimeInput.date(date, place: "--meeting")
        return try await store.write { tx in
            let current = try await scheduledSession(id: id, tx)
            let meeting = try current.session.meeting(originallyOn: day, place: "--meeting \(day)")
            let now = clock.now()
            if meeting.status != .cancelled { try requireUpcoming(meeting, of: current, now: now) }
            var session = try current.session.cancellingMeeting(meeting, reason: reason, place: "--meeting \(day)")
            let original = try originalInstant(meeting, of: current)
            session.sequence += 1
            session.updatedAt = now
            let stored = try await storeChangedMeetings(session, tx)
            try await applyToEnrollments(.meetingCancelled(originalStart: original), sessionID: id, tx)
            let told = try await tellPartnersIfSoon(stored, originalStart: original, times: [try startInstant(of: meeting, in: current)], tx)
            let after = try stored.session.schedule().first { $0.originalStart == meeting.originalStart } ?? meeting
            return MeetingChange(session: stored, meeting: after, partnersTold: told)
        }
    }

    /// Moves one meeting of a series (named by its original date) to `start`, ending at `end` or
    /// after `duration` (default: its current length). A cancelled meeting given a time takes
    /// place again; one moved back to its original time is no exception any more. A partner's
    /// imported busy times refuse the new time unless `force`.
    public func moveMeeting(
        id: Int64, date: String, start: String, end: String?, duration: String?, force: Bool = false
    ) async throws -> MeetingChange {
        let day = try TimeInput.date(date, place: "--meeting")
        let startStamp = try TimeInput.stamp(start, place: "--start")
        if end != nil && duration != nil {
            throw InputError(place: "--duration", problem: "give either --end or --duration, not both")
        }
        let endStamp = try end.map { text throws(InputError) in try TimeInput.stamp(text, place: "--end") }
        let minutes = try duration.map { text throws(InputError) in try TimeInput.durationMinutes(text, place: "--duration") }
        return try await store.write { tx in
            let current = try await scheduledSession(id: id, tx)
            let meeting = try current.session.meeting(originallyOn: day, place: "--meeting \(day)")
            let now = clock.now()
            if meeting.status != .cancelled { try requireUpcoming(meeting, of: current, now: now) }
            let length = minutes ?? (meeting.status == .cancelled ? current.session.durationMinutes : meeting.start.minutes(until: meeting.end))
            let newEnd = endStamp?.local ?? startStamp.local.adding(minutes: length)
            var session = try current.session.movingMeeting(meeting, to: startStamp.local, end: newEnd)
            let zone = try ZoneResolver(identifier: session.timezone, place: "session \(id)")
            let newStart = try zone.instant(of: startStamp.local, explicitOffset: startStamp.offset, place: "--start")
            if let endStamp { _ = try zone.instant(of: endStamp.local, explicitOffset: endStamp.offset, place: "--end") }
            if case .gap(let next) = zone.resolve(newEnd) {
                throw InputError(
                    place: "--end", problem: "\(newEnd) does not exist in \(session.timezone): the clocks skip this hour",
                    fix: "end at \(next) or later")
            }
            guard newStart > now else {
                throw InputError(place: "--start", problem: "\(startStamp.local) is in the past", fix: "move the meeting to a time to come")
            }
            if !force {
                var alone = session
                alone.recurrence = nil
                alone.exceptions = []
                alone.start = startStamp.local
                alone.end = newEnd
                let span = SessionRules.Span(start: newStart, end: newStart.addingTimeInterval(Double(alone.durationMinutes * 60)))
                if let conflict = try await busyConflict(alone, span: span, tx) { throw conflict }
            }
            let original = try originalInstant(meeting, of: current)
            session.sequence += 1
            session.updatedAt = now
            let stored = try await storeChangedMeetings(session, tx)
            try await applyToEnrollments(.sessionMoved, sessionID: id, tx)
            var times = [newStart]
            if meeting.status != .cancelled { times.append(try startInstant(of: meeting, in: current)) }
            let told = try await tellPartnersIfSoon(stored, originalStart: original, times: times, tx)
            let after = try stored.session.schedule().first { $0.originalStart == meeting.originalStart } ?? meeting
            return MeetingChange(session: stored, meeting: after, partnersTold: told)
        }
    }

    private func scheduledSession(id: Int64, _ tx: any StoreReader) async throws -> StoredSession {
        let stored = try await existingSession(id: id, tx)
        guard stored.session.status == .scheduled else {
            throw InputError(place: "session \(id)", problem: "is cancelled and cannot be changed", fix: "create a new session")
        }
        return stored
    }

    /// A meeting that has started cannot be cancelled or moved any more.
    private func requireUpcoming(_ meeting: Meeting, of stored: StoredSession, now: Date) throws {
        guard try startInstant(of: meeting, in: stored) > now else {
            throw InputError(
                place: "--meeting \(meeting.originalStart.date)", problem: "the meeting of \(meeting.start) has already started",
                fix: "only meetings to come can be cancelled or moved")
        }
    }

    /// The instant a meeting (as it now is) starts.
    private func startInstant(of meeting: Meeting, in stored: StoredSession) throws -> Date {
        if let timed = try stored.timedMeetings().first(where: { $0.meeting.originalStart == meeting.originalStart }) {
            return timed.interval.start
        }
        let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)")
        return try zone.instant(of: meeting.start, place: "session \(stored.id), meeting at \(meeting.start)")
    }

    /// The instant of a meeting's original start: how outbox rows name the meeting.
    private func originalInstant(_ meeting: Meeting, of stored: StoredSession) throws -> Date {
        if meeting.originalStart == stored.session.start, stored.session.exceptions.allSatisfy({ $0.originalStart != meeting.originalStart }) {
            return try startInstant(of: meeting, in: stored)
        }
        let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)")
        return try zone.instant(of: meeting.originalStart, place: "session \(stored.id), meeting of \(meeting.originalStart)")
    }

    /// Stores a session whose meetings changed, with `starts_at`/`ends_at` spanning the meetings
    /// that now take place.
    private func storeChangedMeetings(_ session: Session, _ tx: any StoreWriter) async throws -> StoredSession {
        guard let id = session.id, let current = try await tx.session(id: id) else {
            throw NotFoundError(kind: "session", key: "\(session.id ?? 0)", fix: "list sessions with: overstap session list")
        }
        var next = current
        next.session = session
        let intervals = try next.meetingIntervals()
        guard let first = intervals.first, let last = intervals.map(\.end).max() else {
            throw InputError(place: "session \(id)", problem: "would have no meetings left", fix: "cancel the whole session instead")
        }
        try await tx.update(session, startsAt: first.start, endsAt: last)
        return try await existingSession(id: id, tx)
    }

    /// Queues a notice to each partner of the session when the meeting was or is less than 48
    /// hours away; a notice still waiting for the same meeting already says what is current
    /// (it is rendered when sent). Returns how many were queued.
    private func tellPartnersIfSoon(_ stored: StoredSession, originalStart: Date, times: [Date], _ tx: any StoreWriter) async throws -> Int {
        let now = clock.now()
        guard times.contains(where: { $0 > now && $0.timeIntervalSince(now) < Self.partnerNoticeWindow }) else { return 0 }
        let waiting = try await tx.outbox(OutboxFilter(sessionID: stored.id, kind: .partnerNotice)).filter {
            $0.state.isWaiting && $0.meetingAt == originalStart
        }
        var queued = 0
        for slug in stored.session.partners {
            guard let partnerID = try await tx.partnerID(slug: slug), let partner = try await tx.partner(slug: slug),
                !waiting.contains(where: { $0.partnerID == partnerID })
            else { continue }
            let notice = OutboxMessage(
                partnerNoticeFor: stored.id, partnerID: partnerID, recipient: partner.email, meetingAt: originalStart,
                messageID: "\(UUID().uuidString.lowercased())@\(organiserDomain)", dueAt: now)
            _ = try await tx.insert(notice)
            queued += 1
        }
        return queued
    }

    /// The mail to a partner about one meeting, rendered from the meeting as it now is.
    func partnerNoticeDraft(_ message: OutboxMessage, templates: MailTemplates, now: Date, _ source: MailSource) async throws -> MailDraft {
        guard let stored = try await source.session(message.sessionID), let partnerID = message.partnerID,
            let partner = try await source.tx.partner(id: partnerID), let originalAt = message.meetingAt
        else {
            throw InputError(place: "outbox \(message.id ?? 0)", problem: "its session or partner no longer exists")
        }
        let session = stored.session
        let locale = session.language == "en" ? "en" : "nl"
        let text = MeetingText(locale: locale)
        let zone = try ZoneResolver(identifier: session.timezone, place: "session \(stored.id)")
        let original = zone.local(of: originalAt)
        let meeting = try session.schedule().first { $0.originalStart == original }
            ?? Meeting(start: original, end: original.adding(minutes: session.durationMinutes))
        var values: [String: Any] = [
            "partner_name": partner.name, "title": session.title, "session_id": String(stored.id),
            "original_when": text.meeting(Meeting(start: original, end: original.adding(minutes: session.durationMinutes))),
            "cancelled": meeting.status == .cancelled, "moved": meeting.status == .moved, "as_planned": meeting.status == .scheduled,
            "new_when": text.meeting(meeting), "place": source.renderer.participantParts(session, locale: locale).place,
            "organiser_name": settings.organiserName, "organiser_email": settings.organiserEmail,
        ]
        if case .cancelled(let reason?)? = session.exceptions.first(where: { $0.originalStart == original })?.change { values["reason"] = reason }
        let rendered = templates.render(.partnerNotice, locale: locale, values: values)
        return MailDraft(
            messageID: message.messageID, date: now, from: MailAddress(name: settings.organiserName, address: settings.organiserEmail),
            to: MailAddress(name: partner.name, address: message.recipient), returnPath: settings.mail.returnPath,
            subject: rendered.subject, text: rendered.text, html: rendered.html, calendar: nil)
    }

    /// The original local start of the meeting an outbox row names.
    func originalLocalStart(_ message: OutboxMessage, _ stored: StoredSession) throws -> LocalDateTime {
        guard let instant = message.meetingAt else {
            throw InputError(place: "outbox \(message.id ?? 0)", problem: "does not say which meeting it is about")
        }
        return try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)").local(of: instant)
    }
}
