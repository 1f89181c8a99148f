import CLibical
import Foundation

extension CalendarDocument {
    /// The largest input accepted: far above any real calendar export, far below what hurts.
    public static let maximumParseBytes = 32 * 1024 * 1024

    /// Parses iCalendar text from outside (Outlook, Google, Apple; CRLF or LF; folded lines).
    /// Every problem names its 1-based source line and property; nothing partial is returned.
    public static func parse(_ text: String) throws(ICalendarParseError) -> CalendarDocument {
        guard text.utf8.count <= maximumParseBytes else {
            throw ICalendarParseError(line: 1, property: "VCALENDAR", problem: "the input is larger than \(maximumParseBytes / 1_048_576) MiB")
        }
        let map = try SourceMap(text)
        return try Libical.withLock { _ throws(ICalendarParseError) in
            let root = try CalendarTreeReader.parseTree(text)
            return try CalendarTreeReader(map: map).document(from: root.pointer)
        }
    }
}

/// Reads libical trees into value types, reporting problems with source lines. Only used with
/// the libical lock held.
struct CalendarTreeReader {
    let map: SourceMap

    init(map: SourceMap) { self.map = map }

    static func parseTree(_ text: String) throws(ICalendarParseError) -> OwnedComponent {
        guard let pointer = icalparser_parse_string(text) else {
            throw ICalendarParseError(line: 1, property: "VCALENDAR", problem: "libical could not read the input")
        }
        let root = OwnedComponent(pointer)
        guard icalcomponent_isa(pointer) == ICAL_VCALENDAR_COMPONENT else {
            throw ICalendarParseError(line: 1, property: "VCALENDAR", problem: "the input holds more than one calendar")
        }
        return root
    }

