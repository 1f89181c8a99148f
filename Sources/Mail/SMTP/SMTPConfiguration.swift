/// How an SMTP connection is protected.
public enum SMTPTLSMode: String, Sendable, Equatable, CaseIterable {
    /// Plain connection upgraded with `STARTTLS` (port 587); fails when the server does not offer it.
    case starttls
    /// TLS from the first byte (port 465).
    case implicit
    /// No TLS at all; only for local test servers, and never with credentials.
    case none
}

/// How long the client waits for each server reply; defaults from RFC 5321 §4.5.3.2.
public struct SMTPTimeouts: Sendable, Equatable {
    /// Establishing the TCP connection.
    public var connect: Duration
    /// The server's `220` greeting (and the TLS handshake for implicit TLS).
    public var greeting: Duration
    /// The reply to `MAIL`; also used for the commands RFC 5321 gives no own limit
    /// (`EHLO`, `STARTTLS`, `AUTH`, `RSET`, `QUIT`).
    public var mail: Duration
    /// The reply to each `RCPT`.
    public var rcpt: Duration
    /// The `354` reply to `DATA`.
    public var dataInitiation: Duration
    /// Writing the message content to the server.
    public var dataBlock: Duration
    /// The reply after the final `.` of the content.
    public var dataTermination: Duration

    /// Creates timeouts; every default is the RFC 5321 minimum a client should wait.
    public init(
        connect: Duration = .seconds(30),
        greeting: Duration = .seconds(5 * 60),
        mail: Duration = .seconds(5 * 60),
        rcpt: Duration = .seconds(5 * 60),
        dataInitiation: Duration = .seconds(2 * 60),
        dataBlock: Duration = .seconds(3 * 60),
        dataTermination: Duration = .seconds(10 * 60)
    ) {
        self.connect = connect
        self.greeting = greeting
        self.mail = mail
        self.rcpt = rcpt
        self.dataInitiation = dataInitiation
        self.dataBlock = dataBlock
        self.dataTermination = dataTermination
    }

    /// Every limit set to `duration`; for tests that must fail fast instead of hanging.
    public static func all(_ duration: Duration) -> SMTPTimeouts {
        SMTPTimeouts(
            connect: duration, greeting: duration, mail: duration, rcpt: duration,
            dataInitiation: duration, dataBlock: duration, dataTermination: duration
        )
    }
}

/// Where and how `SMTPTransport` delivers: server, TLS, credentials, pool size and timeouts.
public struct SMTPConfiguration: Sendable, Equatable {
    /// The server's host name (also the name its certificate must carry).
    public var host: String
    /// The server's port: 587 for `STARTTLS`, 465 for implicit TLS, 25 between servers.
    public var port: Int
    /// How the connection is protected.
    public var tls: SMTPTLSMode
    /// A PEM file with extra trusted CA certificates, for private servers with their own CA.
    public var caFile: String?
    /// The user to authenticate as; nil sends no `AUTH`.
    public var username: String?
    /// The password; never logged and never part of an error text.
    public var password: String?
    /// How many connections the transport keeps open at most (at least 1).
    public var connections: Int
    /// The name this client gives in `EHLO`.
    public var heloName: String
    /// How long to wait for each step.
    public var timeouts: SMTPTimeouts

    /// Creates a configuration; the defaults suit a submission server on port 587.
    public init(
        host: String,
        port: Int = 587,
        tls: SMTPTLSMode = .starttls,
        caFile: String? = nil,
        username: String? = nil,
        password: String? = nil,
        connections: Int = 2,
        heloName: String = "localhost",
        timeouts: SMTPTimeouts = SMTPTimeouts()
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.caFile = caFile
        self.username = username
        self.password = password
        self.connections = max(1, connections)
        self.heloName = heloName
        self.timeouts = timeouts
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// Describes the configuration with the password left out, so it is safe to log.
    public var description: String {
        let user = username.map { " as \($0)" } ?? ""
        return "smtp://\(host):\(port) tls=\(tls.rawValue)\(user) connections=\(connections)"
    }
}
