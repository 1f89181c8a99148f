import Foundation

/// One received e-mail as a mail server or fetcher hands it to a program, reduced to what a
/// calendar reply needs: who sent it, which message it is, what the receiving server found about
/// its origin, and every iCalendar part in it.
public struct InboundMessage: Sendable, Hashable {
    /// The Message-ID without angle brackets, comments or folding white space; nil when absent.
    public var messageID: String?
    /// The first mailbox of the first `From` header; nil when there is none or it is no address.
    public var from: InboundMailbox?
    /// The `Date` header as an instant; nil when absent or unreadable.
    public var date: Date?
    /// The topmost `Authentication-Results` header (the one the receiving server added), if any.
    public var authenticationResults: AuthenticationResults?
    /// Every iCalendar part, in the order they appear (depth first).
    public var calendarParts: [InboundCalendarPart]

    /// Creates a message from parts already read.
    public init(
        messageID: String?, from: InboundMailbox?, date: Date?, authenticationResults: AuthenticationResults?,
        calendarParts: [InboundCalendarPart]
    ) {
        self.messageID = messageID
        self.from = from
        self.date = date
        self.authenticationResults = authenticationResults
        self.calendarParts = calendarParts
    }

    /// The domain DMARC failed for, when the topmost `Authentication-Results` says `dmarc=fail`:
    /// its `header.from`, or the From domain when it names none. Nil when DMARC did not fail.
    public var failedDMARCDomain: String? {
        guard let dmarc = authenticationResults?.dmarc, dmarc.result == "fail" else { return nil }
        return authenticationResults?.dmarcHeaderFrom ?? from?.domain ?? ""
    }

    /// Reads one RFC 5322 message: CRLF or bare LF, an mbox `From ` line first or not, nested
    /// multiparts and forwarded messages. Refuses input beyond `limits` with a typed error.
    public static func parse(_ bytes: [UInt8], limits: InboundLimits = .default) throws(InboundMessageError) -> InboundMessage {
        guard bytes.count <= limits.maximumBytes else {
            throw InboundMessageError(.tooLarge(bytes: bytes.count, limit: limits.maximumBytes))
        }
        let headers = try HeaderBlock.read(bytes, bytes.indices, limits: limits, firstLine: 1, allowMboxLine: true)
        guard !headers.fields.isEmpty else { throw InboundMessageError(.notAMessage, line: 1) }
        var walker = MIMEWalker(limits: limits)
        try walker.walk(bytes, bytes.indices, headers: headers, depth: 0, forwarded: false, section: "")
        return InboundMessage(
            messageID: headers.first("Message-ID").flatMap(Self.normalisedMessageID),
            from: headers.first("From").flatMap(InboundMailbox.parse),
            date: headers.first("Date").flatMap(MailDate.parse),
            authenticationResults: headers.first("Authentication-Results").map(AuthenticationResults.parse),
            calendarParts: walker.calendarParts)
    }

    /// `<id@host>` (with comments, folding or stray spaces) → `id@host`.
    static func normalisedMessageID(_ value: String) -> String? {
        let text = HeaderText.removingComments(value)
        var id = text
        if let open = text.firstIndex(of: "<") {
            let rest = text[text.index(after: open)...]
            id = String(rest.prefix { $0 != ">" })
        }
        id.removeAll { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        return id.isEmpty ? nil : id
    }
}
