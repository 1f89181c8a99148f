/// The report a mobility team shows its funders: who it reached, who took part, who found work,
/// in which sector and how soon. Every count is anonymised (`CellSuppression`); `docs/report.md`
/// defines each figure.
public struct OutcomeReport: Sendable, Equatable {
    /// One count as published: its value, and whether it may be printed.
    public struct Figure: Sendable, Equatable {
        public var value: Int
        public var status: CellSuppression.Status

        /// The value, or nil when it is suppressed.
        public var shown: Int? { status == .shown ? value : nil }
    }

    /// A step of the funnel.
    public enum Stage: String, CaseIterable, Sendable {
        case imported, placed, invited, answered, accepted, attended
        case foundWork = "found_work"
    }

    /// One row of the per-session or per-partner table.
    public struct ActivityRow: Sendable, Equatable {
        /// The session id, the partner slug, or `total`.
        public var key: String
        /// The session's first date (nil for partner and total rows).
        public var date: LocalDate?
        /// The session's sector (nil for partner and total rows).
        public var sector: String?
        /// The partner's name, or the session's partners' names.
        public var partners: [String]
        public var seats: Int
        public var taken: Figure
        public var invited: Figure
        public var answered: Figure
        public var attended: Figure
        public var noShows: Figure

        /// Seats taken per seat offered.
        public var fill: Double? { taken.shown.flatMap { seats > 0 ? Double($0) / Double(seats) : nil } }
        /// Answers per invitation.
        public var answerRate: Double? { OutcomeReport.rate(answered, of: [invited]) }
        /// No-shows per person whose presence was decided (attended or no-show).
        public var noShowRate: Double? { OutcomeReport.rate(noShows, of: [attended, noShows]) }
    }

    /// People who found work, by the sector they came from and the sector of the work.
    public struct Flows: Sendable, Equatable {
        /// Source sectors (rows), in catalogue order.
        public var sources: [String]
        /// Target sectors (columns), in catalogue order, `unrecorded` last.
        public var targets: [String]
        /// `cells[row][column]`.
        public var cells: [[Figure]]
        public var sourceTotals: [Figure]
        public var targetTotals: [Figure]
        /// Everyone who found work: the funnel's last step.
        public var total: Figure
        /// Those whose work is in the sector of a session they attended.
        public var inSessionSector: Figure

        /// The share of those who found work whose work is in the sector of a session they attended.
        public var inSessionSectorShare: Double? { OutcomeReport.rate(inSessionSector, of: [total]) }
    }

    /// Days from the first session to work, for those who found work.
    public struct TimeToWork: Sendable, Equatable {
        /// How many people the quartiles are drawn from.
        public var people: Figure
        /// Lower quartile, median and upper quartile in days; nil when fewer than `minCell`
        /// people (or a suppressed count) are behind them.
        public var quartiles: Quartiles?
    }

    /// Lower quartile, median and upper quartile (nearest rank).
    public struct Quartiles: Sendable, Equatable {
        public var lower: Int
        public var median: Int
        public var upper: Int
    }

    /// One step of the funnel.
    public struct FunnelStep: Sendable, Equatable {
        public var stage: Stage
        public var figure: Figure
    }

    /// The target column for work whose sector was not recorded.
    public static let unrecordedSector = "unrecorded"
    /// How long after the first session work still counts, in months.
    public static let foundWorkWindowMonths = 6

    public var period: ReportPeriod
    public var region: String?
    public var minCell: Int
    public var funnel: [FunnelStep]
    public var flows: Flows
    public var sessions: [ActivityRow]
    public var partners: [ActivityRow]
    public var sessionTotal: ActivityRow
    public var timeToWork: TimeToWork

    /// `part / Σ whole`, only when every count is printed and the whole is not zero.
    static func rate(_ part: Figure, of whole: [Figure]) -> Double? {
        guard let numerator = part.shown else { return nil }
        var denominator = 0
        for figure in whole {
            guard let value = figure.shown else { return nil }
            denominator += value
        }
        return denominator > 0 ? Double(numerator) / Double(denominator) : nil
    }
}
