import CLibical
import Foundation

extension CalendarITIP {
    /// Reads an iTIP message through libical. A REPLY, COUNTER or REFRESH must name a UID and an
    /// ATTENDEE in every VEVENT; ORGANIZER, SEQUENCE and DTSTAMP may be missing. Problems name
    /// their 1-based line and property. Properties libical cannot read are skipped unless the
    /// answer depends on them (UID, SEQUENCE, DTSTAMP, RECURRENCE-ID, ATTENDEE, DTSTART, DTEND).
    public static func parse(_ text: String) throws(ICalendarParseError) -> CalendarITIP {
        guard text.utf8.count <= CalendarDocument.maximumParseBytes else {
            throw ICalendarParseError(line: 1, property: "VCALENDAR", problem: "the input is larger than \(CalendarDocument.maximumParseBytes / 1_048_576) MiB")
        }
        let map = try SourceMap(text)
        return try Libical.withLock { state throws(ICalendarParseError) in
            let root = try CalendarTreeReader.parseTree(text)
            return try ITIPReader(map: map, root: root.pointer).message(state: &state)
        }
    }
}

/// Reads one libical tree into `CalendarITIP`; used only with the libical lock held.
private struct ITIPReader {
    let map: SourceMap
    let root: OpaquePointer

    /// Properties whose unreadable values make the answer unreadable.
    static let essential: Set<String> = ["UID", "SEQUENCE", "DTSTAMP", "RECURRENCE-ID", "ATTENDEE", "DTSTART", "DTEND", "DURATION"]

