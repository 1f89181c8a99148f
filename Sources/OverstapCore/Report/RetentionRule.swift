import Foundation

/// How long personal data is kept after a person's last session, outcome or import
/// (`retention.personal_data`): an ISO 8601 duration of years, months, weeks and days.
public struct RetentionRule: Sendable, Equatable, CustomStringConvertible {
    public var months: Int
    public var days: Int
    /// The duration as configured.
    public var description: String

    /// Parses `P18M`, `P2Y`, `P1Y6M`, `P26W` or `P540D`; nil for anything else, time parts and
    /// zero lengths included.
    public init?(_ text: String) {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard upper.hasPrefix("P"), upper.count > 1 else { return nil }
        var months = 0
        var days = 0
        var number = ""
        for character in upper.dropFirst() {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            guard let value = Int(number), value <= 10_000 else { return nil }
            switch character {
            case "Y": months += value * 12
            case "M": months += value
            case "W": days += value * 7
            case "D": days += value
            default: return nil
            }
            number = ""
        }
        guard number.isEmpty, months + days > 0 else { return nil }
        self.months = months
        self.days = days
        description = upper
    }

    /// The first day on which a person whose last activity was on `last` is past retention: the
    /// day after `last` plus the duration (a month end that does not exist is the month's last day).
    public func firstDayPast(_ last: LocalDate) -> LocalDate {
        let start = LocalDate(year: last.year, month: last.month, day: 1).adding(months: months)!
        let day = min(last.day, LocalDate.daysIn(month: start.month, year: start.year))
        return LocalDate(year: start.year, month: start.month, day: day).adding(days: days + 1)
    }

    /// Whether a person whose last activity was on `last` is past retention on `today`.
    public func isPast(_ last: LocalDate, today: LocalDate) -> Bool { firstDayPast(last) <= today }
}

/// The latest day something happened to a person, as retention counts it: their last session
/// (the last day of it, or of a meeting of its series attendance was recorded for), their last
/// outcome and their last import.
public struct PersonActivity: Sendable, Equatable {
    public var workerID: Int64
    public var lastDay: LocalDate

    /// Creates an activity.
    public init(workerID: Int64, lastDay: LocalDate) {
        self.workerID = workerID
        self.lastDay = lastDay
    }
}
