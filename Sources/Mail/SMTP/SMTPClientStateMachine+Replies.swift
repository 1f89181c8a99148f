import Foundation

extension SMTPClientStateMachine {
    /// Bytes arrived from the server: handle every reply they complete.
    mutating func bytesReceived(_ bytes: some Sequence<UInt8>) -> Action {
        switch state {
        case .closed:
            return .none
        case .tlsStarting:
            return fail(Self.injectionReason(server))
        default:
            break
        }
        // Bytes from the server come through TLS only once the handshake is done.
        if tlsActive { tlsHandshakeDone = true }
        parser.append(bytes)
        while true {
            let reply: MailReply
            do {
                guard let next = try parser.nextReply() else { return .none }
                reply = next
            } catch {
                return fail("\(server) does not speak SMTP: it sent \(error.reason)")
            }
            let action = handle(reply)
            if action == .none { continue }
            // What is buffered answers the commands sent behind the content; see `hasBufferedReplies`.
            if case .completeMessageAndContinue = action { return action }
            return parser.hasBufferedBytes ? unsolicitedBytes(after: action) : action
        }
    }

    /// Whether replies read with the last bytes still wait to be handled (`bytesReceived([])`):
    /// those to the commands sent behind a content, after its final reply.
    var hasBufferedReplies: Bool {
        guard case .transaction = state else { return false }
        return parser.hasBufferedBytes
    }

    /// The server spoke out of turn: after a reply that ends a step, anything already buffered
    /// answers nothing we sent.
    private mutating func unsolicitedBytes(after action: Action) -> Action {
        switch action {
        case .startTLS:
            // Bytes sent in plain text before the handshake would be read as if they came over
            // TLS (STARTTLS command injection, CVE-2011-0411).
            return fail(Self.injectionReason(server))
        case .completeMessage(let outcome, _):
            // Typically a 421 after the reply: the outcome stands, the connection does not.
            state = .closed
            return .completeMessage(outcome, closeConnection: true)
        case .fail, .close, .restartMessage:
            return action
        case .none, .send, .sendContent, .wait, .sessionReady, .completeMessageAndContinue:
            return fail("\(server) sent replies to commands it was never sent during \(activity)")
        }
    }

    private static func injectionReason(_ server: String) -> String {
        "\(server) sent data after accepting STARTTLS and before the TLS handshake; refusing to go on (possible STARTTLS injection)"
    }

    /// Routes one complete reply by state.
    private mutating func handle(_ reply: MailReply) -> Action {
        switch state {
        case .connecting, .greeting:
            guard reply.code / 100 == 2 else {
                return fail("\(server) refused the session in its greeting", reply: reply)
            }
            state = .ehlo
            return .send(command("EHLO \(configuration.heloName)"), timeout: configuration.timeouts.mail)
        case .ehlo:
            if reply.code / 100 == 2 {
                capabilities = SMTPCapabilities(ehloReply: reply)
                return helloAccepted()
            }
            // 500/502: a server from before RFC 1869 that knows only HELO.
            guard reply.code == 500 || reply.code == 502 else {
                return fail("\(server) refused EHLO", reply: reply)
            }
            state = .helo
            return .send(command("HELO \(configuration.heloName)"), timeout: configuration.timeouts.mail)
        case .helo:
            guard reply.code / 100 == 2 else { return fail("\(server) refused HELO", reply: reply) }
            capabilities = SMTPCapabilities()
            return helloAccepted()
        case .startTLS:
            guard reply.code == 220 else { return fail("\(server) refused STARTTLS", reply: reply) }
            state = .tlsStarting
            return .startTLS
        case .tlsStarting:
            return fail(Self.injectionReason(server))
        case .authPlain:
            return authenticationResult(reply)
        case .authLogin(let step):
            return authLoginReply(reply, step: step)
        case .ready:
            // Usually a 421 before the server drops an idle connection.
            state = .closed
            return .close
        case .transaction(let transaction):
            return transactionReply(reply, transaction)
        case .content(let failure, _):
            return endOfDataReply(reply, failure: failure)
        case .resetting(let outcome):
            let resetAccepted = reply.code / 100 == 2
            state = resetAccepted ? .ready : .closed
            return complete(outcome, closeConnection: !resetAccepted)
        case .quitting:
            state = .closed
            return .close
        case .closed:
            return .none
        }
    }

    /// After `EHLO`/`HELO`: secure the connection, then authenticate, then be ready.
    private mutating func helloAccepted() -> Action {
        if configuration.tls == .starttls, !tlsActive {
            guard capabilities.startTLS else {
                return fail("\(server) does not offer STARTTLS, and tls is starttls: refusing to continue in plain text (use tls: implicit for port 465)")
            }
            state = .startTLS
            return .send(command("STARTTLS"), timeout: configuration.timeouts.mail)
        }
        guard let username = configuration.username else {
            state = .ready
            return .sessionReady
        }
        guard tlsActive else {
            return fail("refusing to send the password for \(server) over a connection without TLS: set tls to starttls or implicit")
        }
        if capabilities.authMechanisms.contains("PLAIN") {
            state = .authPlain
            let credentials = [0] + Array(username.utf8) + [0] + Array((configuration.password ?? "").utf8)
            return .send(command("AUTH PLAIN \(Self.base64(credentials))"), timeout: configuration.timeouts.mail)
        }
        if capabilities.authMechanisms.contains("LOGIN") {
            state = .authLogin(.username)
            return .send(command("AUTH LOGIN"), timeout: configuration.timeouts.mail)
        }
        let offered = capabilities.authMechanisms.isEmpty ? "none" : capabilities.authMechanisms.sorted().joined(separator: " ")
        return fail("\(server) offers no AUTH PLAIN or LOGIN (offered: \(offered)): check the server, or remove the username")
    }

    /// The `334` prompts of `AUTH LOGIN`, then its result.
    private mutating func authLoginReply(_ reply: MailReply, step: AuthLoginStep) -> Action {
        if step == .result { return authenticationResult(reply) }
        guard reply.code == 334 else { return authenticationResult(reply) }
        let secret = step == .username ? configuration.username ?? "" : configuration.password ?? ""
        state = .authLogin(step == .username ? .password : .result)
        return .send(command(Self.base64(Array(secret.utf8))), timeout: configuration.timeouts.mail)
    }

    /// `235` means authenticated; anything else ends the session.
    private mutating func authenticationResult(_ reply: MailReply) -> Action {
        guard reply.code / 100 == 2 else {
            return fail("\(server) refused the login for user \(configuration.username ?? ""): check username and password", reply: reply)
        }
        state = .ready
        return .sessionReady
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
