import Foundation

/// RFC 2047 encoded words (`=?UTF-8?Q?Jos=C3=A9?=`) in display names and file names.
enum EncodedWords {
    /// Longer than RFC 2047's 75 characters, for senders that ignore it.
    static let maximumWord = 200

    /// The text with every well-formed encoded word decoded; white space between two adjacent
    /// words is dropped (RFC 2047 §6.2), malformed words stay as written.
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = ""
        var pendingSpace = ""
        var lastWasEncoded = false
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (decoded, remainder) = word(rest) {
                if !lastWasEncoded { result += pendingSpace }
                pendingSpace = ""
                result += decoded
                lastWasEncoded = true
                rest = remainder
                continue
            }
            let character = rest.removeFirst()
            if character == " " || character == "\t" {
                pendingSpace.append(character)
                continue
            }
            result += pendingSpace
            pendingSpace = ""
            result.append(character)
            lastWasEncoded = false
        }
        return result + pendingSpace
    }

    /// One word at the start of `text`: its decoded text and what follows it.
    private static func word(_ text: Substring) -> (String, Substring)? {
        // RFC 2047 words are at most 75 characters; looking no further keeps long junk linear.
        let window = text.prefix(maximumWord)
        let body = window.dropFirst(2)
        let fields = body.split(separator: "?", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, fields[1].count == 1, let end = fields[2].range(of: "?=") else { return nil }
        let payload = fields[2][..<end.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let charset = fields[0].split(separator: "*").first.map(String.init)
        let bytes: [UInt8]
        switch fields[1].uppercased() {
        case "B": bytes = TransferEncoding.base64(ArraySlice(payload.utf8))
        case "Q": bytes = TransferEncoding.quotedPrintable(ArraySlice(payload.utf8.map { $0 == 95 ? 32 : $0 }))
        default: return nil
        }
        return (Charset.decode(bytes, charset: charset), text[end.upperBound...])
    }
}
