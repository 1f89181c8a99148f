/// A fixed period a report covers: a calendar year, quarter or month. Free date ranges are not
/// offered, because two overlapping reports subtracted from each other would reveal hidden cells.
public struct ReportPeriod: Sendable, Equatable {
    /// The first day of the period.
    public var first: LocalDate
    /// The last day of the period.
    public var last: LocalDate
    /// How the period is written: `2027`, `2027-Q1` or `2027-03`.
    public var label: String

    /// Parses `2027`, `2027-Q1` or `2027-03`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let yearText = parts.first, yearText.count == 4, yearText.allSatisfy(\.isASCII), let year = Int(yearText), year >= 1900
        else { return nil }
        let firstMonth: Int
        let months: Int
        switch parts.count {
        case 1:
            (firstMonth, months) = (1, 12)
        case 2 where parts[1].count == 2 && parts[1].uppercased().hasPrefix("Q"):
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) else { return nil }
            (firstMonth, months) = ((quarter - 1) * 3 + 1, 3)
        case 2 where parts[1].count == 2:
            guard parts[1].allSatisfy(\.isASCII), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            (firstMonth, months) = (month, 1)
        default:
            return nil
        }
        let lastMonth = firstMonth + months - 1
        first = LocalDate(year: year, month: firstMonth, day: 1)
        last = LocalDate(year: year, month: lastMonth, day: LocalDate.daysIn(month: lastMonth, year: year))
        label = parts.count == 1 ? String(year) : "\(year)-\(parts[1].uppercased())"
    }

    /// The calendar year of a date.
    public static func year(of date: LocalDate) -> ReportPeriod {
        ReportPeriod(String(date.year))!
    }

    /// Whether a date falls in the period.
    public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }
}
