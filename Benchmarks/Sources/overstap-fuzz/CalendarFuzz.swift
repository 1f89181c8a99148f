import ArgumentParser
import Foundation
import ICalendar

/// `overstap-fuzz ics`: calendar exports, generated from the shapes Outlook, Google and Apple write
/// (zones with rules, series, overrides) with hostile values mixed in, then damaged; each expanded
/// over the window `partner busy import` reads.
struct CalendarFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ics", abstract: "Fuzz the iCalendar reader and expander.")
    @OptionGroup var options: FuzzOptions

    func run() throws {
        let from = Date(timeIntervalSince1970: 1_799_568_000 - 86_400)
        let to = from.addingTimeInterval(401 * 86_400)
        try runFuzz(name: "ics", options: options, input: { random in Self.input(random: &random) }, body: { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            return (try? CalendarDocument.occurrences(inText: text, from: from, to: to, floatingZone: "Europe/Amsterdam")) != nil
        })
    }

    static let frequencies = ["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY", "YEARLY", "YEARLY"]
    static let years = ["1601", "0001", "1970", "2020", "2027", "2027", "2028", "2037", "2038", "9999", "10000"]
    static let zones = ["Eigen", "Europe/Amsterdam", "W. Europe Standard Time", "Mars/Olympus", "UTC"]

    static func stamp(_ random: inout FuzzRandom) -> String {
        let year = years[random.below(years.count)]
        return "\(year)\(String(format: "%02d%02d", 1 + random.below(13), 1 + random.below(31)))T\(String(format: "%02d%02d00", random.below(25), random.below(60)))"
    }

    static func rule(_ random: inout FuzzRandom, zone: Bool) -> String {
        var parts = ["FREQ=\(frequencies[random.below(frequencies.count)])"]
        if random.oneIn(3) { parts.append("INTERVAL=\(random.below(5))") }
        if !zone && random.oneIn(2) { parts.append(random.oneIn(2) ? "COUNT=\(random.below(100_000))" : "UNTIL=\(stamp(&random))Z") }
        if random.oneIn(3) { parts.append("BYDAY=\(["-1SU", "TU", "MO,WE,FR", "1MO", "53FR"][random.below(5)])") }
        if random.oneIn(3) { parts.append("BYMONTH=\(["3", "10", "2", "1,2,3,4,5,6,7,8,9,10,11,12", "13"][random.below(5)])") }
        if random.oneIn(5) { parts.append("BYMONTHDAY=\(["31", "30", "-1", "1,15"][random.below(4)])") }
        if random.oneIn(6) { parts.append("BYHOUR=\(["0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23", "9"][random.below(2)])") }
        if random.oneIn(8) { parts.append("BYSETPOS=\(["-1", "1", "400"][random.below(3)])") }
        return parts.joined(separator: ";")
    }

    /// A generated calendar, then damaged half of the time.
    static func input(random: inout FuzzRandom) -> [UInt8] {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Fuzz//Overstap//EN"]
        if random.oneIn(2) {
            lines += ["BEGIN:VTIMEZONE", "TZID:\(random.oneIn(2) ? "Eigen" : "W. Europe Standard Time")"]
            for kind in ["STANDARD", "DAYLIGHT"] where !random.oneIn(4) {
                lines += ["BEGIN:\(kind)", "DTSTART:\(stamp(&random))", "TZOFFSETFROM:+0\(random.below(3))00", "TZOFFSETTO:+0100"]
                if !random.oneIn(5) { lines.append("RRULE:\(rule(&random, zone: true))") }
                if random.oneIn(6) { lines.append("RDATE:\(stamp(&random))") }
                lines.append("END:\(kind)")
            }
            lines.append("END:VTIMEZONE")
        }
        for index in 0..<random.below(6) {
            let zone = zones[random.below(zones.count)]
            let tz = random.oneIn(4) ? "" : ";TZID=\(zone)"
            let start = stamp(&random)
            lines += ["BEGIN:VEVENT", "UID:e\(index % 3)@fuzz.example.org", "DTSTAMP:20270101T000000Z", "DTSTART\(tz):\(start)"]
            switch random.below(4) {
            case 0: lines.append("DTEND\(tz):\(stamp(&random))")
            case 1: lines.append("DURATION:\(["PT1H", "-PT1H", "P1D", "P9999W", "PT0S"][random.below(5)])")
            case 2: lines.append("DTEND\(tz):\(start)")
            default: break
            }
            if random.oneIn(2) { lines.append("RRULE:\(rule(&random, zone: false))") }
            if random.oneIn(4) { lines.append("EXDATE\(tz):\(stamp(&random))") }
            if random.oneIn(4) { lines.append("RDATE\(tz):\(stamp(&random))") }
            if random.oneIn(5) { lines.append("RECURRENCE-ID\(tz):\(stamp(&random))") }
            if random.oneIn(4) { lines.append(["TRANSP:TRANSPARENT", "STATUS:CANCELLED", "STATUS:CONFIRMED"][random.below(3)]) }
            if random.oneIn(6) { lines.append("SUMMARY:\(String(repeating: "Overleg ", count: random.below(20)))") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        if random.oneIn(8) { lines.shuffle(using: &random) }
        let bytes = Array((lines.joined(separator: random.oneIn(2) ? "\r\n" : "\n") + "\r\n").utf8)
        return random.oneIn(2) ? bytes : Mutator.mutate(bytes, extra: [Array("RRULE:FREQ=MINUTELY".utf8), Array("\r\n ".utf8)], random: &random)
    }
}
