import Foundation

/// The transfer and header encodings a message needs so that no line exceeds 998 octets, every
/// header stays one header, and non-ASCII text survives 7-bit relays.
enum MIMEEncoding {
    static let crlf: [UInt8] = [13, 10]

    /// Text with every control character (CR and LF included) replaced by a space, so data can
    /// never start a new header line.
    static func headerSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// An unstructured header value (`Subject`): plain ASCII folded at spaces, otherwise RFC 2047
    /// encoded words of at most 75 characters that never split a UTF-8 character.
    static func unstructured(_ text: String) -> String {
        let safe = headerSafe(text)
        if safe.unicodeScalars.allSatisfy(\.isASCII) { return foldASCII(safe) }
        return encodedWords(safe).joined(separator: "\r\n ")
    }

    /// A display name: a quoted string when ASCII, else encoded words.
    static func displayName(_ name: String) -> String {
        let safe = headerSafe(name)
        if safe.unicodeScalars.allSatisfy(\.isASCII) {
            let escaped = safe.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
        return encodedWords(safe).joined(separator: "\r\n ")
    }

    /// `=?UTF-8?B?…?=` words, each holding whole characters and at most 45 bytes of UTF-8.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words
    }

    /// ASCII folded at spaces into lines of about 78 characters (a word longer than that stays whole,
    /// which is still far below 998 for any sane input; longer words are cut).
    static func foldASCII(_ text: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let piece = String(word.prefix(900))
            if !line.isEmpty, line.count + 1 + piece.count > 76 {
                lines.append(line)
                line = piece
            } else {
                line = line.isEmpty && lines.isEmpty ? piece : line + " " + piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045): line ends become CRLF, lines at most 76 characters.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output: [UInt8] = []
        for (index, line) in normalised.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { output += crlf }
            let bytes = Array(line.utf8)
            var length = 0
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
                let token: [UInt8] = literal ? [byte] : Array(String(format: "=%02X", byte).utf8)
                if length + token.count > 75 {
                    output += [UInt8(ascii: "=")] + crlf
                    length = 0
                }
                output += token
                length += token.count
            }
        }
        return output
    }

    /// Base64 in lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        Array(Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]).utf8)
    }

    /// The `Date` header format of RFC 5322 in UTC.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d +0000", days[parts.weekday! - 1], parts.day!, months[parts.month! - 1], parts.year!,
            parts.hour!, parts.minute!, parts.second!)
    }
}
