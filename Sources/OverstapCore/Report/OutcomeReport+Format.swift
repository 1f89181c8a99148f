extension OutcomeReport {
    /// A figure as text, CSV and HTML print it: the number, `<5` for a small count, `x` for a
    /// count hidden so that a small one cannot be worked out.
    public func display(_ figure: Figure) -> String {
        switch figure.status {
        case .shown: return String(figure.value)
        case .small: return "<\(minCell)"
        case .complementary: return "x"
        }
    }

    /// A rate with three decimals (`0.625`), or nil; rounded half up on thousandths so every
    /// platform prints the same bytes.
    static func decimal(_ rate: Double?) -> String? {
        guard let rate else { return nil }
        let thousandths = Int((rate * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// A rate as a percentage with one decimal (`62.5%`), or `-`.
    static func percent(_ rate: Double?) -> String {
        guard let rate else { return "-" }
        let tenths = Int((rate * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// The legend that explains suppressed counts.
    var legend: String {
        "Counts from 1 to \(minCell - 1) are shown as <\(minCell); x hides a count from which a small one could be worked out. "
            + "Rates are left out (-) when a count they need is hidden."
    }

    /// `all regions` or the region code.
    var regionLabel: String { region ?? "all regions" }

    /// What the funnel's steps mean, one line each.
    static let stageMeaning: [Stage: String] = [
        .imported: "in the follow-up group (first session in the period, or imported in it and never placed)",
        .placed: "placed in a session",
        .invited: "invited",
        .answered: "answered the invitation",
        .accepted: "accepted",
        .attended: "attended (decided after the last meeting)",
        .foundWork: "attended and found work within 6 months of the first session",
    ]
}
