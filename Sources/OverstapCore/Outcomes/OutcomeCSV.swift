/// Reads the follow-up list a UWV or municipal consultant keeps: columns `email,result,sector,date`
/// (in Dutch `e-mail,uitkomst,sector,datum`; `resultaat` for `uitkomst` too). Every row is checked
/// and every problem reported as `FILE:LINE: field: what is wrong`; all rows or none.
public struct OutcomeCSV: Sendable {
    /// Columns every file has.
    public static let requiredColumns = ["email", "result"]
    /// Columns that may be left out (no sector; the date defaults to today).
    public static let optionalColumns = ["sector", "date"]
    /// Dutch names of the columns.
    public static let dutchColumns: [String: [String]] = [
        "email": ["e-mail", "e_mail"], "result": ["uitkomst", "resultaat"], "sector": ["sector"], "date": ["datum"],
    ]

    public let sectors: Catalogue
    /// The day outcomes without a date get, and the latest date accepted.
    public let today: LocalDate

    /// Creates a reader checking sectors against the catalogue.
    public init(sectors: Catalogue, today: LocalDate) {
        self.sectors = sectors
        self.today = today
    }

    /// One outcome and where it came from.
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var email: String
        /// The name the file gives the e-mail column, for error places.
        public var emailColumn: String
        public var outcome: Outcome
    }

    /// The column a header name stands for, or nil.
    public static func column(named raw: String) -> String? {
        let name = String(raw.trimmingWhitespace().lowercased().map { $0 == " " ? "_" : $0 })
        if (requiredColumns + optionalColumns).contains(name) { return name }
        return dutchColumns.first { $0.value.contains(name) }?.key
    }

    /// Parses a whole file; `fileName` is used in error places.
    public func parse(_ bytes: [UInt8], fileName: String) throws(InputErrors) -> [Row] {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content.removeFirst(3) }
        if WorkerCSV.looksLikeUTF16(content) || WorkerCSV.firstInvalidUTF8Line(content) != nil {
            let line = WorkerCSV.firstInvalidUTF8Line(content) ?? 1
            throw InputErrors([InputError(
                place: "\(fileName):\(line)", problem: "the file is not UTF-8",
                fix: "in Excel choose Save As → \"CSV UTF-8 (comma delimited)\" and import that file")])
        }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader(delimiter: CSVReader.detectDelimiter(in: content)).records(in: content)
        } catch {
            throw InputErrors([InputError(place: "\(fileName):\(error.line)", problem: error.message)])
        }
        guard let header = records.first else {
            throw InputErrors([InputError(
                place: fileName, problem: "the file is empty", fix: "the first line must name the columns: email,result,sector,date")])
        }
        var positions: [String: Int] = [:]
        var names: [String: String] = [:]
        var problems: [InputError] = []
        for (position, raw) in header.fields.enumerated() {
            let place = "\(fileName):\(header.line): \(raw)"
            guard let name = Self.column(named: raw) else {
                problems.append(InputError(
                    place: place, problem: "unknown column (refused: an outcome list has no free text, so no stray personal data is stored)",
                    fix: "the columns are email,result,sector,date (in Dutch e-mail,uitkomst,sector,datum); remove it"))
                continue
            }
            if let earlier = names[name] {
                problems.append(InputError(place: place, problem: "gives the same column as '\(earlier)'", fix: "keep one of the two"))
            } else {
                positions[name] = position
                names[name] = raw.trimmingWhitespace()
            }
        }
        for name in Self.requiredColumns where positions[name] == nil {
            problems.append(InputError(
                place: "\(fileName):\(header.line)", problem: "missing column '\(name)' (in Dutch '\(Self.dutchColumns[name]?.first ?? name)')"))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        var rows: [Row] = []
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            let place = "\(fileName):\(record.line)"
            guard record.fields.count == header.fields.count else {
                problems.append(InputError(
                    place: place, problem: "has \(record.fields.count) fields but the header has \(header.fields.count)",
                    fix: "put fields that contain the delimiter in double quotes"))
                continue
            }
            func value(_ name: String) -> String { positions[name].map { record.fields[$0].trimmingWhitespace() } ?? "" }
            func field(_ name: String) -> String { "\(place): \(names[name] ?? name)" }
            let email = value("email")
            var rowProblems: [InputError] = []
            if let problem = EmailAddress.problem(with: email) { rowProblems.append(InputError(place: field("email"), problem: problem)) }
            let outcome = Outcome.parse(
                result: value("result"), sector: value("sector"), date: value("date"), today: today, sectors: sectors, place: field,
                problems: &rowProblems)
            problems += rowProblems
            guard rowProblems.isEmpty, let outcome else { continue }
            let key = "\(email.lowercased())|\(outcome.result.rawValue)|\(outcome.sector ?? "")|\(outcome.date)"
            if let earlier = firstLine[key] {
                problems.append(InputError(place: place, problem: "repeats line \(earlier)", fix: "keep one row per outcome"))
                continue
            }
            firstLine[key] = record.line
            rows.append(Row(line: record.line, email: email, emailColumn: names["email"] ?? "email", outcome: outcome))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return rows
    }
}
