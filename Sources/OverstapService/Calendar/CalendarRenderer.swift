import Foundation
import ICalendar
import OverstapCore
import OverstapStore

/// Builds Overstap's calendar objects — invitations, updates, cancellations and feeds — from
/// sessions, following the iCalendar rules of DESIGN.md. Every byte is written by libical.
public struct CalendarRenderer: Sendable {
    /// The team mailbox that appears as ORGANIZER.
    public let organiser: CalendarAddress
    /// The VALARM trigger for invitations, nil for none.
    public let alarm: String?
    /// Partner names by slug, for "who runs it".
    public let partnerNames: [String: String]

    /// How long cancelled sessions stay in feeds, and how far back feeds reach.
    public static let feedWindowDays = 30

    /// Creates a renderer; `alarm` is the `calendar.alarm` setting (`-PT1H` or `none`).
    public init(organiserName: String, organiserEmail: String, alarm: String, partnerNames: [String: String]) {
        organiser = CalendarAddress(email: organiserEmail, commonName: organiserName)
        self.alarm = alarm.lowercased() == "none" ? nil : alarm
        self.partnerNames = partnerNames
    }

    /// A REQUEST inviting one person (also used for updates: same UID, the session's SEQUENCE);
    /// `answerLink` is the person's signed answer page, which the DESCRIPTION points to.
    /// `sentBefore` is the last calendar message the person received for it: the SEQUENCE never goes below it.
    /// `answerBy` is the answer deadline in words, when the invitation has one.
    public func invitation(
        for stored: StoredSession, to worker: Worker, answerLink: String? = nil, sentBefore: SentSequence? = nil, now: Date,
        answerBy: String? = nil
    ) throws -> String {
        let texts = CalendarTexts(locale: worker.locale)
        var event = try baseEvent(stored, texts: texts, stamp: now)
        event.sequence = Self.sequence(of: stored, cancel: false, after: sentBefore)
        event.description = participantDescription(stored.session, texts: texts, answerLink: answerLink, answerBy: answerBy)
        event.attendees = [attendee(worker, participation: "NEEDS-ACTION")]
        if let alarm { event.alarms = [CalendarAlarm(trigger: alarm, description: texts.alarm)] }
        return try write(CalendarDocument(method: .request, events: try withOverrides(event, stored)), place: "calendar.alarm")
    }

    /// A CANCEL of one meeting of a series (RECURRENCE-ID = its original start): the rest of the
    /// person's entry stays. Its SEQUENCE is the session's, which the cancellation raised.
    public func meetingCancellation(
        for stored: StoredSession, originalStart: LocalDateTime, to worker: Worker, sentBefore: SentSequence? = nil, now: Date
    ) throws -> String {
        let texts = CalendarTexts(locale: worker.locale)
        let session = stored.session
        var event = try baseEvent(stored, texts: texts, stamp: now)
        event.sequence = Self.meetingSequence(of: stored, after: sentBefore)
        event.recurrenceRule = nil
        event.exceptionDates = []
        event.recurrenceID = .zoned(Self.fields(originalStart), tzid: session.timezone)
        event.start = .zoned(Self.fields(originalStart), tzid: session.timezone)
        event.end = .zoned(Self.fields(originalStart.adding(minutes: session.durationMinutes)), tzid: session.timezone)
        event.status = "CANCELLED"
        event.description = meetingCancellationDescription(session, originalStart: originalStart, texts: texts)
        event.attendees = [attendee(worker, participation: "NEEDS-ACTION")]
        return try write(CalendarDocument(method: .cancel, events: [event]), place: "session")
    }

    /// The SEQUENCE of a CANCEL of one meeting: the session's (raised by that cancellation), never
    /// below what the person holds. It does not withdraw their entry, so it is recorded as a
    /// REQUEST would be: the next REQUEST, which carries the EXDATE, need not outrank it.
    public static func meetingSequence(of stored: StoredSession, after sent: SentSequence?) -> Int {
        max(stored.session.sequence, sent?.floor(forCancel: false) ?? 0)
    }

    /// A CANCEL that removes the session from one person's calendar; `expired` when it is because
    /// no answer came before the deadline.
    public func cancellation(
        for stored: StoredSession, to worker: Worker, sentBefore: SentSequence? = nil, now: Date, expired: Bool = false
    ) throws -> String {
        let texts = CalendarTexts(locale: worker.locale)
        var event = try baseEvent(stored, texts: texts, stamp: now)
        event.sequence = Self.sequence(of: stored, cancel: true, after: sentBefore)
        event.status = "CANCELLED"
        event.description = expired ? texts.expired(contact: organiser.email) : cancellationDescription(stored.session, texts: texts)
        event.attendees = [attendee(worker, participation: "NEEDS-ACTION")]
        return try write(CalendarDocument(method: .cancel, events: [event]), place: "session")
    }

