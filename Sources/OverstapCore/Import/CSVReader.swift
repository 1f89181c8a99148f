/// A small RFC 4180 reader that keeps the physical line each record starts on, so every import
/// error can name `FILE:LINE`. It never traps on bad input: problems come back as errors.
public struct CSVReader: Sendable {
    /// One record and the 1-based physical line it starts on.
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]
    }

    /// A malformed record.
    public struct Problem: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    public let delimiter: UInt8

    /// Creates a reader for `,` or `;`.
    public init(delimiter: UInt8) { self.delimiter = delimiter }

    /// Chooses `;` or `,` from the header line: whichever occurs more often outside quotes.
    public static func detectDelimiter(in bytes: [UInt8]) -> UInt8 {
        var commas = 0
        var semicolons = 0
        var quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ",") { commas += 1 }
            if byte == UInt8(ascii: ";") { semicolons += 1 }
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
    }

    /// Splits UTF-8 text into records; blank lines are skipped.
    public func records(in bytes: [UInt8]) throws(Problem) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = 0
        var inQuotes = false
        var fieldWasQuoted = false
        let quote = UInt8(ascii: "\"")
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < bytes.count && bytes[index + 1] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
            } else if byte == quote {
                guard field.isEmpty && !fieldWasQuoted else {
                    throw Problem(line: line, message: "a quote inside an unquoted field; put the whole field in quotes and double the quote (\"\")")
                }
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == delimiter {
                endField()
            } else if byte == cr || byte == lf {
                if byte == cr && index + 1 < bytes.count && bytes[index + 1] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            } else {
                guard !fieldWasQuoted else {
                    throw Problem(line: line, message: "text after a closing quote; put the whole field in quotes")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw Problem(line: recordLine, message: "a quoted field is never closed; add the closing quote (\")")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }
}
