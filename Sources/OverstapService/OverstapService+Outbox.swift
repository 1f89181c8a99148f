import Foundation
import Mail
import OverstapCore
import OverstapStore

extension OverstapService {
    /// What one `outbox send` run did.
    public struct SendReport: Sendable, Equatable {
        public var sent = 0
        /// Deferred by the server (4xx): tried again later.
        public var deferred = 0
        /// Failed for good in this run (5xx, unusable address, too old).
        public var failed = 0
        /// Set when the transport itself failed; the remaining messages wait.
        public var transportFailure: String?
        /// Messages whose outcome was not stored: this run's lease lapsed and another sender took
        /// them over (their outcome is the new owner's to store), or they were erased meanwhile.
        public var lost = 0
        /// A report of a run that did nothing yet.
        public init() {}
    }

    /// Queues invitations for `selected` enrollments of upcoming sessions (they become `invited`);
    /// `hold` keeps them until `outbox release`. Returns how many were queued.
    public func invite(sessionID: Int64?, hold: Bool) async throws -> Int {
        try await store.write { tx in
            let now = clock.now()
            var sessions = try await tx.sessions(SessionFilter(from: now)).filter { $0.session.status == .scheduled && $0.startsAt > now }
            if let sessionID {
                guard let stored = try await tx.session(id: sessionID) else {
                    throw NotFoundError(kind: "session", key: "\(sessionID)", fix: "list sessions with: overstap session list")
                }
                guard sessions.contains(where: { $0.id == sessionID }) else {
                    throw InputError(place: "--session \(sessionID)", problem: "'\(stored.session.title)' is cancelled or has started")
                }
                sessions = sessions.filter { $0.id == sessionID }
            }
            var queued = 0
            for stored in sessions {
                for row in try await tx.enrollments(sessionID: stored.id) where row.enrollment.state == .selected {
                    queued += try await applyLifecycle(.invited, to: row.enrollment, hold: hold, tx)
                }
            }
            return queued
        }
    }

    /// Queues one message unless the outbox rules fold or drop it; supersedes what it replaces.
    /// `meetingAt` names the meeting (original start) a meeting cancellation is about.
    func queue(
        _ kind: OutboxKind, sessionID: Int64, workerID: Int64, meetingAt: Date? = nil, hold: Bool, _ tx: any StoreWriter
    ) async throws -> Bool {
        guard let worker = try await tx.worker(id: workerID) else { return false }
        let earlier = try await tx.outbox(OutboxFilter(sessionID: sessionID, workerID: workerID))
        let decision = OutboxPolicy.decide(kind, earlier: earlier)
        for replaced in earlier where decision.supersede.contains(replaced.id ?? -1) {
            try await tx.record(try OutboxLifecycle.apply(.superseded, to: replaced))
        }
        guard decision.queue else { return false }
        let now = clock.now()
        var message = OutboxMessage(
            kind: kind, sessionID: sessionID, workerID: workerID, recipient: worker.email,
            messageID: "\(UUID().uuidString.lowercased())@\(organiserDomain)", held: hold, dueAt: now, createdAt: now)
        message.meetingAt = meetingAt
        if kind == .nudge || kind == .expiry {
            // One of each per invitation round: the database refuses a second (another run queued it).
            message.invitationSentAt = try await tx.enrollment(sessionID: sessionID, workerID: workerID)?.invitationSentAt
        }
        return try await tx.insert(message) != nil
    }

    /// The outbox backlog for health checks: messages due now and the oldest due time (reminders
    /// for later are not backlog).
    public func outboxHealth() async throws -> (backlog: Int, oldestDue: Date?) {
        let backlog = try await store.read { [now = clock.now()] in try await $0.outboxBacklog(now: now) }
        return (backlog.due, backlog.oldestDue)
    }

    /// Outbox messages, oldest first.
    public func outbox(state: OutboxState?, sessionID: Int64? = nil, kind: OutboxKind? = nil) async throws -> [OutboxMessage] {
        try await store.read { try await $0.outbox(OutboxFilter(state: state, sessionID: sessionID, kind: kind)) }
    }

