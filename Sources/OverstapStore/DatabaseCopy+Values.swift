import Foundation
import GRDB
import NIOCore
import OverstapCore
import PostgresNIO

extension DatabaseCopy {
    /// What a column holds on the PostgreSQL side, which decides how a SQLite value converts.
    enum ColumnKind: Sendable, Equatable {
        /// `timestamptz` (or `timestamp`): SQLite holds GRDB's UTC text `YYYY-MM-DD HH:MM:SS.SSS`.
        case instant(withZone: Bool)
        /// `boolean`: SQLite holds 0 or 1.
        case flag
        /// `bigint`, `integer`, `smallint`.
        case integer
        /// `double precision`, `real`, `numeric`.
        case real
        /// `bytea`.
        case bytes
        /// `text` and anything else PostgreSQL reads from text as it is.
        case text

        init(dataType: String) {
            switch dataType {
            case "timestamp with time zone": self = .instant(withZone: true)
            case "timestamp without time zone": self = .instant(withZone: false)
            case "boolean": self = .flag
            case "bigint", "integer", "smallint": self = .integer
            case "double precision", "real", "numeric": self = .real
            case "bytea": self = .bytes
            default: self = .text
            }
        }

        /// The expression that reads `column` back for the comparison, in the form `Value` decodes.
        func readBack(_ column: String) -> String {
            let quoted = "\"\(column)\""
            switch self {
            case .instant: return "(extract(epoch FROM \(quoted)) * 1000000)::bigint"
            case .flag: return quoted
            case .integer: return "\(quoted)::bigint"
            case .real: return "\(quoted)::float8"
            case .bytes, .text: return "\(quoted)::text"
            }
        }
    }

    /// One value after conversion, as both sides are compared: an instant as microseconds since 1970 (UTC).
    enum Value: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case flag(Bool)
        case instant(Int64)
        case text(String)

        /// A SQLite value converted for a column of `kind`; nil when it does not fit.
        init?(sqlite value: DatabaseValue, as kind: ColumnKind) {
            switch (value.storage, kind) {
            case (.null, _): self = .null
            case (.string(let text), .instant): guard let micros = Self.microseconds(text) else { return nil }; self = .instant(micros)
            case (.int64(let number), .flag): guard number == 0 || number == 1 else { return nil }; self = .flag(number == 1)
            case (.int64(let number), .integer): self = .integer(number)
            case (.int64(let number), .real): self = .real(Double(number))
            case (.double(let number), .real): self = .real(number)
            case (.blob(let data), .bytes): self = .text("\\x" + data.map { String(format: "%02x", $0) }.joined())
            case (.string(let text), .text): self = .text(text)
            case (.int64(let number), .text): self = .text(String(number))
            case (.double(let number), .text): self = .text(String(number))
            default: return nil
            }
        }

        /// A value PostgreSQL returned for `kind.readBack`.
        init(postgres cell: PostgresCell, as kind: ColumnKind) throws {
            switch kind {
            case .instant: self = try cell.decode(Int64?.self).map(Value.instant) ?? .null
            case .flag: self = try cell.decode(Bool?.self).map(Value.flag) ?? .null
            case .integer: self = try cell.decode(Int64?.self).map(Value.integer) ?? .null
            case .real: self = try cell.decode(Double?.self).map(Value.real) ?? .null
            case .bytes, .text: self = try cell.decode(String?.self).map(Value.text) ?? .null
            }
        }

        /// Writes the value in COPY's text format: `\N` for NULL, tab, newline, carriage return
        /// and backslash escaped.
        func writeCopyText(into buffer: inout ByteBuffer, as kind: ColumnKind) {
            switch self {
            case .null: buffer.writeStaticString("\\N")
            case .integer(let number): buffer.writeString(String(number))
            case .real(let number): buffer.writeString(number.description)
            case .flag(let flag): buffer.writeStaticString(flag ? "t" : "f")
            case .instant(let micros):
                buffer.writeString(Self.timestamp(micros))
                if case .instant(withZone: true) = kind { buffer.writeStaticString("+00") }
            case .text(let text):
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            }
        }

        /// Microseconds since 1970 of GRDB's date text `YYYY-MM-DD HH:MM:SS.SSS` (UTC); also takes
        /// a `T` separator, no seconds, no fraction, up to six fraction digits and a final `Z`.
        static func microseconds(_ text: String) -> Int64? {
            var bytes = Array(text.utf8)
            if bytes.last == UInt8(ascii: "Z") { bytes.removeLast() }
            func number(_ start: Int, _ count: Int) -> Int64? {
                guard start + count <= bytes.count else { return nil }
                var value: Int64 = 0
                for byte in bytes[start..<start + count] {
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                }
                return value
            }
            guard bytes.count >= 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
                let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                let minute = number(14, 2), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
            else { return nil }
            var second: Int64 = 0
            var fraction: Int64 = 0
            if bytes.count > 16 {
                guard bytes[16] == UInt8(ascii: ":"), let parsed = number(17, 2), parsed < 60 else { return nil }
                second = parsed
                if bytes.count > 19 {
                    let digits = bytes.count - 20
                    guard bytes[19] == UInt8(ascii: "."), (1...6).contains(digits), let parsed = number(20, digits) else { return nil }
                    fraction = parsed
                    for _ in digits..<6 { fraction *= 10 }
                }
            } else if bytes.count != 16 {
                return nil
            }
            let days = Int64(LocalDate(year: Int(year), month: Int(month), day: Int(day)).daysSinceEpoch)
            return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + fraction
        }

        /// `YYYY-MM-DD HH:MM:SS.ffffff` of microseconds since 1970 (UTC).
        static func timestamp(_ micros: Int64) -> String {
            let perDay: Int64 = 86_400_000_000
            var days = micros / perDay
            var rest = micros % perDay
            if rest < 0 {
                days -= 1
                rest += perDay
            }
            let date = LocalDate(daysSinceEpoch: Int(days))
            let (year, month, day) = (Int64(date.year), Int64(date.month), Int64(date.day))
            let seconds = rest / 1_000_000
            func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
            var fraction = String(rest % 1_000_000)
            fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
            let yearText = String(year)
            return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-\(two(month))-\(two(day)) "
                + "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)).\(fraction)"
        }
    }
}
