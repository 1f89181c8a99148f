import Foundation

/// Prints values as JSON with the key order and formatting DESIGN.md asks for.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        write(Array(try encoded(value).utf8))
    }

    /// `value` as printed, without the final line break.
    static func encoded<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Writes finished JSON and a line break to standard output.
    static func write(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes) + Data("\n".utf8))
    }
}

/// JSON text written piece by piece in exactly the bytes `JSONOutput` prints, for lists of
/// two-field records at the top level of an object: `match --json` has 100,000 of them, which
/// JSONEncoder takes a quarter of a second for.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) {
        bytes += text.utf8
    }

    /// A list, one level deep, of objects with two string members whose keys are in sorted order.
    mutating func records<Record>(_ records: [Record], keys: (String, String), values: (Record) -> (String, String)) {
        precondition(keys.0 < keys.1, "members are printed in sorted order")
        guard !records.isEmpty else { return raw("[\n\n  ]") }
        raw("[\n")
        for (index, record) in records.enumerated() {
            let (first, second) = values(record)
            raw(index == 0 ? "    {\n      " : ",\n    {\n      ")
            string(keys.0)
            raw(" : ")
            string(first)
            raw(",\n      ")
            string(keys.1)
            raw(" : ")
            string(second)
            raw("\n    }")
        }
        raw("\n  ]")
    }

    /// A JSON string, escaped as JSONEncoder escapes it (slashes kept).
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case ..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes += "\\u00".utf8
                bytes += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