    /// One message and what it would look like if it were sent now.
    public func outboxMessage(id: Int64) async throws -> (message: OutboxMessage, draft: MailDraft, raw: OutgoingMessage) {
        let templates = try MailTemplates(folder: settings.templatesPath)
        return try await store.read { tx in
            guard let message = try await tx.outboxMessage(id: id) else {
                throw NotFoundError(kind: "outbox message", key: "\(id)", fix: "list messages with: overstap outbox list")
            }
            let draft = try await draft(message, templates: templates, now: clock.now(), MailSource(tx, renderer: try calendarRenderer(tx))).mail
            return (message, draft, try MIMEComposer.compose(draft))
        }
    }

    /// Lets held messages go: the given ids, or every held message of a session, or all held.
    public func releaseHeld(ids: [Int64], sessionID: Int64?) async throws -> Int {
        try await store.write { tx in
            var held = try await tx.outbox(OutboxFilter(state: .held, sessionID: sessionID))
            if !ids.isEmpty {
                for id in ids where !held.contains(where: { $0.id == id }) {
                    throw InputError(place: "outbox \(id)", problem: "is not a held message", fix: "see overstap outbox list --state held")
                }
                held = held.filter { ids.contains($0.id ?? -1) }
            }
            let now = clock.now()
            for message in held {
                try await tx.record(try OutboxLifecycle.apply(.released(at: now), to: message))
            }
            return held.count
        }
    }

    /// Puts a failed message back in line for an immediate attempt, while what it says still
    /// holds: an invitation, update or reminder only while the enrollment has a calendar entry
    /// (never a full invitation for a seat that is gone), a cancellation only while it has none.
    public func retry(id: Int64) async throws {
        try await store.write { tx in
            guard let message = try await tx.outboxMessage(id: id) else {
                throw NotFoundError(kind: "outbox message", key: "\(id)", fix: "list messages with: overstap outbox list")
            }
            guard message.state == .failed else {
                throw InputError(place: "outbox \(id)", problem: "is \(message.state.rawValue); only failed messages can be retried")
            }
            // A partner notice offers no seat and withdraws none: it may always go again.
            guard let workerID = message.workerID else {
                _ = try await tx.record(try OutboxLifecycle.apply(.retried(at: clock.now()), to: message))
                return
            }
            let enrollment = try await tx.enrollment(sessionID: message.sessionID, workerID: workerID)
            let hasEntry = enrollment?.state.hasCalendarEntry ?? false
            let enrollmentState = enrollment?.state.rawValue ?? "gone"
            if message.kind.removesEntry, hasEntry {
                throw InputError(
                    place: "outbox \(id)",
                    problem: "is a cancellation, but the enrollment is \(enrollmentState) again, so it would cancel a seat the person holds",
                    fix: "leave it failed; see overstap worker show \(message.recipient)")
            }
            if !message.kind.removesEntry, !hasEntry {
                throw InputError(
                    place: "outbox \(id)",
                    problem: "is \(message.kind == .reminder ? "a reminder" : "an \(message.kind.rawValue)") for an enrollment that is "
                        + "\(enrollmentState), so it would offer a seat that does not exist",
                    fix: "leave it failed; place the person again with overstap match --commit and overstap invite")
            }
            try await tx.record(try OutboxLifecycle.apply(.retried(at: clock.now()), to: message))
        }
    }

    /// Clears a person's undeliverable flag on purpose (their address works again), so matching
    /// considers them again; returns false when it was not set. A re-import never clears it.
    public func markDeliverable(email: String) async throws -> Bool {
        try await store.write { tx in
            guard let worker = try await tx.worker(email: email), let id = worker.id else {
                throw NotFoundError(kind: "worker", key: email, fix: "list workers with: overstap worker list")
            }
            return try await tx.markDeliverable(workerID: id)
        }
    }

