/// Reads the worker CSV that municipalities and UWV export: checks every row and returns all
/// workers, or every problem as `FILE:LINE: field: what is wrong` (all or nothing). Columns may be
/// named in English or in Dutch (`e-mail`, `naam`, `doelsectoren`, …); codes in any letter case.
public struct WorkerCSV: Sendable {
    /// The columns a file may have; the first eight are required.
    public static let requiredColumns = ["email", "name", "sector", "targets", "region", "languages", "availability", "status"]
    /// Columns that may be left out.
    public static let optionalColumns = ["available_from", "available_until", "locale"]
    /// The Dutch name of every column, as a municipal export writes it.
    public static let dutchColumns: [String: String] = [
        "email": "e-mail", "name": "naam", "sector": "sector", "targets": "doelsectoren", "region": "regio",
        "languages": "talen", "availability": "beschikbaarheid", "available_from": "beschikbaar_vanaf",
        "available_until": "beschikbaar_tot", "status": "status", "locale": "correspondentietaal",
    ]
    /// Locales mails and pages exist in.
    public static let locales = ["nl", "en"]

    public let sectors: Catalogue
    public let regions: Catalogue

    /// Creates a reader that validates codes against the catalogues.
    public init(sectors: Catalogue, regions: Catalogue) {
        self.sectors = sectors
        self.regions = regions
    }

