/// Why an incoming message was refused: it is not a message, or it goes beyond `InboundLimits`.
public struct InboundMessageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Kind: Hashable, Sendable {
        case notAMessage
        case tooLarge(bytes: Int, limit: Int)
        case tooDeep(limit: Int)
        case tooManyParts(limit: Int)
        case headerLineTooLong(limit: Int)
        case headerFieldTooLong(limit: Int)
        case tooManyHeaderFields(limit: Int)
    }

    public var kind: Kind
    /// The 1-based line of the message where the problem is, when it lies in the message's own bytes.
    public var line: Int?
    /// The MIME section (`1.2`, as IMAP numbers parts) where the problem is; empty for the message itself.
    public var section: String

    /// Creates an error.
    public init(_ kind: Kind, line: Int? = nil, section: String = "") {
        self.kind = kind
        self.line = line
        self.section = section
    }

    public var description: String {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if !section.isEmpty { place.append("part \(section)") }
        let prefix = place.isEmpty ? "" : place.joined(separator: ", ") + ": "
        switch kind {
        case .notAMessage:
            return prefix + "not an e-mail message (no header fields before the first empty line); pass the message as the mail server delivers it"
        case .tooLarge(let bytes, let limit):
            return prefix + "the message has \(bytes) bytes, more than the \(limit) accepted; calendar replies are a few kilobytes"
        case .tooDeep(let limit):
            return prefix + "parts are nested more than \(limit) levels deep"
        case .tooManyParts(let limit):
            return prefix + "the message has more than \(limit) parts"
        case .headerLineTooLong(let limit):
            return prefix + "a header line is longer than \(limit) bytes"
        case .headerFieldTooLong(let limit):
            return prefix + "a header field is longer than \(limit) bytes after unfolding"
        case .tooManyHeaderFields(let limit):
            return prefix + "more than \(limit) header fields"
        }
    }
}
