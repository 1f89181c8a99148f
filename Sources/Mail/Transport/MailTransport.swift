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
    /// A 4xx for this message (greylisting, mailbox full, 552 on RCPT): try again later.
    case deferred(MailReply)
    /// A 5xx to RCPT or DATA: this message can never be delivered to this recipient.
    case rejected(MailReply)
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
