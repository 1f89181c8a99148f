/// Collects bytes from the server and cuts them into complete (possibly multi-line) replies.
///
/// Replies may arrive split across reads or several in one read; the parser keeps what is not
/// complete yet. It never grows without bound: a line longer than `maximumLineLength`, or a reply
/// of more than `maximumReplyLines` lines or `maximumReplyBytes` octets, is an error (a server that
/// streams `220-` lines forever would otherwise fill the memory).
struct SMTPReplyParser {
    /// Why the server's bytes are not SMTP.
    struct MalformedReply: Error, Equatable {
        var reason: String
    }

    /// RFC 5321 allows 512 octets per reply line; leave generous room for sloppy servers.
    static let maximumLineLength = 4096
    /// An `EHLO` reply has a line per extension, a few dozen at most; a banner a few more.
    static let maximumReplyLines = 100
    /// All lines of one reply together.
    static let maximumReplyBytes = 64 * 1024

    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts; consumed bytes are dropped once per `nextReply`.
    private var readIndex = 0
    private var lines: [(code: Int, text: String)] = []
    private var replyBytes = 0

    /// Whether any byte has been received that is not yet part of a returned reply.
    var hasBufferedBytes: Bool { readIndex < buffer.count || !lines.isEmpty }

    /// Adds bytes as they came from the connection.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, nil when more bytes are needed.
    mutating func nextReply() throws(MalformedReply) -> MailReply? {
        defer { compact() }
        while let newline = buffer[readIndex...].firstIndex(of: UInt8(ascii: "\n")) {
            var end = newline
            if end > readIndex, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = Array(buffer[readIndex..<end])
            replyBytes += newline + 1 - readIndex
            readIndex = newline + 1
            let (code, isLast, text) = try Self.split(line)
            if let first = lines.first, first.code != code {
                throw MalformedReply(reason: "reply lines with different codes \(first.code) and \(code)")
            }
            lines.append((code, text))
            if isLast {
                defer {
                    lines.removeAll()
                    replyBytes = 0
                }
                return Self.reply(code: code, texts: lines.map(\.text))
            }
            if lines.count >= Self.maximumReplyLines || replyBytes > Self.maximumReplyBytes {
                throw MalformedReply(
                    reason: "a reply that did not end within \(Self.maximumReplyLines) lines or \(Self.maximumReplyBytes) octets")
            }
        }
        if buffer.count - readIndex > Self.maximumLineLength {
            throw MalformedReply(reason: "a reply line longer than \(Self.maximumLineLength) octets")
        }
        return nil
    }

    /// Drops the bytes already read, so the buffer holds at most one incomplete line.
    private mutating func compact() {
        guard readIndex > 0 else { return }
        buffer.removeFirst(readIndex)
        readIndex = 0
    }

    /// Splits `250-text` / `250 text` / `250` into its parts.
    private static func split(_ line: [UInt8]) throws(MalformedReply) -> (code: Int, isLast: Bool, text: String) {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        // Reply codes start with 2 to 5 (RFC 5321 §4.2.1); 1yz is never used by SMTP.
        guard line.count >= 3, line[0..<3].allSatisfy(digits.contains),
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0])
        else {
            throw MalformedReply(reason: "a reply line that does not start with a code: \(printable(line))")
        }
        let code = line[0..<3].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if line.count == 3 { return (code, true, "") }
        switch line[3] {
        case UInt8(ascii: " "): return (code, true, String(decoding: line[4...], as: UTF8.self))
        case UInt8(ascii: "-"): return (code, false, String(decoding: line[4...], as: UTF8.self))
        default: throw MalformedReply(reason: "a reply line with a bad separator: \(printable(line))")
        }
    }

    /// Builds the reply, taking the RFC 3463 enhanced code off the front of each line that has it.
    private static func reply(code: Int, texts: [String]) -> MailReply {
        guard let enhanced = enhancedCode(in: texts[0], replyCode: code) else {
            return MailReply(code: code, lines: texts)
        }
        let stripped = texts.map { text in
            text.hasPrefix(enhanced + " ") ? String(text.dropFirst(enhanced.count + 1))
                : text == enhanced ? "" : text
        }
        return MailReply(code: code, enhancedCode: enhanced, lines: stripped)
    }

    /// `class.subject.detail` at the start of `text`, whose class matches the reply's first digit.
    static func enhancedCode(in text: String, replyCode: Int) -> String? {
        let token = text.prefix { $0 != " " }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              parts[0] == String(replyCode / 100),
              parts[1].count >= 1, parts[1].count <= 3, parts[1].allSatisfy(\.isASCIIDigit),
              parts[2].count >= 1, parts[2].count <= 3, parts[2].allSatisfy(\.isASCIIDigit)
        else { return nil }
        return String(token)
    }

    /// A line shortened and stripped of control characters, fit for an error text.
    private static func printable(_ line: [UInt8]) -> String {
        String(decoding: line.prefix(80).map { (32..<127).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}

extension Character {
    /// 0–9 only (not other scripts' digits, which `isNumber` accepts).
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
