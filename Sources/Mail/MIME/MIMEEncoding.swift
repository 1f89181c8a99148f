import Foundation

/// The transfer and header encodings a message needs so that no line exceeds 998 octets, every
/// header stays one header, and non-ASCII text survives 7-bit relays.
enum MIMEEncoding {
    static let crlf: [UInt8] = [13, 10]

    /// Text with every control character (CR and LF included) replaced by a space, so data can
    /// never start a new header line.
    static func headerSafe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: breaksHeader) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { breaksHeader($0) ? " " : $0 }))
    }

    /// A control character (general category Cc, which Unicode's stability policy fixes as
    /// U+0000–U+001F and U+007F–U+009F) or a line or paragraph separator.
    static func breaksHeader(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// RFC 5322 §2.1.1: a header line SHOULD NOT be longer than 78 octets without its CRLF.
    static let maximumHeaderLine = 78
    /// UTF-8 octets per encoded word: 52 base64 characters, a 64-character word, which fits
    /// after any header name we write (`Subject: ` leaves 69).
    static let encodedWordOctets = 39

    /// A whole unstructured header (`Subject: …`), folded at whitespace into lines of at most 78
    /// octets. Plain ASCII stays readable; non-ASCII text, or a word too long for one line, becomes
    /// RFC 2047 encoded words that never split a character. Nothing is ever cut off.
    static func unstructured(_ name: String, _ text: String) -> String {
        let safe = headerSafe(text)
        if safe.unicodeScalars.allSatisfy(\.isASCII) {
            let pieces = whitespacePieces(safe)
            if fits(name, pieces) { return fold(name, pieces) }
        }
        return fold(name, encodedWordPieces(safe))
    }

    /// A whole address header (`To: "Name" <address>`), folded like `unstructured`: an ASCII
    /// display name is a quoted string folded at its spaces (RFC 5322 allows folding white space
    /// inside one), other names are encoded words.
    static func mailbox(_ name: String, displayName: String?, address: String) -> String {
        let addressPiece = "<\(address)>"
        guard let displayName, !displayName.trimmingCharacters(in: .whitespaces).isEmpty else { return fold(name, [addressPiece]) }
        let safe = headerSafe(displayName)
        if safe.unicodeScalars.allSatisfy(\.isASCII) {
            let escaped = !safe.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") } ? safe
                : safe.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            var quoted = whitespacePieces(escaped)
            quoted[0] = "\"" + quoted[0]
            quoted[quoted.count - 1] += "\""
            if fits(name, quoted) { return fold(name, quoted + [" " + addressPiece]) }
        }
        return fold(name, encodedWordPieces(safe) + [" " + addressPiece])
    }

    /// `=?UTF-8?B?…?=` words, each holding whole characters and at most `encodedWordOctets` of
    /// UTF-8. A word ends after a space where one is near, not inside a word: some mail programs
    /// show a space wherever one encoded word ends, although RFC 2047 §6.2 says to join them.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [Character] = []
        var octets = 0
        for character in text {
            let size = character.utf8.count
            if octets + size > encodedWordOctets, !chunk.isEmpty {
                let cut = chunk.lastIndex(of: " ").map { $0 + 1 } ?? chunk.count
                words.append(encodedWord(chunk[..<cut]))
                chunk.removeFirst(cut)
                octets = chunk.reduce(0) { $0 + $1.utf8.count }
            }
            chunk.append(character)
            octets += size
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk[...])) }
        return words
    }

    private static func encodedWord(_ characters: ArraySlice<Character>) -> String {
        var word = Array("=?UTF-8?B?".utf8)
        Base64.encode(Array(String(characters).utf8), into: &word)
        word += Array("?=".utf8)
        return String(decoding: word, as: UTF8.self)
    }

    /// Encoded words as fold pieces: white space between encoded words is not part of the text
    /// (RFC 2047 §6.2), so each may start a line.
    private static func encodedWordPieces(_ text: String) -> [String] {
        encodedWords(text).enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }

    /// The text cut before each run of spaces that follows a word, so that every piece after the
    /// first starts with white space (where a fold may go) and none is white space only.
    private static func whitespacePieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var sawWord = false
        for character in text {
            if character == " " || character == "\t" {
                if sawWord {
                    pieces.append(current)
                    current = ""
                    sawWord = false
                }
            } else {
                sawWord = true
            }
            current.append(character)
        }
        if !current.isEmpty {
            if !sawWord, let last = pieces.popLast() { current = last + current }
            pieces.append(current)
        }
        return pieces.isEmpty ? [""] : pieces
    }

    /// Whether every piece fits a line of its own (the first after the header name).
    private static func fits(_ name: String, _ pieces: [String]) -> Bool {
        pieces.enumerated().allSatisfy { index, piece in
            (index == 0 ? name.utf8.count + 2 : 0) + piece.utf8.count <= maximumHeaderLine
        }
    }

    /// `Name: ` and the pieces, with a CRLF before each piece that would make its line too long
    /// (RFC 5322 §2.2.3: unfolding removes only the CRLF, so the text stays the same).
    private static func fold(_ name: String, _ pieces: [String]) -> String {
        var lines: [String] = []
        var line = name + ":"
        for (index, piece) in pieces.enumerated() {
            let text = index == 0 ? " " + piece : piece
            if index > 0, line.utf8.count + text.utf8.count > maximumHeaderLine {
                lines.append(line)
                line = text
            } else {
                line += text
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// Quoted-printable (RFC 2045): line ends (CRLF, or a lone CR or LF) become CRLF, lines at
    /// most 76 characters. One pass over the UTF-8 bytes: it runs for every part of every message.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        var length = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 13 || byte == 10 {
                if byte == 13, index < bytes.count, bytes[index] == 10 { index += 1 }
                output.append(13)
                output.append(10)
                length = 0
                continue
            }
            let isLast = index == bytes.count || bytes[index] == 13 || bytes[index] == 10
            let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
            if length + (literal ? 1 : 3) > 75 {
                output.append(UInt8(ascii: "="))
                output.append(13)
                output.append(10)
                length = 0
            }
            if literal {
                output.append(byte)
                length += 1
            } else {
                output.append(UInt8(ascii: "="))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 15)])
                length += 3
            }
        }
        return output
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        Base64.encode(bytes, lineLength: 76, into: &output)
        return output
    }

    /// The `Date` header format of RFC 5322 in UTC, by arithmetic on the civil calendar (one per
    /// message: `Calendar` and `String(format:)` cost more than the rest of the headers).
    static func date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        // Howard Hinnant's days-to-civil: eras of 400 years, years starting on 1 March.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4, counting Sunday as 0)
        let days3 = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(days3[weekday]), \(padded(day, 2)) \(months[month - 1]) \(padded(year, 4)) "
            + "\(padded(time / 3_600, 2)):\(padded(time / 60 % 60, 2)):\(padded(time % 60, 2)) +0000"
    }
}
