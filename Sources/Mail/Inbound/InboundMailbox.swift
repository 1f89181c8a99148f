/// A sender as read from a `From` header: the address (addr-spec) and the display name.
public struct InboundMailbox: Sendable, Hashable {
    /// `local@domain`, the local part as written (quotes removed where not needed), the domain in lower case.
    public var address: String
    /// The display name, quoted strings and RFC 2047 encoded words decoded; nil when absent.
    public var displayName: String?

    /// Creates a mailbox.
    public init(address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }

    /// The domain of the address, lower case.
    public var domain: String {
        address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) } ?? ""
    }

    /// Reads the first mailbox of an address header: `"Jansen, J." <j@x.nl>`, `j@x.nl (Jan)`,
    /// `=?UTF-8?Q?Jos=C3=A9?= <j@x.nl>`, `Group: j@x.nl;`. Nil when it holds no usable address.
    public static func parse(_ header: String) -> InboundMailbox? {
        let list = HeaderText.splitUnquoted(header, on: ",")
        for entry in list {
            var text = String(entry)
            if let colon = groupColon(text) { text = String(text[text.index(after: colon)...]) }
            text = String(text.prefix { $0 != ";" })
            if let mailbox = mailbox(text) { return mailbox }
        }
        return nil
    }

    private static func mailbox(_ text: String) -> InboundMailbox? {
        let clean = HeaderText.removingComments(text)
        if let open = lastUnquoted("<", in: clean), let close = clean[open...].firstIndex(of: ">") {
            var spec = String(clean[clean.index(after: open)..<close])
            if spec.hasPrefix("@"), let colon = spec.firstIndex(of: ":") { spec = String(spec[spec.index(after: colon)...]) }
            guard let address = addrSpec(spec) else { return nil }
            let name = EncodedWords.decode(HeaderText.unquote(String(clean[..<open]).trimmingWhitespace())).trimmingWhitespace()
            return InboundMailbox(address: address, displayName: name.isEmpty ? nil : name)
        }
        guard let address = addrSpec(clean) else { return nil }
        let comment = commentText(text)
        return InboundMailbox(address: address, displayName: comment.isEmpty ? nil : EncodedWords.decode(comment))
    }

    /// `local@domain` with the domain lowered; a quoted local part is unquoted when it needs no quotes.
    private static func addrSpec(_ raw: String) -> String? {
        let spec = raw.trimmingWhitespace()
        guard let at = spec.lastIndex(of: "@") else { return nil }
        var local = String(spec[..<at]).trimmingWhitespace()
        let domain = String(spec[spec.index(after: at)...]).trimmingWhitespace().lowercased()
        let unquoted = HeaderText.unquote(local)
        if unquoted != local, !unquoted.isEmpty, unquoted.allSatisfy({ $0.isASCII && !"\"(),:;<>@[\\] \t".contains($0) }) { local = unquoted }
        guard !local.isEmpty, !domain.isEmpty, local.utf8.count <= 64, domain.utf8.count <= 255,
            !domain.contains(where: { $0 == " " || $0 == "\t" || $0 == "@" || $0 == "<" || $0 == ">" || $0 == "\"" }),
            local.hasPrefix("\"") || !local.contains(where: { $0 == " " || $0 == "\t" || $0 == "<" || $0 == ">" })
        else { return nil }
        return "\(local)@\(domain)"
    }

    /// The colon of `Group: members;` syntax, outside quotes and angle brackets.
    private static func groupColon(_ text: String) -> String.Index? {
        guard let colon = lastUnquoted(":", in: text), text.firstIndex(of: "<").map({ colon < $0 }) ?? true, !text[..<colon].contains("@") else {
            return nil
        }
        return colon
    }

    private static func lastUnquoted(_ target: Character, in text: String) -> String.Index? {
        var quoted = false
        var escaped = false
        var found: String.Index?
        for index in text.indices {
            let character = text[index]
            if escaped { escaped = false; continue }
            if character == "\\" && quoted { escaped = true } else if character == "\"" { quoted.toggle() } else if character == target && !quoted { found = index }
        }
        return found
    }

    /// The text of the first comment, for `address (Name)`.
    private static func commentText(_ text: String) -> String {
        guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return "" }
        return String(text[text.index(after: open)..<close]).trimmingWhitespace()
    }
}
