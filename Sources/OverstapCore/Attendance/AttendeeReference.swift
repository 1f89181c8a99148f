/// How an attendance list names a person: a row number of the printed roster or an e-mail address.
public enum AttendeeReference: Hashable, Sendable, CustomStringConvertible {
    case roster(Int)
    case email(String)

    /// Reads `12` or `anouk@example.nl`; nil with the reason when it is neither.
    public static func parse(_ text: String) -> Result<AttendeeReference, InputError> {
        let value = text.trimmingWhitespace()
        if value.contains("@") {
            if let problem = EmailAddress.problem(with: value) { return .failure(InputError(place: "", problem: problem)) }
            return .success(.email(value))
        }
        if let number = Int(value), number > 0 { return .success(.roster(number)) }
        return .failure(InputError(
            place: "", problem: value.isEmpty ? "is empty" : "'\(value)' is neither a roster row number nor an e-mail address",
            fix: "give the row number printed on the roster (see: overstap enroll list --session ID) or the e-mail address"))
    }

    public var description: String {
        switch self {
        case .roster(let number): "row \(number)"
        case .email(let address): address
        }
    }
}