    func message(state: inout Libical.State) throws(ICalendarParseError) -> CalendarITIP {
        var message = CalendarITIP(method: .missing, productID: nil, events: [])
        if let product = icalcomponent_get_first_property(root, ICAL_PRODID_PROPERTY) {
            message.productID = Libical.string(icalproperty_get_prodid(product))
        }
        if let method = icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY) {
            let name = (Libical.ownedString(icalproperty_get_value_as_string_r(method)) ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            switch name {
            case "REPLY": message.method = .reply
            case "COUNTER": message.method = .counter
            case "REFRESH": message.method = .refresh
            case "": message.method = .missing
            default: message.method = .other(name)
            }
        }
        var index = 0
        var child = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT)
        while let component = child {
            index += 1
            let componentIndex = index
            index += Self.descendants(component)
            if icalcomponent_isa(component) == ICAL_VEVENT_COMPONENT {
                message.events.append(try event(component, index: componentIndex, method: message.method, state: &state))
            }
            child = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)
        }
        guard !message.events.isEmpty else {
            throw ICalendarParseError(line: map.components.first?.line ?? 1, property: "VCALENDAR", problem: "the calendar holds no VEVENT")
        }
        return message
    }

    private static func descendants(_ component: OpaquePointer) -> Int {
        var count = 0
        var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
        while let current = child {
            count += 1 + descendants(current)
            child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
        }
        return count
    }

    private func event(_ component: OpaquePointer, index: Int, method: ITIPMethod, state: inout Libical.State) throws(ICalendarParseError) -> ITIPEvent {
        let eventLine = map.components[safe: index]?.line ?? 1
        func line(_ property: String) -> Int { map.line(inComponent: index, property: property, rawText: nil) }
        try checkEssentialErrors(component, index: index)
        guard let uid = Libical.string(icalcomponent_get_uid(component))?.trimmingCharacters(in: .whitespaces), !uid.isEmpty else {
            throw ICalendarParseError(line: eventLine, property: "UID", problem: "the event has no UID, so it cannot be matched to a session")
        }
        var event = ITIPEvent(uid: uid, line: eventLine)
        if let sequence = icalcomponent_get_first_property(component, ICAL_SEQUENCE_PROPERTY) {
            // libical reads `SEQUENCE:two` as 0; an unreadable SEQUENCE must not pass for the first version.
            let written = map.components[safe: index]?.properties.first { $0.name == "SEQUENCE" }
            let text = written.flatMap { $0.text.split(separator: ":", maxSplits: 1).last }.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let text, let value = Int(text), value >= 0, value == Int(icalproperty_get_sequence(sequence)) else {
                throw ICalendarParseError(line: line("SEQUENCE"), property: "SEQUENCE", problem: "SEQUENCE must be a whole number, not \"\(text ?? "")\"")
            }
            event.sequence = value
        }
        if let stamp = icalcomponent_get_first_property(component, ICAL_DTSTAMP_PROPERTY) {
            let value = icalproperty_get_dtstamp(stamp)
            _ = try CalendarTreeReader.time(stamp, value, line: line("DTSTAMP"), name: "DTSTAMP")
            event.stamp = CalendarTreeReader.instant(value)
        }
        if let property = icalcomponent_get_first_property(component, ICAL_RECURRENCEID_PROPERTY) {
            event.recurrenceID = try time(property, icalproperty_get_recurrenceid(property), name: "RECURRENCE-ID", line: line("RECURRENCE-ID"), state: &state)
        }
        if let property = icalcomponent_get_first_property(component, ICAL_DTSTART_PROPERTY) {
            let start = icalproperty_get_dtstart(property)
            event.start = try time(property, start, name: "DTSTART", line: line("DTSTART"), state: &state)
            if let end = icalcomponent_get_first_property(component, ICAL_DTEND_PROPERTY) {
                event.end = try time(end, icalproperty_get_dtend(end), name: "DTEND", line: line("DTEND"), state: &state)
            } else if let duration = icalcomponent_get_first_property(component, ICAL_DURATION_PROPERTY) {
                let end = icaltime_add(start, icalproperty_get_duration(duration))
                event.end = try time(property, end, name: "DURATION", line: line("DURATION"), state: &state)
            }
        }
        if let organizer = icalcomponent_get_first_property(component, ICAL_ORGANIZER_PROPERTY) {
            event.organizer = CalendarAddress(
                email: Self.withoutMailto(Libical.string(icalproperty_get_organizer(organizer)) ?? ""),
                commonName: CalendarTreeReader.parameter(organizer, ICAL_CN_PARAMETER))
        }
        var property = icalcomponent_get_first_property(component, ICAL_ATTENDEE_PROPERTY)
        while let current = property {
            let address = Self.withoutMailto(Libical.string(icalproperty_get_attendee(current)) ?? "")
            if !address.isEmpty {
                event.attendees.append(ITIPAttendee(
                    address: address, commonName: CalendarTreeReader.parameter(current, ICAL_CN_PARAMETER),
                    participation: ITIPParticipation(CalendarTreeReader.parameter(current, ICAL_PARTSTAT_PARAMETER)),
                    delegatedTo: Self.addressList(current, ICAL_DELEGATEDTO_PARAMETER), line: attendeeLine(index: index, address: address)))
            }
            property = icalcomponent_get_next_property(component, ICAL_ATTENDEE_PROPERTY)
        }
        property = icalcomponent_get_first_property(component, ICAL_COMMENT_PROPERTY)
        while let current = property {
            if let comment = Libical.string(icalproperty_get_comment(current)), !comment.isEmpty { event.comments.append(comment) }
            property = icalcomponent_get_next_property(component, ICAL_COMMENT_PROPERTY)
        }
        if event.attendees.isEmpty, [.reply, .counter, .refresh].contains(method) {
            throw ICalendarParseError(
                line: eventLine, property: "ATTENDEE", problem: "a \(method.name) must name the attendee it is from (no ATTENDEE with an address)")
        }
        return event
    }

    /// Turns libical's X-LIC-ERROR markers on properties the answer depends on into errors.
    private func checkEssentialErrors(_ component: OpaquePointer, index: Int) throws(ICalendarParseError) {
        var marker = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY)
        while let current = marker {
            let message = Libical.string(icalproperty_get_xlicerror(current)) ?? "unreadable property"
            if let name = Self.essential.first(where: { message.contains("\($0) property") || message.contains("\($0):") || message.contains("\($0);") }) {
                var raw: String?
                if let colon = message.range(of: ": ", options: .backwards) { raw = String(message[colon.upperBound...]) }
                throw ICalendarParseError(line: map.line(inComponent: index, property: name, rawText: raw), property: name, problem: message)
            }
            marker = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)
        }
    }

    private func time(
        _ property: OpaquePointer, _ value: icaltimetype, name: String, line: Int, state: inout Libical.State
    ) throws(ICalendarParseError) -> ITIPTime {
        let local = try CalendarTreeReader.time(property, value, line: line, name: name)
        switch local {
        case .utc(let date):
            return ITIPTime(local: local, instant: date)
        case .zoned(_, let tzid):
            guard let zone = zone(tzid, state: &state) else { return ITIPTime(local: local, instant: nil) }
            return ITIPTime(local: local, instant: Date(timeIntervalSince1970: TimeInterval(icaltime_as_timet_with_zone(value, zone))))
        case .floating, .date:
            return ITIPTime(local: local, instant: nil)
        }
    }

    /// The file's own VTIMEZONE first, then an IANA name, then a Windows name (CLDR mapping).
    private func zone(_ tzid: String, state: inout Libical.State) -> OpaquePointer? {
        if let own = icalcomponent_get_timezone(root, tzid) { return own }
        if let iana = state.zone(tzid) { return iana }
        if let mapped = WindowsZones.ianaByWindowsName[tzid] { return state.zone(mapped) }
        return nil
    }

    private func attendeeLine(index: Int, address: String) -> Int {
        let lowered = address.lowercased()
        let match = map.components[safe: index]?.properties.first { $0.name == "ATTENDEE" && $0.text.lowercased().hasSuffix(lowered) }
        return match?.line ?? map.line(inComponent: index, property: "ATTENDEE", rawText: nil)
    }

    static func withoutMailto(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.lowercased().hasPrefix("mailto:") ? String(trimmed.dropFirst(7)).trimmingCharacters(in: .whitespaces) : trimmed
    }

    /// A parameter holding a list of calendar addresses (`DELEGATED-TO="mailto:a","mailto:b"`).
    private static func addressList(_ property: OpaquePointer, _ kind: icalparameter_kind) -> [String] {
        var addresses: [String] = []
        var parameter = icalproperty_get_first_parameter(property, kind)
        while let current = parameter {
            let text = Libical.ownedString(icalparameter_as_ical_string_r(current)) ?? ""
            let value = text.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
            for piece in value.split(separator: ",") {
                let address = withoutMailto(piece.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")))
                if !address.isEmpty { addresses.append(address) }
            }
            parameter = icalproperty_get_next_parameter(property, kind)
        }
        return addresses
    }
}
