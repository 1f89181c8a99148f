/// Reads the worker CSV that municipalities and UWV export: checks every row and returns all
/// workers, or every problem as `FILE:LINE: field: what is wrong` (all or nothing).
public struct WorkerCSV: Sendable {
    /// The columns a file may have; the first eight are required.
    public static let requiredColumns = ["email", "name", "sector", "targets", "region", "languages", "availability", "status"]
    /// Columns that may be left out.
    public static let optionalColumns = ["available_from", "available_until", "locale"]
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

    /// Parses a whole file; `fileName` is used in error places.
    public func parse(_ bytes: [UInt8], fileName: String) throws(InputErrors) -> [Row] {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content.removeFirst(3) }
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
        let columns = try columnIndex(header, fileName: fileName)
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
            let worker = parseRow(record.fields, columns: columns, place: place, problems: &rowProblems)
            problems.append(contentsOf: rowProblems)
            guard rowProblems.isEmpty, let worker else { continue }
            let key = worker.email.lowercased()
            if let earlier = firstLineOfEmail[key] {
                problems.append(InputError(
                    place: "\(place): email", problem: "'\(worker.email)' already appears on line \(earlier)",
                    fix: "keep one row per person"))
                continue
            }
            firstLineOfEmail[key] = record.line
            rows.append(Row(line: record.line, worker: worker))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return rows
    }

    private func columnIndex(_ header: CSVReader.Record, fileName: String) throws(InputErrors) -> [String: Int] {
        var index: [String: Int] = [:]
        var problems: [InputError] = []
        let known = Self.requiredColumns + Self.optionalColumns
        for (position, raw) in header.fields.enumerated() {
            let name = raw.trimmingWhitespace().lowercased()
            if !known.contains(name) {
                problems.append(InputError(
                    place: "\(fileName):\(header.line): \(raw)", problem: "unknown column (refused so no stray personal data is stored)",
                    fix: "remove it; the columns are \(known.joined(separator: ","))"))
            } else if index[name] != nil {
                problems.append(InputError(place: "\(fileName):\(header.line): \(name)", problem: "column appears twice"))
            } else {
                index[name] = position
            }
        }
        for name in Self.requiredColumns where index[name] == nil {
            problems.append(InputError(place: "\(fileName):\(header.line)", problem: "missing column '\(name)'"))
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return index
    }

    private func parseRow(_ fields: [String], columns: [String: Int], place: String, problems: inout [InputError]) -> Worker? {
        func value(_ name: String) -> String {
            columns[name].map { fields[$0].trimmingWhitespace() } ?? ""
        }
        func report(_ field: String, _ problem: String, fix: String? = nil) {
            problems.append(InputError(place: "\(place): \(field)", problem: problem, fix: fix))
        }
        func code(_ catalogue: Catalogue, _ text: String, field: String) -> String? {
            do { return try catalogue.validate(text, place: "\(place): \(field)") } catch {
                problems.append(error)
                return nil
            }
        }
        let email = value("email")
        if let problem = EmailAddress.problem(with: email) { report("email", problem) }
        let name = value("name")
        if name.isEmpty { report("name", "is empty") }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            report("name", "contains a line break or control character", fix: "names must be one line of text")
        }
        let sector = code(sectors, value("sector"), field: "sector")
        let targetCodes = value("targets").split(separator: "|").map { $0.trimmingWhitespace() }
        if targetCodes.isEmpty { report("targets", "is empty", fix: "list sector codes separated by |, e.g. zorg|techniek") }
        let targets = targetCodes.compactMap { code(sectors, $0, field: "targets") }
        let region = code(regions, value("region"), field: "region")
        let languages = value("languages").split(separator: "|").map { $0.trimmingWhitespace().lowercased() }
        if languages.isEmpty { report("languages", "is empty", fix: "list language codes separated by |, e.g. nl|en") }
        for language in languages where !LanguageCode.isValid(language) {
            report("languages", "'\(language)' is not a language code", fix: "use ISO 639-1 codes such as nl, en, pl")
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
                report("availability", "'\(trimmed)' is not a weekly window", fix: "write e.g. di 18:00-21:00 (ma di wo do vr za zo or mon..sun)")
            }
        }
        let from = date(value("available_from"), field: "available_from", report: report)
        let until = date(value("available_until"), field: "available_until", report: report)
        if let from, let until, until < from {
            report("available_until", "\(until) is before available_from \(from)")
        }
        let status = WorkerStatus(rawValue: value("status").lowercased())
        if status == nil { report("status", "'\(value("status"))' is not a status", fix: "use unemployed or at_risk") }
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
