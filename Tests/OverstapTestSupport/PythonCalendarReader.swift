import Foundation

/// Python's `icalendar` and `recurring-ical-events` as independent readers of a calendar: what
/// each VEVENT says (RECURRENCE-ID and EXDATE with their TZID) and, for anything but a CANCEL,
/// every occurrence they expand, as RFC 3339 local times with their offset.
public enum PythonCalendarReader {
    static let script = #"""
        import json, sys, datetime
        import icalendar, recurring_ical_events
        calendar = icalendar.Calendar.from_ical(sys.stdin.read())
        def when(prop):
            if prop is None:
                return None
            return {"local": prop.dt.strftime("%Y-%m-%dT%H:%M"), "tzid": prop.params.get("TZID"), "instant": int(prop.dt.timestamp())}
        events = []
        for event in calendar.walk("VEVENT"):
            found = event.get("EXDATE")
            groups = found if isinstance(found, list) else ([] if found is None else [found])
            events.append({
                "uid": str(event["UID"]), "sequence": int(event.get("SEQUENCE", 0)), "status": str(event.get("STATUS", "")),
                "start": when(event.get("DTSTART")), "end": when(event.get("DTEND")),
                "recurrence_id": when(event.get("RECURRENCE-ID")),
                "exdates": [{"local": d.dt.strftime("%Y-%m-%dT%H:%M"), "tzid": g.params.get("TZID")} for g in groups for d in g.dts],
                "rrule": event["RRULE"].to_ical().decode() if "RRULE" in event else None,
                "attendees": len(event.get("ATTENDEE", [])) if isinstance(event.get("ATTENDEE"), list) else (1 if "ATTENDEE" in event else 0)})
        method = str(calendar.get("METHOD", ""))
        occurrences = []
        if method != "CANCEL":
            start = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
            end = datetime.datetime(2029, 1, 1, tzinfo=datetime.timezone.utc)
            for o in recurring_ical_events.of(calendar).between(start, end):
                occurrences.append(o["DTSTART"].dt.isoformat(timespec="minutes"))
        print(json.dumps({"method": method, "events": events, "occurrences": sorted(occurrences)}))
        """#

    /// A time as the reader saw it: local text, its TZID parameter and the instant it means.
    public struct Time: Decodable, Equatable, Sendable {
        public var local: String
        public var tzid: String?
        public var instant: Int

        /// Creates an expected time.
        public init(local: String, tzid: String?, instant: Int) {
            self.local = local
            self.tzid = tzid
            self.instant = instant
        }
    }

    /// An EXDATE value with its TZID.
    public struct Exception: Decodable, Equatable, Sendable {
        public var local: String
        public var tzid: String?

        /// Creates an expected value.
        public init(local: String, tzid: String?) {
            self.local = local
            self.tzid = tzid
        }
    }

    /// One VEVENT.
    public struct Event: Decodable, Sendable {
        public var uid: String
        public var sequence: Int
        public var status: String
        public var start: Time?
        public var end: Time?
        public var recurrenceID: Time?
        public var exdates: [Exception]
        public var rrule: String?
        public var attendees: Int

        enum CodingKeys: String, CodingKey {
            case uid, sequence, status, start, end, exdates, rrule, attendees
            case recurrenceID = "recurrence_id"
        }
    }

    /// What the readers made of one calendar.
    public struct Reading: Decodable, Sendable {
        public var method: String
        public var events: [Event]
        /// Every occurrence's start, `2027-03-29T19:00+02:00`, in order.
        public var occurrences: [String]
    }

    /// Python or its packages failed.
    public struct ReaderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a calendar's text; fails when Python or its packages are missing.
    public static func read(_ text: String) throws -> Reading {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReaderError(
                description: "python3 with icalendar and recurring-ical-events could not read the calendar "
                    + "(scripts/install-deps.sh installs them): \(problem)")
        }
        return try JSONDecoder().decode(Reading.self, from: data)
    }
}
