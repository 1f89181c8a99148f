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
    /// A lane for messages that must leave in order, one after another, as fast as the caller
    /// hands them over (by default: `send`, one message at a time).
    func openLane() -> any MailLane
}

extension MailTransport {
    public func openLane() -> any MailLane { SerialLane(self) }
}

/// What became of a message handed to a `MailLane`.
public enum LaneResult: Sendable, Equatable {
    /// The server answered for it (or the file was written).
    case outcome(DeliveryOutcome)
    /// The transport failed while this message was being sent.
    case failed(MailTransportError)
    /// An earlier failure ended the lane before this message's turn; nothing of it was sent.
    case notStarted
}

/// Messages that leave in the order they are handed over, each the moment the one before it
/// ended, without the caller waiting for any of them. After a transport failure the rest of the
/// lane is not started.
public protocol MailLane: Sendable {
    /// Hands `message` over; `done` gets what became of it, on some thread of the transport's.
    func send(_ message: OutgoingMessage, done: @escaping @Sendable (LaneResult) -> Void)
    /// Waits until every message handed over has had its `done`; the lane takes no more.
    func finish() async
    /// Ends the lane at once (the caller is stopping): what has not ended fails or is not started.
    func abort()
}

/// The lane of a transport without one of its own: `send`, one message at a time, in a task.
final class SerialLane: MailLane {
    private let queue: AsyncStream<(OutgoingMessage, @Sendable (LaneResult) -> Void)>.Continuation
    private let sender: Task<Void, Never>

    init(_ transport: any MailTransport) {
        let (messages, queue) = AsyncStream.makeStream(of: (OutgoingMessage, @Sendable (LaneResult) -> Void).self)
        self.queue = queue
        // Awaited by `finish()`, which every user of a lane calls.
        sender = Task {
            var failed = false
            for await (message, done) in messages {
                if failed || Task.isCancelled {
                    done(.notStarted)
                    continue
                }
                do throws(MailTransportError) {
                    done(.outcome(try await transport.send(message)))
                } catch {
                    failed = true
                    done(.failed(error))
                }
            }
        }
    }

    func send(_ message: OutgoingMessage, done: @escaping @Sendable (LaneResult) -> Void) {
        if case .terminated = queue.yield((message, done)) { done(.notStarted) }
    }

    func finish() async {
        queue.finish()
        await sender.value
    }

    func abort() {
        sender.cancel()
    }
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
