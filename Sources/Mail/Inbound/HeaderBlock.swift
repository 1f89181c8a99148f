import Foundation

/// The header fields of one entity (the message or a part), unfolded, and where its body starts.
struct HeaderBlock {
    struct Field {
        var name: String
        var value: String
    }

    var fields: [Field] = []
    /// The offset of the first body byte (after the empty line), or the end of the entity.
    var bodyStart: Int

    /// The value of the first field named `name` (case-insensitive): the topmost, which for
    /// trace fields such as `Authentication-Results` is the one the last server added.
    func first(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Reads the header fields at the start of `range`. Lines without a colon are skipped (real
    /// mail has them); an mbox `From ` line is skipped when it comes first and `allowMboxLine`.
    static func read(
        _ bytes: [UInt8], _ range: Range<Int>, limits: InboundLimits, firstLine: Int?, allowMboxLine: Bool, section: String = ""
    ) throws(InboundMessageError) -> HeaderBlock {
        var block = HeaderBlock(bodyStart: range.upperBound)
        var name: String?
        var value: [UInt8] = []
        var position = range.lowerBound
        var lineNumber = (firstLine ?? 1) - 1

        func flush() throws(InboundMessageError) {
            guard let current = name else { return }
            guard block.fields.count < limits.maximumHeaderFields else {
                throw InboundMessageError(.tooManyHeaderFields(limit: limits.maximumHeaderFields), line: firstLine.map { _ in lineNumber }, section: section)
            }
            block.fields.append(Field(name: current, value: HeaderText.decodeBytes(value[...]).trimmingWhitespace()))
            name = nil
            value.removeAll(keepingCapacity: true)
        }

        while position < range.upperBound {
            lineNumber += 1
            let newline = bytes[position..<range.upperBound].firstIndex(of: 10) ?? range.upperBound
            var end = newline
            if end > position, bytes[end - 1] == 13 { end -= 1 }
            let next = min(newline + 1, range.upperBound)
            if end == position {
                block.bodyStart = next
                try flush()
                return block
            }
            guard end - position <= limits.maximumHeaderLine else {
                throw InboundMessageError(.headerLineTooLong(limit: limits.maximumHeaderLine), line: firstLine.map { _ in lineNumber }, section: section)
            }
            let line = bytes[position..<end]
            let first = line[line.startIndex]
            if first == 32 || first == 9 {
                if name != nil {
                    guard value.count + line.count <= limits.maximumHeaderField else {
                        throw InboundMessageError(.headerFieldTooLong(limit: limits.maximumHeaderField), line: firstLine.map { _ in lineNumber }, section: section)
                    }
                    value.append(contentsOf: line)
                }
            } else {
                try flush()
                let isMbox = allowMboxLine && position == range.lowerBound && line.starts(with: Array("From ".utf8))
                if !isMbox, let colon = line.firstIndex(of: 58), colon > line.startIndex,
                    line[line.startIndex..<colon].allSatisfy({ $0 > 32 && $0 < 127 })
                {
                    name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                    value.append(contentsOf: line[(colon + 1)...])
                }
            }
            position = next
        }
        try flush()
        return block
    }
}

/// Small readers for structured header text: comments, parameters, encoded words.
enum HeaderText {
    /// Header bytes as text: UTF-8 where valid (RFC 6532), otherwise each byte as Latin-1.
    static func decodeBytes(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// The text with `( … )` comments (nested, with `\` escapes) removed, quoted strings kept.
    static func removingComments(_ text: String) -> String {
        var result = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for character in text {
            if escaped {
                escaped = false
                if depth == 0 { result.append(character) }
                continue
            }
            switch character {
            case "\\" where quoted || depth > 0:
                escaped = true
                if depth == 0 { result.append(character) }
            case "\"" where depth == 0:
                quoted.toggle()
                result.append(character)
            case "(" where !quoted:
                depth += 1
            case ")" where !quoted && depth > 0:
                depth -= 1
                if depth == 0 { result.append(" ") }
            default:
                if depth == 0 { result.append(character) }
            }
        }
        return result
    }

    /// A media type or disposition with its parameters: `text/calendar; method=REPLY; charset="utf-8"`
    /// → (`text/calendar`, [`method`: `REPLY`, `charset`: `utf-8`]). Names are lower case; RFC 2231
    /// continuations and charsets (`filename*=UTF-8''%E2%82%AC.ics`) and RFC 2047 words are decoded.
    static func parameters(_ text: String) -> (value: String, parameters: [String: String]) {
        let pieces = splitUnquoted(removingComments(text), on: ";")
        let value = pieces.first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        var plain: [String: String] = [:]
        var extended: [String: [(index: Int, encoded: Bool, text: String)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let rawName = piece[..<equals].trimmingWhitespace().lowercased()
            let rawValue = unquote(piece[piece.index(after: equals)...].trimmingWhitespace())
            guard !rawName.isEmpty else { continue }
            if let star = rawName.firstIndex(of: "*") {
                let base = String(rawName[..<star])
                let rest = rawName[rawName.index(after: star)...]
                let encoded = rest.hasSuffix("*") || rest.isEmpty
                let index = Int(rest.filter { $0 != "*" }) ?? 0
                extended[base, default: []].append((index, encoded, rawValue))
            } else if plain[rawName] == nil {
                plain[rawName] = rawValue.contains("=?") ? EncodedWords.decode(rawValue) : rawValue
            }
        }
        for (name, segments) in extended {
            var bytes: [UInt8] = []
            var charset = "utf-8"
            for (position, segment) in segments.sorted(by: { $0.index < $1.index }).enumerated() {
                var text = Substring(segment.text)
                if segment.encoded && position == 0 {
                    let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 {
                        charset = parts[0].isEmpty ? charset : parts[0].lowercased()
                        text = parts[2]
                    }
                }
                bytes += segment.encoded ? percentDecoded(text) : Array(text.utf8)
            }
            plain[name] = Charset.decode(bytes, charset: charset)
        }
        return (value, plain)
    }

    /// Splits at `separator` outside quoted strings.
    static func splitUnquoted(_ text: String, on separator: Character) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var quoted = false
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == separator && !quoted {
                pieces.append(text[start..<index])
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        pieces.append(text[start...])
        return pieces
    }

    /// A quoted string's content with `\` escapes resolved; other text as it is.
    static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var result = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == 37, index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return bytes
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}

extension StringProtocol {
    /// The text without spaces, tabs and line ends at either end.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
