import Foundation

/// Checks a session before it is stored: catalogues, times (DST gaps and repeated hours for every
/// meeting), capacity and venue. Collects every problem instead of stopping at the first.
public struct SessionRules: Sendable {
    public let sectors: Catalogue
    public let regions: Catalogue
    /// Sessions must start after this instant.
    public let now: Date

    /// 10000-01-01T00:00:00Z: the store writes instants with four-digit years, so nothing may end later.
    public static let endOfStorableTime = Date(timeIntervalSince1970: 253_402_300_800)

    /// The largest capacity a session may have.
    public static let maximumCapacity = 10_000

    /// Creates the rules.
    public init(sectors: Catalogue, regions: Catalogue, now: Date) {
        self.sectors = sectors
        self.regions = regions
        self.now = now
    }

    /// The first meeting's start and the last meeting's end as instants.
    public struct Span: Equatable, Sendable {
        public var start: Date
        public var end: Date

        /// Creates a span.
        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    /// Validates `session`; offsets are the explicit ones typed with `--start`/`--end`, if any.
    @discardableResult
    public func validate(_ session: Session, startOffset: Int? = nil, endOffset: Int? = nil) throws(InputErrors) -> Span {
        var problems: [InputError] = []
        func check(_ body: () throws(InputError) -> Void) {
            do { try body() } catch { problems.append(error) }
        }
        check { () throws(InputError) in try Self.singleLine(session.title, place: "--title", required: true) }
        check { () throws(InputError) in try Self.multiLine(session.description, place: "--description") }
        if session.partners.isEmpty {
            problems.append(InputError(place: "--partner", problem: "a session needs at least one partner", fix: "add --partner SLUG"))
        }
        check { () throws(InputError) in try sectors.validate(session.sector, place: "--sector") }
        for code in session.audience { check { () throws(InputError) in try sectors.validate(code, place: "--audience") } }
        check { () throws(InputError) in try regions.validate(session.region, place: "--region") }
        if !LanguageCode.isValid(session.language) {
            problems.append(InputError(place: "--language", problem: "'\(session.language)' is not a language code", fix: "use e.g. nl or en"))
        }
        if session.capacity < 1 || session.capacity > Self.maximumCapacity {
            problems.append(InputError(
                place: "--capacity", problem: "must be between 1 and \(Self.maximumCapacity), got \(session.capacity)"))
        }
        switch session.venue {
        case .online(let url):
            check { () throws(InputError) in try Self.webLink(url, place: "--online") }
        case .onSite(let location):
            check { () throws(InputError) in try Self.singleLine(location, place: "--location", required: true) }
        }
        if session.end <= session.start {
            problems.append(InputError(
                place: "--end", problem: "the end (\(session.end)) is not after the start (\(session.start))",
                fix: "give a later --end or a --duration"))
        }
        var span: Span?
        if session.end > session.start {
            check { () throws(InputError) in span = try meetingSpan(session, startOffset: startOffset, endOffset: endOffset) }
        }
        if let span, span.start <= now {
            problems.append(InputError(place: "--start", problem: "\(session.start) is in the past", fix: "plan the session in the future"))
        }
        guard problems.isEmpty, let span else { throw InputErrors(problems) }
        return span
    }

    /// Resolves every meeting's start; a meeting lasts exactly its duration, so an end in the
    /// repeated hour is fine, but an end inside a skipped hour is refused.
    private func meetingSpan(_ session: Session, startOffset: Int?, endOffset: Int?) throws(InputError) -> Span {
        let resolver = try ZoneResolver(identifier: session.timezone, place: "--timezone")
        let meetings = try session.meetings()
        let length = TimeInterval(session.durationMinutes * 60)
        var first: Date?
        var lastEnd: Date?
        for (index, meeting) in meetings.enumerated() {
            let label = meetings.count == 1 ? "" : " (meeting \(index + 1) of \(meetings.count))"
            let start = try resolver.instant(
                of: meeting.start, explicitOffset: index == 0 ? startOffset : nil, place: "--start\(label)")
            if index == 0, let endOffset {
                _ = try resolver.instant(of: meeting.end, explicitOffset: endOffset, place: "--end")
            }
            if case .gap(let next) = resolver.resolve(meeting.end) {
                throw InputError(
                    place: "--end\(label)",
                    problem: "\(meeting.end) does not exist in \(resolver.zone.identifier): the clocks skip this hour",
                    fix: "end at \(next) or later")
            }
            // A meeting moved on its own may have its own length.
            let end = start.addingTimeInterval(meeting.status == .moved ? Double(meeting.start.minutes(until: meeting.end) * 60) : length)
            guard end < Self.endOfStorableTime, meeting.end.date.year <= 9999 else {
                throw InputError(
                    place: meetings.count == 1 ? "--start" : "--repeat", problem: "\(meeting.start)\(label) ends after 9999-12-31, the last day Overstap can store",
                    fix: meetings.count == 1 ? "give an earlier date" : "give an earlier --start or fewer meetings")
            }
            first = first ?? start
            lastEnd = end
        }
        guard let first, let lastEnd else { throw InputError(place: "--repeat", problem: "the series has no meetings") }
        return Span(start: first, end: lastEnd)
    }

    /// The longest one-line text (titles, names, locations): it ends up in mail headers, whose
    /// lines must stay far below 998 octets.
    public static let maximumLineLength = 200
    /// The longest web link: a Teams meeting link is about 300 characters.
    public static let maximumLinkLength = 2_000

    /// Refuses empty (when required), overlong or multi-line text: it ends up in mail headers and calendars.
    public static func singleLine(_ text: String, place: String, required: Bool) throws(InputError) {
        if required && text.trimmingWhitespace().isEmpty { throw InputError(place: place, problem: "is empty") }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw InputError(place: place, problem: "contains a line break or control character", fix: "use one line of text")
        }
        // Counted in Unicode scalars: a few characters built of thousands of combining marks are long too.
        if text.unicodeScalars.count > maximumLineLength {
            throw InputError(place: place, problem: "is longer than \(maximumLineLength) characters", fix: "shorten it")
        }
    }

    /// Allows line breaks but no other control characters.
    public static func multiLine(_ text: String, place: String) throws(InputError) {
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            throw InputError(place: place, problem: "contains control characters", fix: "use plain text with line breaks only")
        }
        if text.count > 5_000 { throw InputError(place: place, problem: "is longer than 5,000 characters") }
    }

    /// Accepts absolute `https:` or `http:` links with a host.
    public static func webLink(_ url: URL, place: String) throws(InputError) {
        guard let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host, !host.isEmpty,
            !url.absoluteString.unicodeScalars.contains(where: { $0.value < 0x21 })
        else {
            throw InputError(
                place: place, problem: "'\(url.absoluteString.prefix(100))' is not a web link",
                fix: "give a full https:// address, e.g. https://meet.example.nl/abc")
        }
        guard url.absoluteString.unicodeScalars.count <= maximumLinkLength else {
            throw InputError(
                place: place, problem: "is longer than \(maximumLinkLength) characters",
                fix: "use the meeting's short link")
        }
    }
}
