/// Mail cannot leave now (server unreachable, TLS or login refused); messages wait in the outbox.
/// The CLI exits 75: try again later.
public struct MailUnavailableError: Error, Sendable, CustomStringConvertible {
    /// What the transport reported (never a password).
    public var reason: String

    /// Creates the error.
    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { "mail cannot be sent now: \(reason); the messages wait in the outbox (overstap outbox send)" }
}
