/// The client side of one SMTP connection (RFC 5321) as a pure state machine.
///
/// Each event (connected, bytes received, a timer fired, a message to send…) is a `mutating`
/// method that returns the one `Action` the channel handler must perform next. There is no I/O
/// here, so every protocol path is tested by feeding events and checking actions.
struct SMTPClientStateMachine {
    /// What the channel handler must do next.
    enum Action: Equatable {
        /// Nothing; keep any running timer.
        case none
        /// Write `bytes`, then wait at most `timeout` for the reply.
        case send([UInt8], timeout: Duration)
        /// Write the message content and call `contentWritten()` once the write completes, failing
        /// the connection when that takes longer than `timeout`.
        case sendContent([UInt8], timeout: Duration)
        /// Write nothing, but wait at most `timeout` for the server.
        case wait(timeout: Duration)
        /// Put a TLS client handler in front of the pipeline, then call `tlsStarted()`.
        case startTLS
        /// The session is set up (greeted, secured, authenticated): messages may be sent.
        case sessionReady
        /// The message being sent is finished with this outcome; close the connection when asked
        /// because it is no longer in a known state.
        case completeMessage(DeliveryOutcome, closeConnection: Bool)
        /// The message being sent is finished with this outcome, and the commands of the next one
        /// went out behind its content (`pipeline(_:)`): that one is in flight now; wait at most
        /// `timeout` for its replies.
        case completeMessageAndContinue(DeliveryOutcome, timeout: Duration)
        /// The server closed the connection before the content of the message in flight left: it
        /// was not delivered. Hand it back as not started, to go on another connection.
        case restartMessage
        /// Fail whatever is pending (session setup or the message) with this error and close.
        case fail(MailTransportError)
        /// Close the connection; nothing is pending.
        case close
    }

    /// Where the conversation is.
    enum State: Equatable {
        case connecting
        case greeting
        case ehlo
        case helo
        case startTLS
        /// `STARTTLS` was accepted; until the TLS handler is in place no byte may arrive.
        case tlsStarting
        case authPlain
        case authLogin(AuthLoginStep)
        case ready
        case transaction(Transaction)
        /// The content is being written (`written == false`) or its final reply awaited.
        case content(failure: DeliveryOutcome?, written: Bool)
        /// `RSET` after a failed transaction, before reporting the outcome.
        case resetting(DeliveryOutcome)
        case quitting
        case closed
    }

    /// The three exchanges of `AUTH LOGIN`.
    enum AuthLoginStep: Equatable {
        case username, password, result
    }

    let configuration: SMTPConfiguration
    var state: State = .connecting
    /// What the server announced in its latest `EHLO` reply (reset by `STARTTLS`, RFC 3207 §4.2).
    var capabilities = SMTPCapabilities()
    /// Whether the connection is encrypted, which credentials require.
    var tlsActive: Bool
    var parser = SMTPReplyParser()
    /// Whether the TLS handshake finished; until then a silence is the handshake's, not the server's.
    var tlsHandshakeDone = false
    /// The recipient of the message in flight.
    var recipient: String?
    /// Recipient domains refused by policy (5.7.x) on this connection.
    var policyRefusedDomains: Set<String> = []
    /// The next message, whose commands went out behind the content in flight, and its recipient.
    var pipelined: (transaction: Transaction, recipient: String)?

    /// A machine for a fresh connection; with implicit TLS every byte already passes through TLS.
    init(configuration: SMTPConfiguration) {
        self.configuration = configuration
        self.tlsActive = configuration.tls == .implicit
    }

    /// The TCP connection is up: wait for the greeting.
    mutating func connected() -> Action {
        guard state == .connecting else { return .none }
        state = .greeting
        return .wait(timeout: configuration.timeouts.greeting)
    }

    /// The TLS handler is in place after `STARTTLS`: greet again over TLS. The handler buffers
    /// the `EHLO` until the handshake is done, so it never leaves in plain text.
    mutating func tlsStarted() -> Action {
        guard state == .tlsStarting else { return .none }
        tlsActive = true
        capabilities = SMTPCapabilities()
        state = .ehlo
        return .send(command("EHLO \(configuration.heloName)"), timeout: configuration.timeouts.mail)
    }

    /// The TLS handshake finished (implicit TLS or after `STARTTLS`).
    mutating func tlsHandshakeCompleted() -> Action {
        tlsHandshakeDone = true
        return .none
    }

    /// The message content has been handed to the connection; now wait for the final reply.
    mutating func contentWritten() -> Action {
        guard case .content(let failure, written: false) = state else { return .none }
        state = .content(failure: failure, written: true)
        return .wait(timeout: configuration.timeouts.dataTermination)
    }

    /// Ends the session politely (`QUIT`) when idle; otherwise fails what is pending.
    mutating func quit() -> Action {
        switch state {
        case .ready:
            state = .quitting
            return .send(command("QUIT"), timeout: configuration.timeouts.mail)
        case .quitting, .closed:
            return .none
        default:
            return fail("the connection to \(server) was closed by the client during \(activity)")
        }
    }

    /// The timer set by the last action ran out before the server answered.
    mutating func timeoutFired() -> Action {
        switch state {
        case .connecting, .ready, .closed:
            return .none
        case .quitting:
            state = .closed
            return .close
        case .resetting(let outcome):
            state = .closed
            return complete(outcome, closeConnection: true)
        default:
            return fail("\(server) did not answer in time during \(activity); the message stays pending")
        }
    }

    /// The connection was closed (by the server or the network).
    mutating func connectionClosed() -> Action {
        switch state {
        case .ready, .quitting, .closed:
            state = .closed
            return .none
        case .resetting(let outcome):
            state = .closed
            return complete(outcome, closeConnection: true)
        case .transaction(let transaction) where transaction.followsContent:
            // To the server this close came between two messages (a limit per connection, often
            // after a 421 that answered the commands sent behind the last content).
            state = .closed
            return .restartMessage
        default:
            return fail("\(server) closed the connection during \(activity); the message stays pending")
        }
    }

    /// The connection failed (TLS handshake, certificate, network).
    mutating func errorCaught(_ description: String) -> Action {
        switch state {
        case .closed:
            return .none
        case .quitting:
            state = .closed
            return .close
        default:
            let hint = tlsActive || state == .tlsStarting ? " (check the server's certificate, or caFile for a private CA)" : ""
            return fail("the connection to \(server) failed during \(activity): \(description)\(hint)")
        }
    }

    // MARK: - Helpers shared by the extensions

    /// `host:port` for error texts.
    var server: String { "\(configuration.host):\(configuration.port)" }

    /// What the connection was doing, for error texts.
    var activity: String {
        if tlsActive && !tlsHandshakeDone && state != .closed { return "the TLS handshake" }
        return switch state {
        case .connecting: "connecting"
        case .greeting: "the greeting"
        case .ehlo: "EHLO"
        case .helo: "HELO"
        case .startTLS, .tlsStarting: "STARTTLS"
        case .authPlain, .authLogin: "AUTH"
        case .ready: "an idle period"
        case .transaction(let transaction): transaction.activity
        case .content: "DATA"
        case .resetting: "RSET"
        case .quitting: "QUIT"
        case .closed: "closing"
        }
    }

    /// A command line with its CRLF.
    func command(_ text: String) -> [UInt8] {
        Array((text + "\r\n").utf8)
    }

    /// Moves to `closed` and reports a transport error.
    mutating func fail(_ reason: String, reply: MailReply? = nil) -> Action {
        state = .closed
        pipelined = nil
        return .fail(MailTransportError(reason: reason, reply: reply))
    }
}
