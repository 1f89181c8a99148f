/// Turns bytes in a declared charset into text. UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and
/// Windows-1252 by name; any other (or a missing) charset is read as UTF-8 when the bytes are
/// valid UTF-8 and as Windows-1252 otherwise, so text is never lost, at worst misread.
enum Charset {
    static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        switch charset?.trimmingWhitespace().lowercased() {
        case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
            return scalars(bytes) { Unicode.Scalar($0) }
        case "iso-8859-15", "iso8859-15", "latin-9", "latin9":
            return scalars(bytes) { latin9[$0] ?? Unicode.Scalar($0) }
        case "windows-1252", "cp1252", "x-cp1252":
            return scalars(bytes, windows1252)
        default:
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return scalars(bytes, windows1252)
        }
    }

    private static func scalars(_ bytes: some Collection<UInt8>, _ map: (UInt8) -> Unicode.Scalar) -> String {
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(map(byte)) }
        return String(view)
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F, which hold typographic characters.
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        guard (0x80...0x9F).contains(byte) else { return Unicode.Scalar(byte) }
        let table: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        return Unicode.Scalar(table[Int(byte - 0x80)]) ?? Unicode.Scalar(byte)
    }

    /// The eight places where ISO-8859-15 differs from Latin-1 (the euro sign among them).
    private static let latin9: [UInt8: Unicode.Scalar] = [
        0xA4: "\u{20AC}", 0xA6: "\u{0160}", 0xA8: "\u{0161}", 0xB4: "\u{017D}", 0xB8: "\u{017E}", 0xBC: "\u{0152}", 0xBD: "\u{0153}",
        0xBE: "\u{0178}",
    ]
}
