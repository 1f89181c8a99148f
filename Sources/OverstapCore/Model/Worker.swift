import Foundation

/// A person who lost, or is about to lose, their job and wants to move to another sector.
public struct Worker: Equatable, Sendable {
    /// The database id; nil before the worker is stored.
    public var id: Int64?
    /// The address invitations go to; unique, compared case-insensitively.
    public var email: String
    public var name: String
    /// The sector the person works or worked in.
    public var sector: String
    /// The sectors the person would like to move to.
    public var targets: [String]
    public var region: String
    public var languages: [String]
    /// When in a week the person can attend, in the team's zone.
    public var availability: [WeeklyWindow]
    public var availableFrom: LocalDate?
    public var availableUntil: LocalDate?
    public var status: WorkerStatus
    /// The language of mails and pages: `nl` or `en`.
    public var locale: String
    /// When the person was first imported: who waited longest is placed first on a tie.
    public var waitingSince: Date?
    /// Set when a mail server refused the address for good; such a worker is not placed again.
    public var undeliverableSince: Date?

    /// Creates a worker.
    public init(
        id: Int64? = nil, email: String, name: String, sector: String, targets: [String], region: String,
        languages: [String], availability: [WeeklyWindow], availableFrom: LocalDate?, availableUntil: LocalDate?,
        status: WorkerStatus, locale: String, waitingSince: Date? = nil
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.sector = sector
        self.targets = targets
        self.region = region
        self.languages = languages
        self.availability = availability
        self.availableFrom = availableFrom
        self.availableUntil = availableUntil
        self.status = status
        self.locale = locale
        self.waitingSince = waitingSince
    }
}

/// How urgent a worker's move is.
public enum WorkerStatus: String, CaseIterable, Codable, Sendable {
    /// Already lost their job.
    case unemployed
    /// Still employed, but the job is going.
    case atRisk = "at_risk"

    /// The Dutch word a municipal export uses for each status.
    public var dutchName: String {
        switch self {
        case .unemployed: "werkloos"
        case .atRisk: "baan_in_gevaar"
        }
    }

    /// Reads a status as typed in a file: English (`unemployed`, `at_risk`) or Dutch (`werkloos`,
    /// `baan_in_gevaar`), in any letter case, with spaces or dashes for the underscore.
    public init?(input: String) {
        let folded = String(input.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
        guard let status = Self.allCases.first(where: { $0.rawValue == folded || $0.dutchName == folded }) else { return nil }
        self = status
    }
}
