/// Where a person stands after taking part, as their consultant records it. A closed list: there
/// is no free-text field, which would invite health and other sensitive details.
public enum OutcomeResult: String, CaseIterable, Codable, Sendable {
    case foundWork = "found_work"
    case inTraining = "in_training"
    case stillLooking = "still_looking"
    case stopped

    /// The Dutch word for each result, as a municipal follow-up list writes it.
    public static let dutchWords: [OutcomeResult: String] = [
        .foundWork: "werk_gevonden", .inTraining: "in_opleiding", .stillLooking: "zoekend", .stopped: "gestopt",
    ]

    /// Reads a result in English or Dutch, any case, spaces for underscores.
    public init?(input: String) {
        let folded = String(input.trimmingWhitespace().lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
        if let result = OutcomeResult(rawValue: folded) {
            self = result
        } else if let result = Self.dutchWords.first(where: { $0.value == folded })?.key {
            self = result
        } else {
            return nil
        }
    }

    /// The results as a user may type them, for error messages.
    public static var spelled: String {
        let english = allCases.map(\.rawValue).joined(separator: ", ")
        let dutch = allCases.compactMap { dutchWords[$0] }.joined(separator: ", ")
        return "\(english) (in Dutch \(dutch))"
    }
}