    /// Clears the flag of everyone flagged at or after `since` (`YYYY-MM-DD HH:MM` in the
    /// configured zone, or with an offset): undoes an incident such as a mail server that refused
    /// every address. Returns their addresses.
    public func markDeliverable(flaggedSince since: String, place: String) async throws -> [String] {
        let stamp = try TimeInput.stamp(since, place: place)
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let instant = try zone.instant(of: stamp.local, explicitOffset: stamp.offset, place: place)
        return try await store.write { try await $0.markDeliverable(flaggedSince: instant) }
    }

    /// The transport `mail.transport` names.
    public func mailTransport() -> any MailTransport {
        let mail = settings.mail
        switch mail.transport {
        case .file:
            return FileTransport(directory: mail.directory)
        case .smtp:
            let tls: SMTPTLSMode =
                switch mail.smtpTLS {
                case .starttls: .starttls
                case .implicit: .implicit
                case .none: .none
                }
            return SMTPTransport(
                configuration: SMTPConfiguration(
                    host: mail.smtpHost, port: mail.smtpPort, tls: tls, caFile: mail.smtpCAFile, username: mail.smtpUsername,
                    password: mail.smtpPassword, connections: mail.smtpConnections,
                    heloName: ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName))
        }
    }

    /// Stores what happened to one claimed message through the outbox lifecycle; only a missing
    /// mailbox costs the person their seat.
    func record(_ result: DeliveryResult, for claimed: OutboxMessage, into report: inout SendReport, _ tx: any StoreWriter) async throws {
        let now = clock.now()
        let event: OutboxEvent
        switch result {
        case .outcome(.delivered):
            event = .delivered(at: now)
            report.sent += 1
        case .outcome(.deferred(let reply)):
            let retryAt = settings.mail.retry.nextAttempt(after: claimed.attempts + 1, now: now, queuedAt: claimed.createdAt)
            event = .deferred(reply: reply.description, retryAt: retryAt)
            if retryAt == nil { report.failed += 1 } else { report.deferred += 1 }
        case .outcome(.rejected(let reply)), .outcome(.undeliverable(let reply)):
            event = .refused(reply: reply.description)
            report.failed += 1
        case .transportFailed(let error):
            event = .transportFailed(reason: error.description)
            report.transportFailure = error.description
        case .notAttempted:
            event = .notAttempted
        case .unrenderable(let problem):
            event = .unrenderable(problem: problem)
            report.failed += 1
        }
        // Written only while this run still holds the lease: a sender whose lease lapsed and was
        // taken over leaves the outcome to the new owner (which sends it again, same Message-ID).
        guard try await tx.record(try OutboxLifecycle.apply(event, to: claimed)) else {
            report.lost += 1
            return
        }
        if case .outcome(.undeliverable) = result { try await addressUndeliverable(claimed, into: &report, tx) }
    }

    /// The mailbox does not exist: flag the address (until someone clears it) and give the seat back.
    /// A partner's address is not a worker's: its notice just fails, for the organiser to see.
    private func addressUndeliverable(_ message: OutboxMessage, into report: inout SendReport, _ tx: any StoreWriter) async throws {
        guard let workerID = message.workerID else { return }
        try await tx.markUndeliverable(workerID: workerID, now: clock.now())
        guard let enrollment = try await tx.enrollment(sessionID: message.sessionID, workerID: workerID), enrollment.state.isActive
        else { return }
        try await applyLifecycle(.addressUndeliverable, to: enrollment, tx)
    }

    /// Renders and encodes a message from the current session and worker data.
    func compose(_ message: OutboxMessage, templates: MailTemplates, now: Date, _ source: MailSource) async throws -> Composed {
        let draft = try await draft(message, templates: templates, now: now, source)
        let outgoing = try MIMEComposer.compose(draft.mail)
        if let sequence = draft.calendarSequence, let workerID = message.workerID {
            source.composed(sequence, sessionID: message.sessionID, workerID: workerID)
        }
        return Composed(outgoing: outgoing, calendarSequence: draft.calendarSequence, answerBy: draft.answerBy)
    }

