/// The SMTP service extensions a server announced in its `EHLO` reply.
struct SMTPCapabilities: Equatable {
    /// `STARTTLS` (RFC 3207).
    var startTLS = false
    /// `PIPELINING` (RFC 2920): `MAIL`, `RCPT` and `DATA` may be sent without waiting.
    var pipelining = false
    /// `8BITMIME` (RFC 6152): content with octets ≥ 0x80 may be declared `BODY=8BITMIME`.
    var eightBitMIME = false
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    var enhancedStatusCodes = false
    /// The largest message the server takes (`SIZE n`, RFC 1870); nil or 0 when it set no limit.
    var sizeLimit: Int?
    /// `AUTH` mechanisms in upper case (RFC 4954).
    var authMechanisms: Set<String> = []

    /// No extensions: what a server answering `HELO` supports.
    init() {}

    /// Reads the extension lines of a `250` reply to `EHLO` (the first line is the greeting).
    init(ehloReply: MailReply) {
        for line in ehloReply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            switch keyword {
            case "STARTTLS": startTLS = true
            case "PIPELINING": pipelining = true
            case "8BITMIME": eightBitMIME = true
            case "ENHANCEDSTATUSCODES": enhancedStatusCodes = true
            case "SIZE": sizeLimit = words.dropFirst().first.flatMap { Int($0) }
            case "AUTH": authMechanisms.formUnion(words.dropFirst())
            default:
                // Some old servers still announce `AUTH=LOGIN PLAIN` (pre-RFC 4954 syntax).
                if keyword.hasPrefix("AUTH=") {
                    authMechanisms.insert(String(keyword.dropFirst(5)))
                    authMechanisms.formUnion(words.dropFirst())
                }
            }
        }
    }
}