    /// The SEQUENCE a message to one person carries: the session's, one more for a CANCEL of a
    /// session that still runs (it must outrank the invitation they hold), and never less than the
    /// last message they received allows (a REQUEST after their CANCEL outranks that CANCEL).
    public static func sequence(of stored: StoredSession, cancel: Bool, after sent: SentSequence?) -> Int {
        let own = stored.session.sequence + (cancel && stored.session.status == .scheduled ? 1 : 0)
        return max(own, sent?.floor(forCancel: cancel) ?? 0)
    }

    /// One session as PUBLISH, with no personal data (`overstap session ics`).
    public func publication(of stored: StoredSession, timezone: String) throws -> String {
        try write(CalendarDocument(method: .publish, timezoneName: timezone, events: try feedEvents(stored, marksFull: true)), place: "session")
    }

    /// A subscribable feed: PUBLISH, no attendees, DTSTAMP = each session's last change. A
    /// cancelled session says so in its title; with `marksFull` (partner and region feeds, not a
    /// participant's own) a full one does too. Without sessions the feed still carries its zone's
    /// VTIMEZONE, since RFC 5545 wants at least one component.
    public func feed(named name: String, sessions: [StoredSession], timezone: String, marksFull: Bool = true) throws -> String {
        let document = CalendarDocument(
            method: .publish, name: name, timezoneName: timezone, refreshInterval: "PT1H",
            events: try sessions.flatMap { try feedEvents($0, marksFull: marksFull) })
        return try write(document, place: "feed")
    }

    /// The sessions a feed shows: from 30 days ago on, cancelled ones only for 30 days after the cancellation.
    public static func feedSessions(_ sessions: [StoredSession], now: Date) -> [StoredSession] {
        let windowStart = startOfDayUTC(now).addingTimeInterval(-Double(feedWindowDays) * 86_400)
        return sessions.filter { stored in
            guard stored.endsAt >= windowStart else { return false }
            return stored.session.status == .scheduled || stored.session.updatedAt >= windowStart
        }
    }

    private static func startOfDayUTC(_ instant: Date) -> Date {
        Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }

    /// A session in a feed: the master and an override per moved meeting.
    private func feedEvents(_ stored: StoredSession, marksFull: Bool) throws -> [CalendarEvent] {
        try withOverrides(try feedEvent(stored, marksFull: marksFull), stored)
    }

    private func feedEvent(_ stored: StoredSession, marksFull: Bool) throws -> CalendarEvent {
        let texts = CalendarTexts(locale: stored.session.language == "en" ? "en" : "nl")
        var event = try baseEvent(stored, texts: texts, stamp: stored.session.updatedAt)
        event.lastModified = stored.session.updatedAt
        if stored.session.status == .cancelled {
            event.summary = texts.cancelledTitle(stored.session.title)
        } else if marksFull && stored.seatsTaken >= stored.session.capacity {
            event.summary = texts.fullTitle(stored.session.title)
        }
        var lines = [participantDescriptionCore(stored.session, texts: texts)]
        lines.append(texts.seats(taken: stored.seatsTaken, capacity: stored.session.capacity))
        if stored.session.status == .cancelled {
            lines.insert(texts.cancelled + (stored.session.cancelReason.map { " " + texts.reason($0) } ?? ""), at: 0)
        }
        event.description = lines.joined(separator: "\n\n")
        return event
    }

    private func baseEvent(_ stored: StoredSession, texts: CalendarTexts, stamp: Date) throws -> CalendarEvent {
        let session = stored.session
        var event = CalendarEvent(
            uid: session.uid, sequence: session.sequence, stamp: stamp,
            start: .zoned(Self.fields(session.start), tzid: session.timezone),
            end: .zoned(Self.fields(session.end), tzid: session.timezone), summary: session.title,
            location: session.venue.address ?? session.venue.joinLink?.absoluteString, url: session.venue.joinLink?.absoluteString,
            status: session.status == .cancelled ? "CANCELLED" : "CONFIRMED", categories: [session.sector],
            organizer: organiser, recurrenceRule: session.recurrence?.uppercased())
        if let link = session.venue.joinLink {
            event.conference = CalendarConference(uri: link.absoluteString, label: texts.joinLabel)
        }
        event.exceptionDates = session.exceptions.compactMap { exception in
            guard case .cancelled = exception.change else { return nil }
            return .zoned(Self.fields(exception.originalStart), tzid: session.timezone)
        }
        return event
    }

