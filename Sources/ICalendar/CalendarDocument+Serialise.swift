import CLibical
import Foundation

extension CalendarDocument {
    /// The document as iCalendar text, every byte written by libical (CRLF, 75-octet folding).
    public func serialised() throws(CalendarBuildError) -> String {
        try Libical.withLock { state throws(CalendarBuildError) in
            let root = try CalendarTreeBuilder.build(self, state: &state)
            return root.text()
        }
    }
}

/// Builds libical trees from value types. Only called with the libical lock held.
enum CalendarTreeBuilder {
    static func build(_ document: CalendarDocument, state: inout Libical.State) throws(CalendarBuildError) -> OwnedComponent {
        let root = OwnedComponent(icalcomponent_new(ICAL_VCALENDAR_COMPONENT))
        let calendar = root.pointer
        icalcomponent_add_property(calendar, icalproperty_new_prodid(document.productID))
        icalcomponent_add_property(calendar, icalproperty_new_version("2.0"))
        icalcomponent_add_property(calendar, icalproperty_new_calscale("GREGORIAN"))
        if let method = document.method {
            icalcomponent_add_property(calendar, icalproperty_new_method(libicalMethod(method)))
        }
        if let name = document.name { addX(calendar, "X-WR-CALNAME", name) }
        if let zone = document.timezoneName { addX(calendar, "X-WR-TIMEZONE", zone) }
        if let interval = document.refreshInterval {
            let duration = try parseDuration(interval, property: "REFRESH-INTERVAL")
            let property = icalproperty_new_refreshinterval(duration)
            icalproperty_add_parameter(property, icalparameter_new_value(ICAL_VALUE_DURATION))
            icalcomponent_add_property(calendar, property)
            addX(calendar, "X-PUBLISHED-TTL", interval)
        }
        // RFC 5545 §3.6 wants at least one component: a calendar without events still carries the
        // VTIMEZONE of its X-WR-TIMEZONE (an empty feed is then valid, and readers know its zone).
        let zones = document.events.isEmpty ? (document.timezoneName.map { [$0] } ?? []) : zonesUsed(by: document.events)
        for tzid in zones {
            guard let zone = state.zone(tzid), let component = icaltimezone_get_component(zone) else {
                throw CalendarBuildError(property: "TZID", problem: "unknown time zone '\(tzid)'")
            }
            icalcomponent_add_component(calendar, icalcomponent_new_clone(component))
        }
        for event in document.events {
            icalcomponent_add_component(calendar, try build(event, state: &state))
        }
        return root
    }

