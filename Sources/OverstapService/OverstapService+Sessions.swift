import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// Creates a session from command-line options and returns it as stored.
    public func createSession(_ options: SessionOptions) async throws -> StoredSession {
        var missing: [InputError] = []
        func require<T>(_ value: T?, _ option: String, example: String) -> T? {
            if value == nil { missing.append(InputError(place: option, problem: "is required", fix: "e.g. \(option) \(example)")) }
            return value
        }
        let title = require(options.title, "--title", example: "\"Van keuken naar zorg\"")
        let partners = require(options.partners, "--partner", example: "roc-midden")
        let kind = require(options.kind, "--kind", example: "webinar")
        let sector = require(options.sector, "--sector", example: "zorg")
        let start = require(options.start, "--start", example: "\"2027-02-02 19:00\"")
        let capacity = require(options.capacity, "--capacity", example: "20")
        if options.end == nil && options.duration == nil {
            missing.append(InputError(place: "--end", problem: "give --end or --duration", fix: "e.g. --duration 90m"))
        }
        if options.online == nil && options.location == nil {
            missing.append(InputError(place: "--online", problem: "give --online URL or --location TEXT"))
        }
        guard missing.isEmpty, let title, let partners, let kind, let sector, let start, let capacity else {
            throw InputErrors(missing)
        }
        let now = clock.now()
        let draft = Session(
            uid: "\(UUID().uuidString.lowercased())@\(organiserDomain)", title: title, description: options.description ?? "",
            kind: .webinar, partners: partners, sector: sector, audience: options.audience ?? [],
            start: LocalDateTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0),
            end: LocalDateTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0),
            timezone: options.timezone ?? settings.timezone, recurrence: nil, capacity: capacity,
            venue: .onSite(""), region: options.region ?? settings.organiserRegion, language: options.language ?? "nl",
            updatedAt: now)
        var merged = options
        merged.kind = kind
        merged.start = start
        let (session, offsets, problems) = apply(merged, to: draft)
        return try await store.write { tx in
            let span = try await validate(session, offsets: offsets, problems: problems, force: options.force, tx)
            let id = try await tx.insert(session, startsAt: span.start, endsAt: span.end, now: now)
            guard let stored = try await tx.session(id: id) else { throw NotFoundError(kind: "session", key: "\(id)", fix: "") }
            return stored
        }
    }

    /// Changes a session; raises its SEQUENCE when participants would see the change.
    public func updateSession(id: Int64, _ options: SessionOptions) async throws -> StoredSession {
        let (updated, grew) = try await store.write { tx in
            let current = try await existingSession(id: id, tx)
            guard current.session.status == .scheduled else {
                throw InputError(place: "session \(id)", problem: "is cancelled and cannot be changed", fix: "create a new session")
            }
            var (session, offsets, problems) = apply(options, to: current.session)
            let retimed = session.start != current.session.start || session.end != current.session.end
                || session.recurrence != current.session.recurrence || session.timezone != current.session.timezone
            if retimed, !current.session.exceptions.isEmpty { throw Self.seriesHasExceptions(current.session) }
            // A partner's busy times only matter when the meetings or the partners change.
            let rescheduled = retimed || session.partners != current.session.partners
            let span = try await validate(session, offsets: offsets, problems: problems, force: options.force || !rescheduled, tx)
            let visible = Self.participantsSeeChange(from: current.session, to: session)
            if visible { session.sequence += 1 }
            session.updatedAt = clock.now()
            try await tx.update(session, startsAt: span.start, endsAt: span.end)
            if visible { try await applyToEnrollments(.sessionMoved, sessionID: id, tx) }
            let grew = session.capacity > current.session.capacity
            if grew { try await tx.noteFreedSeat(sessionID: id, at: clock.now()) }
            return (try await existingSession(id: id, tx), grew)
        }
        guard grew else { return updated }
        try await refillFreedSeats()
        return try await store.read { tx in try await existingSession(id: id, tx) }
    }

    /// Cancels a session; everyone enrolled gets the cancellation their state calls for.
    public func cancelSession(id: Int64, reason: String?) async throws -> StoredSession {
        if let reason { try SessionRules.multiLine(reason, place: "--reason") }
        return try await store.write { tx in
            var stored = try await existingSession(id: id, tx)
            guard stored.session.status == .scheduled else {
                throw InputError(place: "session \(id)", problem: "is already cancelled")
            }
            stored.session.status = .cancelled
            stored.session.cancelReason = reason
            stored.session.sequence += 1
            stored.session.updatedAt = clock.now()
            try await tx.update(stored.session, startsAt: stored.startsAt, endsAt: stored.endsAt)
            try await applyToEnrollments(.sessionCancelled, sessionID: id, tx)
            return try await existingSession(id: id, tx)
        }
    }

    /// Sessions matching a filter, by start.
    public func sessions(_ filter: SessionFilter) async throws -> [StoredSession] {
        var filter = filter
        if let region = filter.region { filter.region = try catalogues.regions.validate(region, place: "--region") }
        return try await store.read { [filter] in try await $0.sessions(filter) }
    }

    /// One session with its enrollments.
    public func session(id: Int64) async throws -> (session: StoredSession, enrollments: [EnrollmentWithWorker]) {
        try await store.read { tx in await (try existingSession(id: id, tx), try tx.enrollments(sessionID: id)) }
    }

    /// The start of a local date in the configured zone, for `--from`/`--to` filters.
    public func startOfDay(_ text: String, place: String) throws -> Date {
        let date = try TimeInput.date(text, place: place)
        let resolver = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        return try resolver.instant(of: LocalDateTime(date: date, hour: 0, minute: 0), place: place)
    }

    var organiserDomain: String {
        String(settings.organiserEmail.split(separator: "@").last ?? "overstap.invalid")
    }

    func existingSession(id: Int64, _ tx: any StoreReader) async throws -> StoredSession {
        guard let stored = try await tx.session(id: id) else {
            throw NotFoundError(kind: "session", key: "\(id)", fix: "list sessions with: overstap session list")
        }
        return stored
    }

    /// Runs every check and reports all problems at once: option parsing, partners, session rules.
    private func validate(
        _ session: Session, offsets: (start: Int?, end: Int?), problems: [InputError], force: Bool, _ tx: any StoreReader
    ) async throws -> SessionRules.Span {
        var all = problems
        let known = try await tx.partners().map(\.slug)
        let unknown = session.partners.filter { !known.contains($0) }
        if !unknown.isEmpty {
            all.append(InputError(
                place: "--partner", problem: "unknown partner \(unknown.map { "'\($0)'" }.joined(separator: ", "))",
                fix: known.isEmpty ? "add one first with: overstap partner add --name NAME --email EMAIL"
                    : "known partners: \(known.joined(separator: ", "))"))
        }
        // A time option that could not be read leaves a placeholder behind: checking it would only
        // add confusing follow-on errors ("1970-01-01 00:00 is in the past") or repeat the first one.
        let timeOptions = ["--start", "--end", "--duration", "--repeat"]
        let unreadableTime = problems.contains { timeOptions.contains($0.place) }
        var span: SessionRules.Span?
        do {
            span = try sessionRules.validate(session, startOffset: offsets.start, endOffset: offsets.end)
        } catch {
            all += error.problems.filter { problem in
                !unreadableTime || !timeOptions.contains { problem.place.hasPrefix($0) }
            }
        }
        guard all.isEmpty, let span else { throw InputErrors(all) }
        if !force, let conflict = try await busyConflict(session, span: span, tx) { throw conflict }
        return span
    }

    /// Applies an event to every enrollment of a session that it concerns, queueing the updates or
    /// cancellations the lifecycle asks for.
    func applyToEnrollments(_ event: EnrollmentEvent, sessionID: Int64, _ tx: any StoreWriter) async throws {
        for row in try await tx.enrollments(sessionID: sessionID) {
            try await applyLifecycleIfAllowed(event, to: row.enrollment, tx)
        }
    }

    /// Applies the given options to a session; returns it with the explicit offsets typed and any
    /// option that could not be read.
    private func apply(_ options: SessionOptions, to base: Session) -> (Session, (start: Int?, end: Int?), [InputError]) {
        var session = base
        var problems: [InputError] = []
        func attempt(_ body: () throws(InputError) -> Void) {
            do { try body() } catch { problems.append(error) }
        }
        if let title = options.title { session.title = title }
        if let description = options.description { session.description = description }
        if let partners = options.partners { session.partners = Self.unique(partners) }
        if let kind = options.kind {
            if let value = SessionKind(rawValue: kind) {
                session.kind = value
            } else {
                problems.append(InputError(
                    place: "--kind", problem: "unknown kind '\(kind)'",
                    fix: "use one of \(SessionKind.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        // Codes are matched in any letter case and stored as the catalogue spells them.
        if let sector = options.sector { session.sector = catalogues.sectors.canonical(sector) ?? sector }
        if let audience = options.audience { session.audience = Self.unique(audience.map { catalogues.sectors.canonical($0) ?? $0 }) }
        if let timezone = options.timezone { session.timezone = timezone }
        if let capacity = options.capacity { session.capacity = capacity }
        if let region = options.region { session.region = catalogues.regions.canonical(region) ?? region }
        if let language = options.language { session.language = language.lowercased() }
        if let rule = options.repeatRule { session.recurrence = rule.isEmpty || rule.lowercased() == "none" ? nil : rule }
        if let online = options.online {
            if let url = URL(string: online) {
                session.venue = .online(url)
            } else {
                problems.append(InputError(place: "--online", problem: "'\(online)' is not a web link", fix: "give a full https:// address"))
            }
        }
        if let location = options.location { session.venue = .onSite(location) }
        if options.online != nil && options.location != nil {
            problems.append(InputError(place: "--location", problem: "give either --online or --location, not both"))
        }
        var offsets: (start: Int?, end: Int?) = (nil, nil)
        let duration = session.durationMinutes
        if let start = options.start {
            attempt { () throws(InputError) in
                let stamp = try TimeInput.stamp(start, place: "--start")
                session.start = stamp.local
                session.end = stamp.local.adding(minutes: duration)
                offsets.start = stamp.offset
            }
        }
        if options.end != nil && options.duration != nil {
            problems.append(InputError(place: "--duration", problem: "give either --end or --duration, not both"))
        } else if let end = options.end {
            attempt { () throws(InputError) in
                let stamp = try TimeInput.stamp(end, place: "--end")
                session.end = stamp.local
                offsets.end = stamp.offset
            }
        } else if let duration = options.duration {
            attempt { () throws(InputError) in
                session.end = session.start.adding(minutes: try TimeInput.durationMinutes(duration, place: "--duration"))
            }
        }
        if let rule = session.recurrence {
            attempt { () throws(InputError) in _ = try RecurrenceRule.parse(rule, place: "--repeat") }
        }
        return (session, offsets, problems)
    }

    /// Moving a whole series whose meetings were changed one by one is refused: a moved meeting's
    /// new time and a cancelled meeting's RECURRENCE-ID are tied to the original times, and no
    /// rule says where they should go. The organiser restores them first (docs/architecture.md).
    static func seriesHasExceptions(_ session: Session) -> InputError {
        let list = session.exceptions.map { exception in
            switch exception.change {
            case .cancelled: return "\(exception.originalStart.date) cancelled"
            case .moved(let start, _): return "\(exception.originalStart.date) moved to \(start)"
            }
        }
        let id = session.id.map(String.init) ?? "ID"
        return InputError(
            place: "session \(id)",
            problem: "has meetings changed one by one (\(list.joined(separator: ", "))), so its times cannot change as a whole",
            fix: "put those meetings back at their original time first with: overstap session update \(id) --meeting DATE --start \"YYYY-MM-DD HH:MM\" "
                + "(a cancelled meeting comes back the same way), or change the meetings one by one")
    }

    static func participantsSeeChange(from old: Session, to new: Session) -> Bool {
        old.title != new.title || old.description != new.description || old.start != new.start || old.end != new.end
            || old.timezone != new.timezone || old.recurrence != new.recurrence || old.venue != new.venue
            || old.language != new.language || old.partners != new.partners || old.kind != new.kind
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