    /// A message ready to send, with the calendar SEQUENCE it carries (nil for a reminder).
    struct Composed: Sendable {
        var outgoing: OutgoingMessage
        var calendarSequence: SentSequence?
        /// The answer deadline the message announced, recorded when an invitation is delivered.
        var answerBy: Date?
    }

    /// Renders a message from the current session and worker data.
    private func draft(
        _ message: OutboxMessage, templates: MailTemplates, now: Date, _ source: MailSource
    ) async throws -> (mail: MailDraft, calendarSequence: SentSequence?, answerBy: Date?) {
        if message.partnerID != nil { return (try await partnerNoticeDraft(message, templates: templates, now: now, source), nil, nil) }
        guard let stored = try await source.session(message.sessionID), let workerID = message.workerID,
            let worker = try await source.worker(id: workerID)
        else {
            throw InputError(place: "outbox \(message.id ?? 0)", problem: "its session or person no longer exists")
        }
        let renderer = source.renderer
        var link: String?
        let enrollment = try await source.enrollment(sessionID: message.sessionID, workerID: workerID)
        if !message.kind.removesEntry, let id = enrollment?.id {
            link = try source.links(settings)?.answer(enrollmentID: id)
        }
        let answerBy = [.invitation, .update, .nudge].contains(message.kind) ? answerDeadline(of: enrollment, stored, now: now) : nil
        var answerByText: String?
        if let answerBy {
            let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)")
            answerByText = MeetingText(locale: worker.locale).moment(zone.local(of: answerBy))
        }
        let sentBefore = try await source.sentSequence(sessionID: message.sessionID, workerID: workerID)
        let calendar: MailDraft.CalendarPart?
        var calendarSequence: SentSequence?
        switch message.kind {
        case .invitation, .update:
            calendar = .init(
                text: try renderer.invitation(
                    for: stored, to: worker, answerLink: link, sentBefore: sentBefore, now: now, answerBy: answerByText),
                method: "REQUEST")
            calendarSequence = SentSequence(sequence: CalendarRenderer.sequence(of: stored, cancel: false, after: sentBefore), wasCancel: false)
        case .cancellation, .seatTaken, .expiry:
            calendar = .init(
                text: try renderer.cancellation(for: stored, to: worker, sentBefore: sentBefore, now: now, expired: message.kind == .expiry),
                method: "CANCEL")
            calendarSequence = SentSequence(sequence: CalendarRenderer.sequence(of: stored, cancel: true, after: sentBefore), wasCancel: true)
        case .meetingCancellation:
            let original = try originalLocalStart(message, stored)
            calendar = .init(
                text: try renderer.meetingCancellation(for: stored, originalStart: original, to: worker, sentBefore: sentBefore, now: now),
                method: "CANCEL")
            calendarSequence = SentSequence(sequence: CalendarRenderer.meetingSequence(of: stored, after: sentBefore), wasCancel: false)
        case .reminder, .nudge, .partnerNotice:
            calendar = nil
        }
        var values = try mailValues(message.kind, stored, worker, renderer, answerLink: link, answerBy: answerByText)
        if let meeting = message.meetingAt {
            // A reminder names the meeting by its start, a meeting cancellation by its original start.
            let zone = try ZoneResolver(identifier: stored.session.timezone, place: "session \(stored.id)")
            let start = zone.local(of: meeting)
            let schedule = try stored.session.schedule()
            let named = message.kind == .reminder
                ? schedule.first { $0.start == start && $0.status != .cancelled } : schedule.first { $0.originalStart == start }
            values["when"] = MeetingText(locale: worker.locale)
                .meeting(named ?? Meeting(start: start, end: start.adding(minutes: stored.session.durationMinutes)))
        }
        if message.kind == .meetingCancellation {
            let description = renderer.meetingCancellationDescription(
                stored.session, originalStart: try originalLocalStart(message, stored), texts: CalendarTexts(locale: worker.locale))
            values["description"] = description
            values["description_lines"] = Self.nonEmptyLines(description)
            let original = try originalLocalStart(message, stored)
            if case .cancelled(let reason?)? = stored.session.exceptions.first(where: { $0.originalStart == original })?.change {
                values["reason"] = reason
            }
        }
        if let link {
            values["accept_link"] = link + "?answer=accept"
            values["decline_link"] = link + "?answer=decline"
            values["consent_link"] = link + "#roster"
            if let feed = try source.links(settings)?.personalFeed(workerID: workerID) {
                for (key, value) in Self.subscribeLinks(feed) { values[key] = value }
            }
        }
        let rendered = templates.render(message.kind, locale: worker.locale, values: values)
        let mail = MailDraft(
            messageID: message.messageID, date: now, from: MailAddress(name: settings.organiserName, address: settings.organiserEmail),
            to: MailAddress(name: worker.name, address: message.recipient), returnPath: settings.mail.returnPath,
            subject: rendered.subject, text: rendered.text, html: rendered.html, calendar: calendar)
        return (mail, calendarSequence, answerBy)
    }

    /// The template variables of templates/README.md.
    private func mailValues(
        _ kind: OutboxKind, _ stored: StoredSession, _ worker: Worker, _ renderer: CalendarRenderer, answerLink: String?, answerBy: String?
    ) throws -> [String: Any] {
        let session = stored.session
        let text = MeetingText(locale: worker.locale)
        let meetings = try session.meetings()
        let description = renderer.participantText(kind, session, locale: worker.locale, answerLink: answerLink, answerBy: answerBy)
        let parts = renderer.participantParts(session, locale: worker.locale)
        var values: [String: Any] = [
            "about_lines": parts.before, "after_lines": parts.after, "place": parts.place,
            "name": worker.name, "title": session.title, "when": meetings.first.map(text.meeting) ?? "",
            "first_meeting": text.date(session.start.date), "meetings_list": meetings.count > 1, "meetings": meetings.map(text.meeting),
            "description": description,
            "description_lines": Self.nonEmptyLines(description),
            "partners": session.partners.map { renderer.partnerNames[$0] ?? $0 }.joined(separator: ", "),
            "organiser_name": settings.organiserName, "organiser_email": settings.organiserEmail,
        ]
        if let link = session.venue.joinLink { values["join_link"] = link.absoluteString }
        if let address = session.venue.address { values["address"] = address }
        if let reason = session.cancelReason { values["reason"] = reason }
        if let answerBy {
            values["answer_by"] = answerBy
            values["answer_by_text"] = CalendarTexts(locale: worker.locale).answerBy(answerBy)
        }
        if let all = CalendarTexts(locale: worker.locale).answerCoversAll(meetings.count) { values["answer_covers_all"] = all }
        return values
    }

    /// The lines of a text, without empty ones; split at `\n` characters (a CRLF is one character
    /// and stays inside its line, as Foundation's `components(separatedBy:)` kept it).
    static func nonEmptyLines(_ text: String) -> [String] {
        // Byte by byte: a `\n` is a line break unless a `\r` comes right before it (the one pair
        // that makes a single Character), which gives `split(separator: "\n")` without breaking
        // the text into Characters.
        let bytes = text.utf8
        var lines: [String] = []
        var start = bytes.startIndex
        var previous: UInt8 = 0
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A, previous != 0x0D {
                if start < index { lines.append(String(decoding: bytes[start..<index], as: UTF8.self)) }
                start = bytes.index(after: index)
            }
            previous = byte
        }
        if start < bytes.endIndex { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return lines
    }

    /// A personal feed offered three ways: `webcal://` (a tap subscribes instead of importing a
    /// copy), Google Calendar's add-by-URL link, and the plain address to copy.
    static func subscribeLinks(_ feed: String) -> [String: String] {
        let webcal = "webcal://" + feed.drop { $0 != ":" }.dropFirst(3)
        return ["my_feed": feed, "my_feed_webcal": webcal, "my_feed_google": "https://calendar.google.com/calendar/r?cid=" + percentEncoded(webcal)]
    }

    /// Every UTF-8 octet but ASCII letters, digits and `-._~` (RFC 3986's unreserved) as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