    func document(from root: OpaquePointer) throws(ICalendarParseError) -> CalendarDocument {
        try checkErrors(in: root, index: 0)
        var document = CalendarDocument(method: nil, productID: "", events: [])
        document.productID = Libical.string(icalcomponent_get_first_property(root, ICAL_PRODID_PROPERTY).flatMap(icalproperty_get_prodid)) ?? ""
        if let method = icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY) {
            document.method = Libical.string(icalproperty_method_to_string(icalproperty_get_method(method))).flatMap(CalendarMethod.init(rawValue:))
        }
        document.name = xProperty(root, "X-WR-CALNAME")
        document.timezoneName = xProperty(root, "X-WR-TIMEZONE")
        document.refreshInterval = xProperty(root, "X-PUBLISHED-TTL")
        var index = 0
        var child = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT)
        while let component = child {
            index += 1
            let componentIndex = index
            index += Self.descendantCount(component)
            if icalcomponent_isa(component) == ICAL_VEVENT_COMPONENT {
                try checkErrors(in: component, index: componentIndex)
                document.events.append(try event(from: component, index: componentIndex))
            }
            child = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)
        }
        return document
    }

    private static func descendantCount(_ component: OpaquePointer) -> Int {
        var count = 0
        var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
        while let current = child {
            count += 1 + descendantCount(current)
            child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
        }
        return count
    }

    /// Turns libical's X-LIC-ERROR markers into errors with the line of the property concerned.
    private func checkErrors(in component: OpaquePointer, index: Int) throws(ICalendarParseError) {
        guard let marker = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY) else { return }
        let message = Libical.string(icalproperty_get_xlicerror(marker)) ?? "unreadable property"
        var property: String?
        if let range = message.range(of: #"in ([A-Z-]+) property"#, options: .regularExpression) {
            property = String(message[range].dropFirst(3).dropLast(9))
        }
        var raw: String?
        if let colon = message.range(of: ": ", options: .backwards) { raw = String(message[colon.upperBound...]) }
        let line = map.line(inComponent: index, property: property, rawText: raw)
        throw ICalendarParseError(line: line, property: property ?? (raw.map { String($0.prefix(20)) } ?? "-"), problem: message)
    }

    private func event(from component: OpaquePointer, index: Int) throws(ICalendarParseError) -> CalendarEvent {
        func line(_ property: String) -> Int { map.line(inComponent: index, property: property, rawText: nil) }
        guard let uid = Libical.string(icalcomponent_get_uid(component)), !uid.isEmpty else {
            throw ICalendarParseError(line: map.components[safe: index]?.line ?? 1, property: "UID", problem: "the event has no UID")
        }
        guard let startProperty = icalcomponent_get_first_property(component, ICAL_DTSTART_PROPERTY) else {
            throw ICalendarParseError(line: map.components[safe: index]?.line ?? 1, property: "DTSTART", problem: "the event has no DTSTART")
        }
        var event = CalendarEvent(
            uid: uid, sequence: Int(icalcomponent_get_sequence(component)), stamp: Date(timeIntervalSince1970: 0),
            start: try Self.time(startProperty, icalproperty_get_dtstart(startProperty), line: line("DTSTART"), name: "DTSTART"))
        if let stamp = icalcomponent_get_first_property(component, ICAL_DTSTAMP_PROPERTY) {
            event.stamp = Self.instant(icalproperty_get_dtstamp(stamp))
        }
        if let end = icalcomponent_get_first_property(component, ICAL_DTEND_PROPERTY) {
            event.end = try Self.time(end, icalproperty_get_dtend(end), line: line("DTEND"), name: "DTEND")
        } else if let duration = icalcomponent_get_first_property(component, ICAL_DURATION_PROPERTY) {
            let end = icaltime_add(icalproperty_get_dtstart(startProperty), icalproperty_get_duration(duration))
            event.end = try Self.time(startProperty, end, line: line("DURATION"), name: "DURATION")
        }
        if let recurrenceID = icalcomponent_get_first_property(component, ICAL_RECURRENCEID_PROPERTY) {
            event.recurrenceID = try Self.time(
                recurrenceID, icalproperty_get_recurrenceid(recurrenceID), line: line("RECURRENCE-ID"), name: "RECURRENCE-ID")
        }
        event.summary = Libical.string(icalcomponent_get_summary(component))
        event.description = Libical.string(icalcomponent_get_description(component))
        event.location = Libical.string(icalcomponent_get_location(component))
        event.url = icalcomponent_get_first_property(component, ICAL_URL_PROPERTY).flatMap { Libical.string(icalproperty_get_url($0)) }
        if let status = icalcomponent_get_first_property(component, ICAL_STATUS_PROPERTY) {
            event.status = Libical.string(icalproperty_status_to_string(icalproperty_get_status(status)))
        }
        if let transparency = icalcomponent_get_first_property(component, ICAL_TRANSP_PROPERTY) {
            event.isTransparent = icalproperty_get_transp(transparency) == ICAL_TRANSP_TRANSPARENT
        }
        forEach(component, ICAL_CATEGORIES_PROPERTY) { property in
            if let value = Libical.string(icalproperty_get_categories(property)) { event.categories.append(value) }
        }
        if let organizer = icalcomponent_get_first_property(component, ICAL_ORGANIZER_PROPERTY) {
            event.organizer = Self.address(organizer, value: icalproperty_get_organizer(organizer))
        }
        forEach(component, ICAL_ATTENDEE_PROPERTY) { property in
            let address = Self.address(property, value: icalproperty_get_attendee(property))
            event.attendees.append(CalendarAttendee(
                address: address, role: Self.parameter(property, ICAL_ROLE_PARAMETER) ?? "REQ-PARTICIPANT",
                participation: Self.parameter(property, ICAL_PARTSTAT_PARAMETER) ?? "NEEDS-ACTION",
                expectsReply: Self.parameter(property, ICAL_RSVP_PARAMETER) == "TRUE"))
        }
        if let conference = icalcomponent_get_first_property(component, ICAL_CONFERENCE_PROPERTY),
            let uri = Libical.string(icalproperty_get_conference(conference))
        {
            let features = Self.parameter(conference, ICAL_FEATURE_PARAMETER)?.split(separator: ",").map(String.init) ?? []
            event.conference = CalendarConference(uri: uri, features: features, label: Self.parameter(conference, ICAL_LABEL_PARAMETER))
        }
        if let rule = icalcomponent_get_first_property(component, ICAL_RRULE_PROPERTY) {
            var recurrence = icalproperty_get_rrule(rule)
            event.recurrenceRule = Libical.ownedString(icalrecurrencetype_as_string_r(&recurrence))
        }
        var problem: ICalendarParseError?
        forEach(component, ICAL_RDATE_PROPERTY) { property in
            do throws(ICalendarParseError) {
                event.recurrenceDates.append(try Self.time(property, icalproperty_get_rdate(property).time, line: line("RDATE"), name: "RDATE"))
            } catch { problem = problem ?? error }
        }
        forEach(component, ICAL_EXDATE_PROPERTY) { property in
            do throws(ICalendarParseError) {
                event.exceptionDates.append(try Self.time(property, icalproperty_get_exdate(property), line: line("EXDATE"), name: "EXDATE"))
            } catch { problem = problem ?? error }
        }
        if let problem { throw problem }
        if let modified = icalcomponent_get_first_property(component, ICAL_LASTMODIFIED_PROPERTY) {
            event.lastModified = Self.instant(icalproperty_get_lastmodified(modified))
        }
        var alarm = icalcomponent_get_first_component(component, ICAL_VALARM_COMPONENT)
        while let current = alarm {
            if let trigger = icalcomponent_get_first_property(current, ICAL_TRIGGER_PROPERTY) {
                let text = Libical.ownedString(icaldurationtype_as_ical_string_r(icalproperty_get_trigger(trigger).duration)) ?? ""
                event.alarms.append(CalendarAlarm(trigger: text, description: Libical.string(icalcomponent_get_description(current)) ?? ""))
            }
            alarm = icalcomponent_get_next_component(component, ICAL_VALARM_COMPONENT)
        }
        return event
    }

    private func forEach(_ component: OpaquePointer, _ kind: icalproperty_kind, _ body: (OpaquePointer) -> Void) {
        var property = icalcomponent_get_first_property(component, kind)
        while let current = property {
            body(current)
            property = icalcomponent_get_next_property(component, kind)
        }
    }

    private func xProperty(_ component: OpaquePointer, _ name: String) -> String? {
        var found: String?
        forEach(component, ICAL_X_PROPERTY) { property in
            if found == nil, Libical.string(icalproperty_get_x_name(property)) == name {
                found = Libical.string(icalproperty_get_x(property))
            }
        }
        return found
    }

    static func parameter(_ property: OpaquePointer, _ kind: icalparameter_kind) -> String? {
        guard let parameter = icalproperty_get_first_parameter(property, kind) else { return nil }
        return Libical.ownedString(icalparameter_as_ical_string_r(parameter)).map { text in
            let value = text.split(separator: "=", maxSplits: 1).last.map(String.init) ?? text
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
    }

    private static func address(_ property: OpaquePointer, value: UnsafePointer<CChar>?) -> CalendarAddress {
        var email = Libical.string(value) ?? ""
        if email.lowercased().hasPrefix("mailto:") { email.removeFirst(7) }
        return CalendarAddress(email: email, commonName: parameter(property, ICAL_CN_PARAMETER))
    }

    /// Reads a time value with its TZID, refusing field values libical lets through (month 13).
    static func time(_ property: OpaquePointer, _ value: icaltimetype, line: Int, name: String) throws(ICalendarParseError) -> CalendarTime {
        guard icaltime_is_null_time(value) == 0, (1...12).contains(value.month), value.day >= 1,
            value.day <= icaltime_days_in_month(value.month, value.year), (0...23).contains(value.hour),
            (0...59).contains(value.minute), (0...60).contains(value.second)
        else {
            let text = Libical.ownedString(icalproperty_get_value_as_string_r(property)) ?? "?"
            throw ICalendarParseError(line: line, property: name, problem: "invalid date-time \"\(text)\"")
        }
        if value.is_date != 0 { return .date(year: Int(value.year), month: Int(value.month), day: Int(value.day)) }
        let fields = CalendarDateTime(
            year: Int(value.year), month: Int(value.month), day: Int(value.day), hour: Int(value.hour),
            minute: Int(value.minute), second: Int(value.second))
        if icaltime_is_utc(value) != 0 { return .utc(instant(value)) }
        if let tzid = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER).flatMap({ Libical.string(icalparameter_get_tzid($0)) }) {
            return .zoned(fields, tzid: tzid)
        }
        return .floating(fields)
    }

    static func instant(_ value: icaltimetype) -> Date {
        Date(timeIntervalSince1970: TimeInterval(icaltime_as_timet_with_zone(value, icaltimezone_get_utc_timezone())))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
