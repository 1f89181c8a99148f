/// A mailbox: an optional display name and an address, as it appears in `From` and `To`.
public struct MailAddress: Sendable, Equatable {
    /// The name a mail client shows; any text, made safe when the header is written.
    public var name: String?
    /// The address itself (`local@domain`, ASCII).
    public var address: String

    /// Creates a mailbox.
    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// True when the address can be written into a header and an SMTP command as is: one `@`,
    /// printable ASCII, none of the characters that end or restructure a header or command.
    public var isSafeAddress: Bool {
        // Byte by byte: every message checks three addresses.
        let bytes = address.utf8
        guard bytes.count <= 254 else { return false }
        var at: Int?
        for (offset, byte) in bytes.enumerated() {
            guard byte >= 0x21, byte <= 0x7E, !Self.forbidden.contains(byte) else { return false }
            if byte == UInt8(ascii: "@") {
                guard at == nil else { return false }
                at = offset
            }
        }
        guard let at else { return false }
        return at > 0 && at < bytes.count - 1
    }

    /// Printable ASCII that ends or restructures a header or an SMTP command.
    private static let forbidden = Set("<>()[]\\,;:\"".utf8)
}
