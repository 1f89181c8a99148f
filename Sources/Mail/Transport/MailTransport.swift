/// Delivers composed messages: to `.eml` files or to an SMTP server.
///
/// `send` is called concurrently (up to the transport's connection count); an implementation
/// reuses its connections across calls until `close()`.
public protocol MailTransport: Sendable {
    /// Delivers one message. Returns how the server answered for this message; throws when the
    /// transport itself failed (nothing can be sent now, the message stays pending).
    func send(_ message: OutgoingMessage) async throws(MailTransportError) -> DeliveryOutcome
    /// Ends every open connection politely (`QUIT`); later `send` calls may open new ones.
    func close() async
}

/// What happened to one message.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the server or written to disk; the reply is nil for files.
    case delivered(MailReply?)
    /// A 4xx for this message (greylisting, mailbox full, 552 on RCPT) or a policy refusal
    /// (5.7.x: relaying denied, a content filter): try again later.
    case deferred(MailReply)
    /// Any other 5xx to RCPT or DATA, or refused by the client itself (too large, an address
    /// that cannot be written): this message failed, which says nothing about the address.
    case rejected(MailReply)
    /// The recipient's mailbox does not exist (5.1.1, 5.1.2, 5.1.3, 5.1.10, or 550/551/553
    /// without an enhanced code, at RCPT): no message to this address will ever arrive.
    case undeliverable(MailReply)
}

/// One SMTP reply: the code, the enhanced status code (RFC 3463) when given, and the text lines.
public struct MailReply: Sendable, Equatable, CustomStringConvertible {
    /// The three-digit reply code.
    public var code: Int
    /// The enhanced status code such as `5.1.1`, when the server sent one.
    public var enhancedCode: String?
    /// The text of every line, without codes.
    public var lines: [String]

    /// Creates a reply.
    public init(code: Int, enhancedCode: String? = nil, lines: [String] = []) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines
    }

    public var description: String {
        ([String(code)] + (enhancedCode.map { [$0] } ?? []) + [lines.joined(separator: " ")]).joined(separator: " ")
    }
}

/// The transport cannot send now: no connection, TLS or authentication failed, the server
/// refused the session or the sender, or a timeout. Messages stay pending; the CLI exits 75.
public struct MailTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong and what to check, never containing a password.
    public var reason: String
    /// The server's reply when there was one.
    public var reply: MailReply?

    /// Creates an error.
    public init(reason: String, reply: MailReply? = nil) {
        self.reason = reason
        self.reply = reply
    }

    public var description: String { reply.map { "\(reason) (server said: \($0))" } ?? reason }
}
