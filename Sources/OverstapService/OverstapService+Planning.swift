import Foundation
import ICalendar
import OverstapCore
import OverstapStore

extension OverstapService {
    /// How far ahead a partner's calendar export is expanded: series without an end stop here.
    public static let busyHorizonDays = 400

    /// What a busy-time import stored.
    public struct BusyImport: Sendable, Equatable {
        public var periods: Int
        /// Events that do not make the partner busy (free/transparent or cancelled).
        public var skipped: Int
    }

    /// Replaces a partner's busy times with those in its own calendar export (.ics).
    public func importBusy(partner slug: String, path: String) async throws -> BusyImport {
        let bytes = try Self.readImportFile(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(place: path, problem: "is not UTF-8 text", fix: "export the calendar again as .ics")
        }
        let now = clock.now()
        let occurrences: [CalendarOccurrence]
        do {
            occurrences = try CalendarDocument.occurrences(
                inText: text, from: now.addingTimeInterval(-86_400), to: now.addingTimeInterval(Double(Self.busyHorizonDays) * 86_400),
                floatingZone: settings.timezone)
        } catch {
            throw InputError(place: "\(path):\(error.line): \(error.property)", problem: error.problem)
        }
        let busy = occurrences.filter { !$0.isTransparent && $0.status != "CANCELLED" && $0.end > $0.start }
        try await store.write { tx in
            guard try await tx.partner(slug: slug) != nil else {
                throw NotFoundError(kind: "partner", key: slug, fix: "list partners with: overstap partner list")
            }
            try await tx.replaceBusyPeriods(partner: slug, with: busy.map { DateInterval(start: $0.start, end: $0.end) })
        }
        return BusyImport(periods: busy.count, skipped: occurrences.count - busy.count)
    }

    /// The options of `plan suggest` as typed.
    public struct SuggestOptions: Sendable {
        public var partner: String
        public var sector: String
        public var audience: [String] = []
        public var duration: String
        public var repeatRule: String?
        public var between: String
        public var hours = "09:00-21:00"
        public var language = "nl"
        public var region: String?
        public var online = false
        public var top = 5

        /// Creates options with the required values.
        public init(partner: String, sector: String, duration: String, between: String) {
            self.partner = partner
            self.sector = sector
            self.duration = duration
            self.between = between
        }
    }

