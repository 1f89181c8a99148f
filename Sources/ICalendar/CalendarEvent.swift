import Foundation

/// One VEVENT: a meeting, a series master or an override of one occurrence.
public struct CalendarEvent: Hashable, Sendable {
    public var uid: String
    public var sequence: Int
    /// DTSTAMP: when this version of the object was produced (or last changed, for feeds).
    public var stamp: Date
    public var start: CalendarTime
    public var end: CalendarTime?
    public var summary: String?
    public var description: String?
    public var location: String?
    public var url: String?
    /// STATUS: `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    public var status: String?
    /// TRANSP:TRANSPARENT, the event does not make anyone busy.
    public var isTransparent: Bool
    public var categories: [String]
    public var organizer: CalendarAddress?
    public var attendees: [CalendarAttendee]
    public var conference: CalendarConference?
    public var alarms: [CalendarAlarm]
    /// The RRULE value, e.g. `FREQ=WEEKLY;COUNT=6`.
    public var recurrenceRule: String?
    public var recurrenceDates: [CalendarTime]
    public var exceptionDates: [CalendarTime]
    /// RECURRENCE-ID of an override.
    public var recurrenceID: CalendarTime?
    public var lastModified: Date?

    /// Creates an event; only what every event needs is required.
    public init(
        uid: String, sequence: Int = 0, stamp: Date, start: CalendarTime, end: CalendarTime? = nil,
        summary: String? = nil, description: String? = nil, location: String? = nil, url: String? = nil,
        status: String? = nil, isTransparent: Bool = false, categories: [String] = [], organizer: CalendarAddress? = nil,
        attendees: [CalendarAttendee] = [], conference: CalendarConference? = nil, alarms: [CalendarAlarm] = [],
        recurrenceRule: String? = nil, recurrenceDates: [CalendarTime] = [], exceptionDates: [CalendarTime] = [],
        recurrenceID: CalendarTime? = nil, lastModified: Date? = nil
    ) {
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.summary = summary
        self.description = description
        self.location = location
        self.url = url
        self.status = status
        self.isTransparent = isTransparent
        self.categories = categories
        self.organizer = organizer
        self.attendees = attendees
        self.conference = conference
        self.alarms = alarms
        self.recurrenceRule = recurrenceRule
        self.recurrenceDates = recurrenceDates
        self.exceptionDates = exceptionDates
        self.recurrenceID = recurrenceID
        self.lastModified = lastModified
    }
}
