import Foundation

/// ISO 8601 durations of days, hours, minutes and seconds (`P1D`, `PT2H`, `P1DT30M`), as config uses them.
enum ISODuration {
    /// The length in seconds, or nil when the text is not such a duration.
    static func seconds(_ text: String) -> TimeInterval? {
        var rest = Substring(text.uppercased())
        guard rest.first == "P" else { return nil }
        rest = rest.dropFirst()
        var total: TimeInterval = 0
        var inTime = false
        var number = ""
        var sawPart = false
        for character in rest {
            switch character {
            case "T" where !inTime && number.isEmpty:
                inTime = true
            case "0"..."9":
                number.append(character)
            case "W", "D", "H", "M", "S":
                guard let value = Double(number) else { return nil }
                let unit: TimeInterval? =
                    switch (character, inTime) {
                    case ("W", false): 604_800
                    case ("D", false): 86_400
                    case ("H", true): 3_600
                    case ("M", true): 60
                    case ("S", true): 1
                    default: nil
                    }
                guard let unit else { return nil }
                total += value * unit
                number = ""
                sawPart = true
            default:
                return nil
            }
        }
        return sawPart && number.isEmpty ? total : nil
    }
}