    /// Ranks start times for a new session with a partner (see `SlotPlanner`).
    public func suggestSlots(_ options: SuggestOptions) async throws -> [SlotPlanner.Suggestion] {
        // Codes typed in any letter case are compared as the catalogue spells them.
        var options = options
        options.sector = catalogues.sectors.canonical(options.sector) ?? options.sector
        options.audience = options.audience.map { catalogues.sectors.canonical($0) ?? $0 }
        options.region = options.region.map { catalogues.regions.canonical($0) ?? $0 }
        var problems: [InputError] = []
        @discardableResult
        func attempt<T>(_ body: () throws(InputError) -> T) -> T? {
            do { return try body() } catch {
                problems.append(error)
                return nil
            }
        }
        attempt { () throws(InputError) in try catalogues.sectors.validate(options.sector, place: "--sector") }
        for code in options.audience { attempt { () throws(InputError) in try catalogues.sectors.validate(code, place: "--audience") } }
        let region = options.online ? nil : (options.region ?? settings.organiserRegion)
        if let region { attempt { () throws(InputError) in try catalogues.regions.validate(region, place: "--region") } }
        if options.online && options.region != nil {
            problems.append(InputError(place: "--online", problem: "give either --region or --online, not both"))
        }
        let minutes = attempt { () throws(InputError) in try TimeInput.durationMinutes(options.duration, place: "--duration") }
        let days = attempt { () throws(InputError) in try Self.dateRange(options.between) }
        let hours = attempt { () throws(InputError) in try Self.hourRange(options.hours) }
        if let rule = options.repeatRule { attempt { () throws(InputError) in _ = try RecurrenceRule.parse(rule, place: "--repeat") } }
        if !(1...100).contains(options.top) { problems.append(InputError(place: "--top", problem: "must be between 1 and 100")) }
        guard problems.isEmpty, let minutes, let days, let hours else { throw InputErrors(problems) }
        let zone = try ZoneResolver(identifier: settings.timezone, place: "timezone")
        let now = clock.now()
        return try await store.read { tx in
            guard try await tx.partner(slug: options.partner) != nil else {
                throw NotFoundError(kind: "partner", key: options.partner, fix: "list partners with: overstap partner list")
            }
            let windowStart = try zone.instant(of: LocalDateTime(date: days.lowerBound, hour: 0, minute: 0), place: "--between")
            let horizon = windowStart.addingTimeInterval(Double(days.lowerBound.days(until: days.upperBound) + 400) * 86_400)
            var busy = try await tx.busyPeriods(partner: options.partner, from: windowStart, to: horizon)
            for stored in try await tx.sessions(SessionFilter(partner: options.partner)) where stored.session.status == .scheduled {
                busy += try stored.meetingIntervals()
            }
            let request = SlotPlanner.Request(
                sector: options.sector, audience: options.audience, durationMinutes: minutes, repeatRule: options.repeatRule,
                firstDay: days.lowerBound, lastDay: days.upperBound, hours: hours, language: options.language, region: region,
                top: options.top)
            let waiting = try await waitingList(tx, now: now, zone: zone).workers
            return try await SlotPlanner(workers: waiting, busy: busy, now: now, zone: zone).suggest(request)
        }
    }

    /// A partner-busy conflict for a new or moved session, or nil.
    func busyConflict(_ session: Session, span: SessionRules.Span, _ tx: any StoreReader) async throws -> InputError? {
        let meetings = try StoredSession(session: session, startsAt: span.start, endsAt: span.end, seatsTaken: 0).meetingIntervals()
        for partner in session.partners {
            for period in try await tx.busyPeriods(partner: partner, from: span.start, to: span.end)
            where meetings.contains(where: { $0.start < period.end && period.start < $0.end }) {
                let zone = try ZoneResolver(identifier: session.timezone, place: "--timezone")
                return InputError(
                    place: "--start",
                    problem: "partner '\(partner)' is busy from \(zone.local(of: period.start)) to \(zone.local(of: period.end)) (its imported calendar)",
                    fix: "choose another time (overstap plan suggest --partner \(partner) …) or add --force")
            }
        }
        return nil
    }

    /// The people still waiting (see `WaitingList`), of `region` when given.
    func waitingList(_ tx: any StoreReader, now: Date, zone: ZoneResolver, region: String? = nil) async throws -> WaitingList {
        WaitingList(
            workers: try await tx.workers(), sessions: try await tx.sessions(SessionFilter(from: now)),
            enrollments: try await tx.allEnrollments(), now: now, today: zone.local(of: now).date, region: region)
    }

    static func dateRange(_ text: String) throws(InputError) -> ClosedRange<LocalDate> {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let first = LocalDate(iso: Substring(parts[0])), let last = LocalDate(iso: Substring(parts[1])) else {
            throw InputError(place: "--between", problem: "'\(text)' is not a date range", fix: "write FIRST..LAST, e.g. 2027-01-04..2027-01-22")
        }
        guard first <= last, first.days(until: last) <= 92 else {
            throw InputError(place: "--between", problem: "the range must run forwards and span at most 93 days")
        }
        return first...last
    }

    static func hourRange(_ text: String) throws(InputError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let start = WeeklyWindow.parseClock(parts[0]),
            let end = WeeklyWindow.parseClock(parts[1], allowMidnightEnd: true), start < end
        else {
            throw InputError(place: "--hours", problem: "'\(text)' is not a time range", fix: "write e.g. 09:00-21:00")
        }
        return start...end
    }
}
