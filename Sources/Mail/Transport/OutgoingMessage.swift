/// One composed message ready for a transport: the RFC 5322 bytes and the SMTP envelope.
public struct OutgoingMessage: Sendable, Equatable {
    /// The `Message-ID` (without angle brackets); stable across retries, used for file names and logs.
    public var messageID: String
    /// The envelope sender (`MAIL FROM`, becomes `Return-Path`).
    public var envelopeSender: String
    /// The single envelope recipient (`RCPT TO`).
    public var recipient: String
    /// The whole message, headers and body, with CRLF line ends and no line over 998 octets.
    public var data: [UInt8]

    /// Creates a message.
    public init(messageID: String, envelopeSender: String, recipient: String, data: [UInt8]) {
        self.messageID = messageID
        self.envelopeSender = envelopeSender
        self.recipient = recipient
        self.data = data
    }
}
