/// Whether a person was at one meeting.
public enum Presence: String, CaseIterable, Codable, Sendable {
    case attended
    case noShow = "no_show"
    /// Absent with a reason the organiser accepts: the meeting does not count for them.
    case excused

    /// Reads a trainer's mark: `ja`/`nee`, `yes`/`no`, `1`/`0`, and `afgemeld`/`excused`, in any case.
    public init?(mark: String) {
        switch mark.trimmingWhitespace().lowercased() {
        case "ja", "yes", "1", "j", "y", "aanwezig", "present", "attended": self = .attended
        case "nee", "no", "0", "n", "afwezig", "absent", "no_show": self = .noShow
        case "afgemeld", "excused", "verontschuldigd": self = .excused
        default: return nil
        }
    }

    /// The marks `init(mark:)` reads, for error messages.
    public static let marks = "ja/nee, yes/no or 1/0 (afgemeld or excused for an excused absence)"
}
