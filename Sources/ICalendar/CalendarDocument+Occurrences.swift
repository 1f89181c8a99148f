import CLibical
import Foundation

extension CalendarDocument {
    /// Series longer than this are cut off: no real calendar needs more, and a rule without an end
    /// must not make expansion run forever.
    public static let maximumOccurrencesPerEvent = 10_000

    /// Every occurrence starting before `end` and ending after `start`, sorted by start.
    /// Zones resolve through the text's own VTIMEZONEs first, then IANA names, then Windows names
    /// (CLDR); floating and all-day times are read in `floatingZone`.
    public static func occurrences(
        inText text: String, from start: Date, to end: Date, floatingZone: String
    ) throws(ICalendarParseError) -> [CalendarOccurrence] {
        _ = try parse(text)
        let map = try SourceMap(text)
        return try Libical.withLock { state throws(ICalendarParseError) in
            let root = try CalendarTreeReader.parseTree(text)
            var budget = ExpansionBudget(root: root.pointer, map: map)
            try budget.checkZoneRules(in: root.pointer)
            let expander = OccurrenceExpander(root: root.pointer, floatingZone: floatingZone)
            return try expander.occurrences(from: start, to: end, state: &state, budget: &budget)
        }
    }

    /// The occurrences of this document's own events (zones as written by `serialised()`).
    public func occurrences(from start: Date, to end: Date, floatingZone: String) throws -> [CalendarOccurrence] {
        try Self.occurrences(inText: try serialised(), from: start, to: end, floatingZone: floatingZone)
    }
}

/// Expands the events of a parsed tree with libical's recurrence iterator. Used under the lock.
struct OccurrenceExpander {
    let root: OpaquePointer
    let floatingZone: String