    /// The master followed by one overriding VEVENT per moved meeting: the same UID, SEQUENCE,
    /// texts and attendee, its RECURRENCE-ID the original start in the master's TZID form.
    private func withOverrides(_ master: CalendarEvent, _ stored: StoredSession) throws -> [CalendarEvent] {
        let session = stored.session
        guard !session.exceptions.isEmpty else { return [master] }
        let moved = try session.schedule().filter { $0.status == .moved }
        return [master] + moved.map { meeting in
            var override = master
            override.recurrenceRule = nil
            override.exceptionDates = []
            override.recurrenceID = .zoned(Self.fields(meeting.originalStart), tzid: session.timezone)
            override.start = .zoned(Self.fields(meeting.start), tzid: session.timezone)
            override.end = .zoned(Self.fields(meeting.end), tzid: session.timezone)
            return override
        }
    }

    /// The DESCRIPTION a participant's calendar entry carries for this kind of message, which the
    /// mail body repeats (Outlook shows the body, other clients the entry).
    func participantText(_ kind: OutboxKind, _ session: Session, locale: String, answerLink: String?, answerBy: String? = nil) -> String {
        let texts = CalendarTexts(locale: locale)
        switch kind {
        case .invitation, .update, .nudge: return participantDescription(session, texts: texts, answerLink: answerLink, answerBy: answerBy)
        case .cancellation, .seatTaken: return cancellationDescription(session, texts: texts)
        case .reminder, .partnerNotice: return participantDescriptionCore(session, texts: texts)
        case .meetingCancellation: return texts.meetingCancelled
        case .expiry: return texts.expired(contact: organiser.email)
        }
    }

    /// What a CANCEL of one meeting says: that meeting is off (with the reason), the rest goes on.
    func meetingCancellationDescription(_ session: Session, originalStart: LocalDateTime, texts: CalendarTexts) -> String {
        let reason = session.exceptions.first { $0.originalStart == originalStart }.flatMap { exception -> String? in
            if case .cancelled(let reason?) = exception.change { return texts.reason(reason) }
            return nil
        }
        return ([texts.meetingCancelled] + (reason.map { [$0] } ?? [])).joined(separator: "\n")
    }

    /// A called-off session says so (with its reason); a session that still runs tells the person
    /// that their place in it is withdrawn (they declined, or were taken out).
    private func cancellationDescription(_ session: Session, texts: CalendarTexts) -> String {
        guard session.status == .cancelled else { return texts.placeWithdrawn }
        return ([texts.cancelled] + (session.cancelReason.map { [texts.reason($0)] } ?? [])).joined(separator: "\n")
    }

    private func participantDescription(_ session: Session, texts: CalendarTexts, answerLink: String?, answerBy: String? = nil) -> String {
        let count = (try? session.meetings().count) ?? 1
        let answer = [texts.answerCoversAll(count), texts.howToAnswer(link: answerLink)].compactMap { $0 }.joined(separator: " ")
        return ([participantDescriptionCore(session, texts: texts), answer] + [answerBy.map(texts.answerBy)].compactMap { $0 })
            .joined(separator: "\n\n")
    }

    /// What, who runs it, where: the same words the e-mail body uses.
    func participantDescriptionCore(_ session: Session, texts: CalendarTexts) -> String {
        let parts = participantParts(session, locale: texts.locale)
        return (parts.before + [parts.place] + parts.after).joined(separator: "\n")
    }

    /// The lines of `participantDescriptionCore` around the where line (what and who runs it
    /// before, how many meetings after), for mails that show the place with a clickable link.
    func participantParts(_ session: Session, locale: String) -> (before: [String], place: String, after: [String]) {
        let texts = CalendarTexts(locale: locale)
        var before: [String] = []
        if !session.description.isEmpty { before.append(session.description) }
        before.append(texts.runBy(session.partners.map { partnerNames[$0] ?? $0 }))
        let count = (try? session.meetings().count) ?? 1
        return (before, texts.place(session.venue), texts.meetings(count).map { [$0] } ?? [])
    }

    private func attendee(_ worker: Worker, participation: String) -> CalendarAttendee {
        CalendarAttendee(address: CalendarAddress(email: worker.email, commonName: worker.name), participation: participation)
    }

    private func write(_ document: CalendarDocument, place: String) throws -> String {
        do {
            return try document.serialised()
        } catch {
            throw InputError(place: place, problem: error.description)
        }
    }

    private static func fields(_ local: LocalDateTime) -> CalendarDateTime {
        CalendarDateTime(year: local.date.year, month: local.date.month, day: local.date.day, hour: local.hour, minute: local.minute)
    }
}
