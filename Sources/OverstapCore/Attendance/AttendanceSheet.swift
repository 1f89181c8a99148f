/// Reads the attendance list a trainer hands back: one person per line, a roster row number or an
/// e-mail address first and the mark last (`ja`/`nee`, `yes`/`no`, `1`/`0`); columns between (a
/// name) are ignored. A header line is optional, in English or Dutch (`nr;naam;aanwezig`). All lines or none: every
/// problem comes back as `FILE:LINE: field: what is wrong`.
public struct AttendanceSheet: Sendable {
    /// One line of the list.
    public struct Line: Equatable, Sendable {
        /// Where it came from, for errors: `FILE:LINE`.
        public var place: String
        public var who: AttendeeReference
        public var presence: Presence
    }

    /// Names the first column may have in a header.
    public static let whoColumns = ["row", "nr", "no", "number", "nummer", "rij", "regel", "email", "e-mail", "e_mail", "deelnemer", "participant"]
    /// Names the last column may have in a header.
    public static let markColumns = ["attended", "present", "presence", "aanwezig", "aanwezigheid", "status"]

    /// Creates a reader.
    public init() {}

    /// Parses a whole file; `fileName` is used in error places.
    public func parse(_ bytes: [UInt8], fileName: String) throws(InputErrors) -> [Line] {
        var content = bytes
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content.removeFirst(3) }
        if WorkerCSV.looksLikeUTF16(content) || WorkerCSV.firstInvalidUTF8Line(content) != nil {
            throw InputErrors([InputError(
                place: "\(fileName):\(WorkerCSV.firstInvalidUTF8Line(content) ?? 1)", problem: "the file is not UTF-8",
                fix: "in Excel choose Save As → \"CSV UTF-8 (comma delimited)\"")])
        }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader(delimiter: CSVReader.detectDelimiter(in: content)).records(in: content)
        } catch {
            throw InputErrors([InputError(place: "\(fileName):\(error.line)", problem: error.message)])
        }
        guard let first = records.first else {
            throw InputErrors([InputError(place: fileName, problem: "the file is empty", fix: "one line per person: row number or e-mail, then ja or nee")])
        }
        var problems: [InputError] = []
        var body = records[...]
        var names = (who: "row or e-mail", mark: "attended")
        // The first column holds a row number or an address; anything else on the first line names columns.
        if first.fields.count >= 2, case .failure = AttendeeReference.parse(first.fields[0]) {
            body = records.dropFirst()
            let who = first.fields[0].trimmingWhitespace()
            let mark = first.fields[first.fields.count - 1].trimmingWhitespace()
            names = (who, mark)
            if !Self.whoColumns.contains(who.lowercased()) {
                problems.append(InputError(
                    place: "\(fileName):\(first.line): \(who)", problem: "is not a column of an attendance list",
                    fix: "name the first column nr (the roster row) or e-mail"))
            }
            if !Self.markColumns.contains(mark.lowercased()) {
                problems.append(InputError(
                    place: "\(fileName):\(first.line): \(mark)", problem: "is not a column of an attendance list", fix: "name the last column aanwezig (or attended)"))
            }
        }
        var lines: [Line] = []
        var firstLineOf: [AttendeeReference: Int] = [:]
        for record in body {
            let place = "\(fileName):\(record.line)"
            guard record.fields.count >= 2 else {
                problems.append(InputError(
                    place: place, problem: "has \(record.fields.count) field; a line needs the person and the mark",
                    fix: "write e.g. 3,ja or anouk@example.nl,nee"))
                continue
            }
            let mark = record.fields[record.fields.count - 1]
            let presence = Presence(mark: mark)
            if presence == nil {
                problems.append(InputError(place: "\(place): \(names.mark)", problem: "'\(mark.trimmingWhitespace())' is not a mark", fix: "write \(Presence.marks)"))
            }
            switch AttendeeReference.parse(record.fields[0]) {
            case .failure(let error):
                problems.append(InputError(place: "\(place): \(names.who)", problem: error.problem, fix: error.fix))
            case .success(let who):
                let key = Self.normalised(who)
                if let earlier = firstLineOf[key] {
                    problems.append(InputError(place: "\(place): \(names.who)", problem: "\(who) already appears on line \(earlier)", fix: "keep one line per person"))
                } else if let presence {
                    firstLineOf[key] = record.line
                    lines.append(Line(place: place, who: who, presence: presence))
                }
            }
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        return lines
    }

    /// Addresses compare ignoring case.
    static func normalised(_ who: AttendeeReference) -> AttendeeReference {
        if case .email(let address) = who { return .email(address.lowercased()) }
        return who
    }
}
