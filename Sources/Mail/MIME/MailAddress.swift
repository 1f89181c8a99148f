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
        let forbidden = Set("<>()[]\\,;:\" ")
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && address.utf8.count <= 254
            && address.unicodeScalars.allSatisfy { (0x21...0x7E).contains($0.value) && !forbidden.contains(Character($0)) }
    }
}
