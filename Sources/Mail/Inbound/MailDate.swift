import Foundation

/// RFC 5322 §3.3 date-time, with the obsolete forms real mail still has (two-digit years,
/// `GMT`/`EST` zones, comments such as `(CET)`, missing seconds or weekday).
enum MailDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    ]

    /// The instant, or nil when the text is no date.
    static func parse(_ text: String) -> Date? {
        let tokens = HeaderText.removingComments(text).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
        var index = tokens.first.map { Int($0) == nil ? 1 : 0 } ?? 0
        guard tokens.count >= index + 4, let day = Int(tokens[index]), (1...31).contains(day),
            let month = months.firstIndex(of: tokens[index + 1].prefix(3).lowercased()), var year = Int(tokens[index + 2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        index += 3
        let clock = tokens[index].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard clock.count >= 2, clock.count <= 3, let hour = clock[0], let minute = clock[1], (0...23).contains(hour), (0...59).contains(minute),
            (0...9999).contains(year)
        else { return nil }
        let second = clock.count == 3 ? clock[2] ?? 0 : 0
        guard (0...60).contains(second) else { return nil }
        var offset = 0
        if tokens.count > index + 1 {
            let zone = tokens[index + 1]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
                offset = (value / 100 * 60 + value % 100) * (sign == "-" ? -1 : 1)
            } else if let hours = zones[zone.lowercased()] {
                offset = hours * 60
            }
        }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
