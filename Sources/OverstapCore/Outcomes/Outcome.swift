/// One recorded outcome of a person. Outcomes are never overwritten: a new record is added when
/// the person's situation changes (from `in_training` to `found_work`).
public struct Outcome: Equatable, Sendable {
    public var result: OutcomeResult
    /// The sector of the work or training, a catalogue code; nil when not recorded.
    public var sector: String?
    /// The day the situation began.
    public var date: LocalDate

    /// Creates an outcome.
    public init(result: OutcomeResult, sector: String?, date: LocalDate) {
        self.result = result
        self.sector = sector
        self.date = date
    }

    /// Reads an outcome as typed (result, sector code, `YYYY-MM-DD` date; empty sector: none,
    /// empty date: `today`), adding every problem to `problems` with the place `place(field)`.
    public static func parse(
        result resultText: String, sector sectorText: String, date dateText: String, today: LocalDate, sectors: Catalogue,
        place: (String) -> String, problems found: inout [InputError]
    ) -> Outcome? {
        var problems: [InputError] = []
        defer { found += problems }
        let result = OutcomeResult(input: resultText)
        if result == nil {
            let problem = resultText.isEmpty ? "is empty" : "'\(resultText)' is not a result"
            problems.append(InputError(place: place("result"), problem: problem, fix: "use \(OutcomeResult.spelled)"))
        }
        var sector: String?
        let trimmedSector = sectorText.trimmingWhitespace()
        if !trimmedSector.isEmpty {
            do { sector = try sectors.validate(trimmedSector, place: place("sector")) } catch { problems.append(error) }
        }
        var date = today
        let trimmedDate = dateText.trimmingWhitespace()
        if !trimmedDate.isEmpty {
            if let parsed = LocalDate(iso: Substring(trimmedDate)) {
                date = parsed
                if today < parsed {
                    problems.append(InputError(place: place("date"), problem: "\(parsed) is in the future", fix: "record an outcome once it has happened"))
                }
            } else {
                problems.append(InputError(place: place("date"), problem: "'\(trimmedDate)' is not a date", fix: "write YYYY-MM-DD, e.g. 2027-03-15"))
            }
        }
        guard let result, trimmedSector.isEmpty || sector != nil, problems.isEmpty else { return nil }
        return Outcome(result: result, sector: sector, date: date)
    }
}