    /// A worker and the physical line it came from.
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var worker: Worker
    }

    /// What a file holds: its workers, and the columns left out unread.
    public struct Contents: Equatable, Sendable {
        public var rows: [Row]
        /// Unknown columns skipped with `skipUnknownColumns`, as named in the header.
        public var skippedColumns: [String]
    }

    /// Parses a whole file; `fileName` is used in error places.
    public func parse(_ bytes: [UInt8], fileName: String) throws(InputErrors) -> [Row] {
        try read(bytes, fileName: fileName, skipUnknownColumns: false).rows
    }

    /// Parses a whole file; with `skipUnknownColumns` a column Overstap does not know (BSN, phone)
    /// is left out without reading a value of it, else it is refused.
    public func read(_ bytes: [UInt8], fileName: String, skipUnknownColumns: Bool) throws(InputErrors) -> Contents {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content.removeFirst(3) }
        if Self.looksLikeUTF16(content) {
            throw InputErrors([InputError(
                place: "\(fileName):1", problem: "the file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8",
                fix: "in Excel choose Save As → \"CSV UTF-8 (comma delimited)\" and import that file")])
        }
        if let bad = Self.firstInvalidUTF8Line(content) {
            throw InputErrors([InputError(
                place: "\(fileName):\(bad)", problem: "the file is not UTF-8 (it looks like Excel's Windows-1252)",
                fix: "in Excel choose Save As → \"CSV UTF-8 (comma delimited)\" and import that file")])
        }
        let reader = CSVReader(delimiter: CSVReader.detectDelimiter(in: content))
        let records: [CSVReader.Record]
        do {
            records = try reader.records(in: content)
        } catch {
            throw InputErrors([InputError(place: "\(fileName):\(error.line)", problem: error.message)])
        }
        guard let header = records.first else {
            throw InputErrors([InputError(
                place: fileName, problem: "the file is empty",
                fix: "the first line must name the columns: \(Self.requiredColumns.joined(separator: ","))")])
        }
        let (columns, skipped) = try columnIndex(header, fileName: fileName, skipUnknown: skipUnknownColumns)
        var problems: [InputError] = []
        var rows: [Row] = []
        var firstLineOfEmail: [String: Int] = [:]
        rows.reserveCapacity(records.count)
        for record in records.dropFirst() {
            let place = "\(fileName):\(record.line)"
            guard record.fields.count == header.fields.count else {
                problems.append(InputError(
                    place: place,
                    problem: "has \(record.fields.count) fields but the header has \(header.fields.count)",
                    fix: "put fields that contain the delimiter in double quotes"))
                continue
            }
            var rowProblems: [InputError] = []
            let worker = parseRow(
                value: { name in columns.positions[name].map { record.fields[$0].trimmingWhitespace() } ?? "" },
                place: { "\(place): \(columns.names[$0] ?? $0)" }, label: { columns.names[$0] ?? $0 }, problems: &rowProblems)
            problems.append(contentsOf: rowProblems)
            guard rowProblems.isEmpty, let worker else { continue }
            let key = worker.email.lowercased()
            if let earlier = firstLineOfEmail[key] {
                problems.append(InputError(
                    place: "\(place): \(columns.names["email"] ?? "email")", problem: "'\(worker.email)' already appears on line \(earlier)",
                    fix: "keep one row per person"))
                continue
            }
            firstLineOfEmail[key] = record.line
            rows.append(Row(line: record.line, worker: worker))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return Contents(rows: rows, skippedColumns: skipped)
    }

    /// Where each known column is, and the name the file gives it (for error places).
    private struct Columns {
        var positions: [String: Int] = [:]
        var names: [String: String] = [:]
    }

    /// The column a header name stands for: English or Dutch, any case, spaces for underscores.
    public static func column(named raw: String) -> String? {
        let name = String(raw.trimmingWhitespace().lowercased().map { $0 == " " ? "_" : $0 })
        if (requiredColumns + optionalColumns).contains(name) { return name }
        if name == "e_mail" { return "email" }
        return dutchColumns.first { $0.value == name }?.key
    }

    private func columnIndex(
        _ header: CSVReader.Record, fileName: String, skipUnknown: Bool
    ) throws(InputErrors) -> (Columns, skipped: [String]) {
        var columns = Columns()
        var skipped: [String] = []
        var problems: [InputError] = []
        let known = Self.requiredColumns + Self.optionalColumns
        let dutch = known.compactMap { Self.dutchColumns[$0] }
        for (position, raw) in header.fields.enumerated() {
            let place = "\(fileName):\(header.line): \(raw)"
            guard let name = Self.column(named: raw) else {
                if skipUnknown {
                    skipped.append(raw)
                } else {
                    problems.append(unknownColumn(raw, place: place, known: known, dutch: dutch))
                }
                continue
            }
            if let earlier = columns.names[name] {
                problems.append(InputError(
                    place: place, problem: "gives the same column as '\(earlier)'", fix: "keep one of the two"))
            } else {
                columns.positions[name] = position
                columns.names[name] = raw.trimmingWhitespace()
            }
        }
        for name in Self.requiredColumns where columns.positions[name] == nil {
            problems.append(InputError(
                place: "\(fileName):\(header.line)", problem: "missing column '\(name)' (in Dutch '\(Self.dutchColumns[name] ?? name)')"))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return (columns, skipped)
    }

    private func unknownColumn(_ raw: String, place: String, known: [String], dutch: [String]) -> InputError {
        let problem = "unknown column (refused so no stray personal data is stored)"
        let skip = "or pass --skip-unknown-columns to leave it out unread"
        let name = raw.trimmingWhitespace().lowercased()
        if name == "taal" {
            return InputError(
                place: place, problem: "'taal' is ambiguous (in a municipal export it is a spoken language)",
                fix: "name it 'talen' for the languages someone speaks, or 'correspondentietaal' for the language of mails (nl or en)")
        }
        if let suggestion = Spelling.closest(to: name, among: known + dutch + ["e-mail"]) {
            return InputError(place: place, problem: problem, fix: "did you mean '\(suggestion)'? Rename the column, \(skip)")
        }
        return InputError(
            place: place, problem: problem,
            fix: "the columns are \(known.joined(separator: ",")) (in Dutch \(dutch.joined(separator: ","))); remove it, \(skip)")
    }

    /// Checks one person given field by field, as `worker add` takes them: `values` by column
    /// name (`email`, `available_from`, …; missing ones are empty), `placeOf` names where each
    /// column's value came from (an option). The same checks as a file's row.
    public func worker(values: [String: String], placeOf: (String) -> String) throws(InputErrors) -> Worker {
        var problems: [InputError] = []
        let worker = parseRow(
            value: { values[$0]?.trimmingWhitespace() ?? "" }, place: placeOf, label: placeOf, problems: &problems)
        guard problems.isEmpty, let worker else { throw InputErrors(problems) }
        return worker
    }

    /// Checks one row; `place` names where a column's value is (for errors), `label` how to call
    /// the column in a message.
    private func parseRow(
        value: (String) -> String, place: (String) -> String, label field: (String) -> String, problems: inout [InputError]
    ) -> Worker? {
        func report(_ name: String, _ problem: String, fix: String? = nil) {
            problems.append(InputError(place: place(name), problem: problem, fix: fix))
        }
        func code(_ catalogue: Catalogue, _ text: String, column: String) -> String? {
            do { return try catalogue.validate(text, place: place(column)) } catch {
                problems.append(error)
                return nil
            }
        }
        let email = value("email")
        if let problem = EmailAddress.problem(with: email) { report("email", problem) }
        let name = value("name")
        do { try SessionRules.singleLine(name, place: place("name"), required: true) } catch { problems.append(error) }
        let sector = code(sectors, value("sector"), column: "sector")
        let targetCodes = value("targets").split(separator: "|").map { $0.trimmingWhitespace() }
        if targetCodes.isEmpty { report("targets", "is empty", fix: "list sector codes separated by |, e.g. zorg|techniek") }
        let targets = targetCodes.compactMap { code(sectors, $0, column: "targets") }
        let region = code(regions, value("region"), column: "region")
        let languages = value("languages").split(separator: "|").map { $0.trimmingWhitespace().lowercased() }
        if languages.isEmpty { report("languages", "is empty", fix: "list language codes separated by |, e.g. nl|en") }
        for language in languages where !LanguageCode.isValid(language) {
            report("languages", "'\(language)' is not an ISO 639-1 language code", fix: "use two-letter codes such as nl, en, pl, tr, ar")
        }
        var windows: [WeeklyWindow] = []
        let availabilityText = value("availability")
        if availabilityText.isEmpty {
            report("availability", "is empty", fix: "give weekly windows such as di 18:00-21:00|za 09:00-12:30")
        }
        for part in availabilityText.split(separator: "|") {
            let trimmed = Substring(part.trimmingWhitespace())
            if let window = WeeklyWindow.parse(trimmed) {
                windows.append(window)
            } else {
                let explained = WeeklyWindow.problem(with: trimmed)
                report("availability", explained.problem, fix: explained.fix)
            }
        }
        let from = date(value("available_from"), field: "available_from", report: report)
        let until = date(value("available_until"), field: "available_until", report: report)
        if let from, let until, until < from {
            report("available_until", "\(until) is before \(field("available_from")) \(from)")
        }
        let statusText = value("status")
        let status = WorkerStatus(input: statusText)
        if status == nil {
            report("status", "'\(statusText)' is not a status", fix: "use werkloos or baan_in_gevaar (in English unemployed or at_risk)")
        }
        let localeText = value("locale").lowercased()
        let locale = localeText.isEmpty ? "nl" : localeText
        if !Self.locales.contains(locale) { report("locale", "'\(localeText)' is not supported", fix: "use nl or en") }
        guard let sector, let region, let status, targets.count == targetCodes.count else { return nil }
        return Worker(
            email: email, name: name, sector: sector, targets: Self.unique(targets), region: region,
            languages: Self.unique(languages), availability: windows, availableFrom: from, availableUntil: until,
            status: status, locale: locale)
    }

    private func date(_ text: String, field: String, report: (String, String, String?) -> Void) -> LocalDate? {
        guard !text.isEmpty else { return nil }
        guard let date = LocalDate(iso: Substring(text)) else {
            report(field, "'\(text)' is not a date", "write YYYY-MM-DD, e.g. 2027-01-15")
            return nil
        }
        return date
    }

    /// True for UTF-16 text: a UTF-16 byte order mark, or a zero byte in every other position
    /// (Latin text without a mark), which no UTF-8 CSV has.
    static func looksLikeUTF16(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return true }
        let sample = bytes.prefix(512)
        guard sample.count >= 4 else { return false }
        let zeros = sample.filter { $0 == 0 }.count
        return zeros * 3 >= sample.count
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// The 1-based line of the first byte sequence that is not UTF-8, if any.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
