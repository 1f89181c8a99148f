/// An `Authentication-Results` header (RFC 8601): what the receiving server concluded about SPF,
/// DKIM and DMARC. Microsoft 365 writes it without the authserv-id, starting at `spf=…`.
public struct AuthenticationResults: Sendable, Hashable {
    /// One `method=result` statement with its properties (`header.from`, `smtp.mailfrom`, …).
    public struct Statement: Sendable, Hashable {
        /// The method, lower case, without a version: `spf`, `dkim`, `dmarc`.
        public var method: String
        /// The result, lower case: `pass`, `fail`, `none`, …
        public var result: String
        /// `ptype.property` (lower case) → value (quotes removed).
        public var properties: [String: String]

        /// Creates a statement.
        public init(method: String, result: String, properties: [String: String] = [:]) {
            self.method = method
            self.result = result
            self.properties = properties
        }
    }

    /// The server that wrote the header; nil when it wrote none (Microsoft 365).
    public var authservID: String?
    public var statements: [Statement]

    /// Creates results.
    public init(authservID: String?, statements: [Statement]) {
        self.authservID = authservID
        self.statements = statements
    }

    /// The DMARC statement, if any.
    public var dmarc: Statement? { statements.first { $0.method == "dmarc" } }

    /// The domain the DMARC statement names in `header.from`, lower case (an address is cut to its domain).
    public var dmarcHeaderFrom: String? {
        guard let value = dmarc?.properties["header.from"], !value.isEmpty else { return nil }
        return String(value.split(separator: "@").last ?? Substring(value)).lowercased()
    }

    /// Reads the header's value. Unreadable statements are skipped, never guessed.
    public static func parse(_ value: String) -> AuthenticationResults {
        let pieces = HeaderText.splitUnquoted(HeaderText.removingComments(value), on: ";").map { $0.trimmingWhitespace() }
        var results = AuthenticationResults(authservID: nil, statements: [])
        for (index, piece) in pieces.enumerated() where !piece.isEmpty {
            let words = piece.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
            guard let first = words.first else { continue }
            if index == 0 && !first.contains("=") {
                results.authservID = String(first)
                continue
            }
            let head = first.split(separator: "=", maxSplits: 1)
            guard head.count == 2 else { continue }
            var statement = Statement(
                method: String(head[0].split(separator: "/").first ?? head[0]).lowercased(), result: HeaderText.unquote(String(head[1])).lowercased(),
                properties: [:])
            for word in words.dropFirst() {
                let pair = word.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { statement.properties[pair[0].lowercased()] = HeaderText.unquote(String(pair[1])) }
            }
            results.statements.append(statement)
        }
        return results
    }
}