    func occurrences(
        from rangeStart: Date, to rangeEnd: Date, state: inout Libical.State, budget: inout ExpansionBudget
    ) throws(ICalendarParseError) -> [CalendarOccurrence] {
        var masters: [OpaquePointer] = []
        var overrides: [String: [(recurrenceID: Date, component: OpaquePointer)]] = [:]
        var child = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT)
        while let event = child {
            if let recurrenceID = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY) {
                let uid = Libical.string(icalcomponent_get_uid(event)) ?? ""
                overrides[uid, default: []].append((try instant(recurrenceID, icalproperty_get_recurrenceid(recurrenceID), state: &state), event))
            } else {
                masters.append(event)
            }
            child = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)
        }
        var result: [CalendarOccurrence] = []
        for master in masters {
            let uid = Libical.string(icalcomponent_get_uid(master)) ?? ""
            let moved = Set((overrides[uid] ?? []).map(\.recurrenceID))
            for (start, end) in try expand(master, from: rangeStart, until: rangeEnd, state: &state, budget: &budget) where !moved.contains(start) {
                if start < rangeEnd && end > rangeStart { result.append(occurrence(master, uid: uid, start: start, end: end)) }
            }
        }
        for (uid, list) in overrides {
            for (_, component) in list {
                guard let (start, end) = try expand(component, until: rangeEnd, state: &state, budget: &budget).first else { continue }
                let item = occurrence(component, uid: uid, start: start, end: end)
                if item.status != "CANCELLED" && start < rangeEnd && end > rangeStart { result.append(item) }
            }
        }
        return result.sorted { ($0.start, $0.uid) < ($1.start, $1.uid) }
    }

    private func occurrence(_ event: OpaquePointer, uid: String, start: Date, end: Date) -> CalendarOccurrence {
        let status = icalcomponent_get_first_property(event, ICAL_STATUS_PROPERTY)
            .flatMap { Libical.string(icalproperty_status_to_string(icalproperty_get_status($0))) }
        let transparent = icalcomponent_get_first_property(event, ICAL_TRANSP_PROPERTY)
            .map { icalproperty_get_transp($0) == ICAL_TRANSP_TRANSPARENT } ?? false
        let allDay = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY).map { icalproperty_get_dtstart($0).is_date != 0 } ?? false
        return CalendarOccurrence(
            uid: uid, start: start, end: end, isAllDay: allDay, isTransparent: transparent, status: status,
            summary: Libical.string(icalcomponent_get_summary(event)))
    }

    /// The instants (start, end) of every instance of one event, up to `limit`.
    private func expand(
        _ event: OpaquePointer, from rangeStart: Date? = nil, until limit: Date, state: inout Libical.State, budget: inout ExpansionBudget
    ) throws(ICalendarParseError) -> [(Date, Date)] {
        guard let startProperty = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY) else { return [] }
        let startValue = icalproperty_get_dtstart(startProperty)
        let zone = try zone(of: startProperty, isDate: startValue.is_date != 0, state: &state)
        let first = Self.instant(startValue, zone: zone)
        let length = try duration(of: event, start: first, isDate: startValue.is_date != 0, state: &state, lines: budget.lines)
        var starts: [Date] = []
        if let ruleProperty = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY) {
            let rule = icalproperty_get_rrule(ruleProperty)
            try budget.checkRule(rule, of: event, isZone: false)
            // A series without COUNT that began long before the range is stepped from just before
            // it (the event's length and two days for zone offsets earlier): stepping from year 1
            // took 48 s for a sparse rule, and a daily series from 1990 used up its occurrences
            // before it reached the range.
            var resume: icaltimetype?
            if let from = rangeStart?.addingTimeInterval(-length - 2 * 86_400), rule.count == 0, first < from {
                let startZone = icaltime_is_utc(startValue) != 0 ? icaltimezone_get_utc_timezone() : zone
                resume = icaltime_from_timet_with_zone(time_t(from.timeIntervalSince1970), startValue.is_date, startZone)
            }
            try budget.iterate(rule, from: startValue, until: limit, resumingAt: resume, of: event) { next in
                let instant = Self.instant(next, zone: zone)
                guard instant < limit else { return false }
                starts.append(instant)
                return starts.count < CalendarDocument.maximumOccurrencesPerEvent
            }
        } else {
            starts.append(first)
        }
        var property = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY)
        while let current = property {
            starts.append(try instant(current, icalproperty_get_rdate(current).time, state: &state))
            property = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)
        }
        var excluded = Set<Date>()
        property = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY)
        while let current = property {
            excluded.insert(try instant(current, icalproperty_get_exdate(current), state: &state))
            property = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY)
        }
        return Array(Set(starts)).filter { !excluded.contains($0) }.sorted().map { ($0, $0.addingTimeInterval(length)) }
    }

    /// The length of each instance; an end before the start is refused, not read as "no time".
    private func duration(
        of event: OpaquePointer, start: Date, isDate: Bool, state: inout Libical.State, lines: ComponentLines
    ) throws(ICalendarParseError) -> TimeInterval {
        if let end = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY) {
            let length = try instant(end, icalproperty_get_dtend(end), state: &state).timeIntervalSince(start)
            guard length >= 0 else {
                let startText = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY)
                    .flatMap { Libical.ownedString(icalproperty_get_value_as_string_r($0)) } ?? "?"
                let endText = Libical.ownedString(icalproperty_get_value_as_string_r(end)) ?? "?"
                throw ICalendarParseError(
                    line: lines.line(of: event, property: "DTEND"), property: "DTEND",
                    problem: "the event ends (\(endText)) before it starts (\(startText))")
            }
            return length
        }
        if let duration = icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY) {
            let length = TimeInterval(icaldurationtype_as_int(icalproperty_get_duration(duration)))
            guard length >= 0 else {
                throw ICalendarParseError(
                    line: lines.line(of: event, property: "DURATION"), property: "DURATION", problem: "the duration is negative")
            }
            return length
        }
        return isDate ? 86_400 : 0
    }

    private func instant(_ property: OpaquePointer, _ value: icaltimetype, state: inout Libical.State) throws(ICalendarParseError) -> Date {
        Self.instant(value, zone: try zone(of: property, isDate: value.is_date != 0, state: &state))
    }

    private static func instant(_ value: icaltimetype, zone: OpaquePointer?) -> Date {
        if icaltime_is_utc(value) != 0 { return CalendarTreeReader.instant(value) }
        return Date(timeIntervalSince1970: TimeInterval(icaltime_as_timet_with_zone(value, zone)))
    }

    /// The zone a time property is written in: the file's own VTIMEZONE, else an IANA or Windows name.
    private func zone(of property: OpaquePointer, isDate: Bool, state: inout Libical.State) throws(ICalendarParseError) -> OpaquePointer? {
        guard !isDate, let tzid = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER)
            .flatMap({ Libical.string(icalparameter_get_tzid($0)) })
        else {
            return state.zone(floatingZone)
        }
        if let own = icalcomponent_get_timezone(root, tzid) { return own }
        if let iana = state.zone(tzid) { return iana }
        if let mapped = WindowsZones.ianaByWindowsName[tzid], let zone = state.zone(mapped) { return zone }
        let name = Libical.string(icalproperty_kind_to_string(icalproperty_isa(property))) ?? "DTSTART"
        throw ICalendarParseError(line: 1, property: name, problem: "unknown time zone '\(tzid)' and no VTIMEZONE for it in the file")
    }
}