    private static func build(_ event: CalendarEvent, state: inout Libical.State) throws(CalendarBuildError) -> OpaquePointer {
        let component = icalcomponent_new(ICAL_VEVENT_COMPONENT)!
        var pending: OpaquePointer? = component
        defer { if let pending { icalcomponent_free(pending) } }
        icalcomponent_add_property(component, icalproperty_new_uid(event.uid))
        icalcomponent_add_property(component, icalproperty_new_sequence(Int32(clamping: event.sequence)))
        icalcomponent_add_property(component, icalproperty_new_dtstamp(utcTime(event.stamp)))
        icalcomponent_add_property(component, try timeProperty(ICAL_DTSTART_PROPERTY, event.start, state: &state))
        if let end = event.end {
            icalcomponent_add_property(component, try timeProperty(ICAL_DTEND_PROPERTY, end, state: &state))
        }
        if let recurrenceID = event.recurrenceID {
            icalcomponent_add_property(component, try timeProperty(ICAL_RECURRENCEID_PROPERTY, recurrenceID, state: &state))
        }
        if let rule = event.recurrenceRule {
            let recurrence = icalrecurrencetype_from_string(rule)
            guard recurrence.freq != ICAL_NO_RECURRENCE else {
                throw CalendarBuildError(property: "RRULE", problem: "'\(rule)' is not a recurrence rule")
            }
            icalcomponent_add_property(component, icalproperty_new_rrule(recurrence))
        }
        for date in event.recurrenceDates {
            icalcomponent_add_property(component, try timeProperty(ICAL_RDATE_PROPERTY, date, state: &state))
        }
        for date in event.exceptionDates {
            icalcomponent_add_property(component, try timeProperty(ICAL_EXDATE_PROPERTY, date, state: &state))
        }
        if let summary = event.summary { icalcomponent_add_property(component, icalproperty_new_summary(summary)) }
        if let description = event.description {
            icalcomponent_add_property(component, icalproperty_new_description(description))
        }
        if let location = event.location { icalcomponent_add_property(component, icalproperty_new_location(location)) }
        if let url = event.url { icalcomponent_add_property(component, icalproperty_new_url(url)) }
        if let conference = event.conference { icalcomponent_add_property(component, conferenceProperty(conference)) }
        if let status = event.status {
            let value = icalproperty_string_to_status(status)
            guard value != ICAL_STATUS_NONE else {
                throw CalendarBuildError(property: "STATUS", problem: "'\(status)' is not a status")
            }
            icalcomponent_add_property(component, icalproperty_new_status(value))
        }
        if event.isTransparent { icalcomponent_add_property(component, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT)) }
        for category in event.categories { icalcomponent_add_property(component, icalproperty_new_categories(category)) }
        if let organizer = event.organizer {
            icalcomponent_add_property(component, addressProperty(icalproperty_new_organizer("mailto:\(organizer.email)"), organizer))
        }
        for attendee in event.attendees {
            let property = addressProperty(icalproperty_new_attendee("mailto:\(attendee.address.email)"), attendee.address)
            try addParameter(property, ICAL_ROLE_PARAMETER, attendee.role, name: "ROLE")
            try addParameter(property, ICAL_PARTSTAT_PARAMETER, attendee.participation, name: "PARTSTAT")
            if attendee.expectsReply { icalproperty_add_parameter(property, icalparameter_new_rsvp(ICAL_RSVP_TRUE)) }
            icalcomponent_add_property(component, property)
        }
        if let lastModified = event.lastModified {
            icalcomponent_add_property(component, icalproperty_new_lastmodified(utcTime(lastModified)))
        }
        for alarm in event.alarms {
            icalcomponent_add_component(component, try alarmComponent(alarm))
        }
        pending = nil
        return component
    }

    private static func alarmComponent(_ alarm: CalendarAlarm) throws(CalendarBuildError) -> OpaquePointer {
        let component = icalcomponent_new(ICAL_VALARM_COMPONENT)!
        guard let duration = try? parseDuration(alarm.trigger, property: "TRIGGER") else {
            icalcomponent_free(component)
            throw CalendarBuildError(property: "TRIGGER", problem: "'\(alarm.trigger)' is not an ISO 8601 duration such as -PT1H")
        }
        icalcomponent_add_property(component, icalproperty_new_action(ICAL_ACTION_DISPLAY))
        var trigger = icaltriggertype()
        trigger.time = icaltime_null_time()
        trigger.duration = duration
        icalcomponent_add_property(component, icalproperty_new_trigger(trigger))
        icalcomponent_add_property(component, icalproperty_new_description(alarm.description))
        return component
    }

    private static func conferenceProperty(_ conference: CalendarConference) -> OpaquePointer {
        let property = icalproperty_new_conference(conference.uri)!
        icalproperty_add_parameter(property, icalparameter_new_value(ICAL_VALUE_URI))
        if !conference.features.isEmpty,
            let feature = icalparameter_new_from_value_string(ICAL_FEATURE_PARAMETER, conference.features.joined(separator: ","))
        {
            icalproperty_add_parameter(property, feature)
        }
        if let label = conference.label { icalproperty_add_parameter(property, icalparameter_new_label(parameterSafe(label))) }
        return property
    }

    private static func addressProperty(_ property: OpaquePointer?, _ address: CalendarAddress) -> OpaquePointer {
        let property = property!
        if let name = address.commonName { icalproperty_add_parameter(property, icalparameter_new_cn(parameterSafe(name))) }
        return property
    }

    /// Parameter values cannot escape `"` or `\\` (libical 3.0 has no RFC 6868), and a line break
    /// would end the property: such characters become harmless look-alikes.
    static func parameterSafe(_ value: String) -> String {
        String(value.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "\"": return "'"
            case "\\": return "/"
            default: return scalar.properties.generalCategory == .control ? " " : Character(scalar)
            }
        })
    }

    private static func addParameter(
        _ property: OpaquePointer, _ kind: icalparameter_kind, _ value: String, name: String
    ) throws(CalendarBuildError) {
        guard let parameter = icalparameter_new_from_value_string(kind, value) else {
            throw CalendarBuildError(property: name, problem: "'\(value)' is not a valid value")
        }
        icalproperty_add_parameter(property, parameter)
    }

    private static func timeProperty(
        _ kind: icalproperty_kind, _ time: CalendarTime, state: inout Libical.State
    ) throws(CalendarBuildError) -> OpaquePointer {
        let value = try icalTime(time, state: &state)
        let property: OpaquePointer?
        switch kind {
        case ICAL_DTSTART_PROPERTY: property = icalproperty_new_dtstart(value)
        case ICAL_DTEND_PROPERTY: property = icalproperty_new_dtend(value)
        case ICAL_RECURRENCEID_PROPERTY: property = icalproperty_new_recurrenceid(value)
        case ICAL_EXDATE_PROPERTY: property = icalproperty_new_exdate(value)
        default:
            var period = icaldatetimeperiodtype()
            period.time = value
            period.period = icalperiodtype_null_period()
            property = icalproperty_new_rdate(period)
        }
        if case .zoned(_, let tzid) = time { icalproperty_add_parameter(property, icalparameter_new_tzid(tzid)) }
        if time.isAllDay { icalproperty_add_parameter(property, icalparameter_new_value(ICAL_VALUE_DATE)) }
        return property!
    }

    static func icalTime(_ time: CalendarTime, state: inout Libical.State) throws(CalendarBuildError) -> icaltimetype {
        switch time {
        case .utc(let date):
            return utcTime(date)
        case .date(let year, let month, let day):
            var value = icaltime_null_date()
            value.year = Int32(year)
            value.month = Int32(month)
            value.day = Int32(day)
            return value
        case .floating(let fields):
            return localTime(fields)
        case .zoned(let fields, let tzid):
            guard let zone = state.zone(tzid) else {
                throw CalendarBuildError(property: "TZID", problem: "unknown time zone '\(tzid)'")
            }
            var value = localTime(fields)
            value.zone = zone
            return value
        }
    }

    static func utcTime(_ date: Date) -> icaltimetype {
        icaltime_from_timet_with_zone(time_t(date.timeIntervalSince1970.rounded(.down)), 0, icaltimezone_get_utc_timezone())
    }

    private static func localTime(_ fields: CalendarDateTime) -> icaltimetype {
        var value = icaltime_null_time()
        value.year = Int32(fields.year)
        value.month = Int32(fields.month)
        value.day = Int32(fields.day)
        value.hour = Int32(fields.hour)
        value.minute = Int32(fields.minute)
        value.second = Int32(fields.second)
        return value
    }

    static func parseDuration(_ text: String, property: String) throws(CalendarBuildError) -> icaldurationtype {
        let duration = icaldurationtype_from_string(text)
        guard icaldurationtype_is_bad_duration(duration) == 0 else {
            throw CalendarBuildError(property: property, problem: "'\(text)' is not an ISO 8601 duration")
        }
        return duration
    }

    private static func addX(_ component: OpaquePointer, _ name: String, _ value: String) {
        let property = icalproperty_new_x(value)
        icalproperty_set_x_name(property, name)
        icalcomponent_add_property(component, property)
    }

    private static func zonesUsed(by events: [CalendarEvent]) -> [String] {
        var zones = Set<String>()
        for event in events {
            for time in [event.start, event.end, event.recurrenceID].compactMap({ $0 }) + event.recurrenceDates + event.exceptionDates {
                if case .zoned(_, let tzid) = time { zones.insert(tzid) }
            }
        }
        return zones.sorted()
    }

    private static func libicalMethod(_ method: CalendarMethod) -> icalproperty_method {
        switch method {
        case .request: return ICAL_METHOD_REQUEST
        case .cancel: return ICAL_METHOD_CANCEL
        case .publish: return ICAL_METHOD_PUBLISH
        case .reply: return ICAL_METHOD_REPLY
        }
    }
}
