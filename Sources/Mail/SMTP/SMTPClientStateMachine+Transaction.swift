extension SMTPClientStateMachine {
    /// One mail transaction: `MAIL FROM`, `RCPT TO`, `DATA`, then the content.
    struct Transaction: Equatable {
        /// A command of the transaction, in the order they are sent.
        enum Step: Equatable {
            case mail, rcpt, data
        }

        /// A command line and which step it is.
        struct Command: Equatable {
            var step: Step
            var bytes: [UInt8]
        }

        /// The encoded content, sent after `354`.
        var content: [UInt8]
        /// Commands sent whose replies are still to come, oldest first.
        var awaiting: [Step]
        /// Commands not sent yet (without pipelining each waits for the previous reply).
        var unsent: [Command]
        /// The first reply that decided the outcome; later replies only finish the exchange.
        var failure: DeliveryOutcome?
        /// Whether the commands went out behind the previous message's content (`pipeline(_:)`).
        var followsContent = false

        /// Names the command being waited for, for error texts.
        var activity: String {
            switch awaiting.first {
            case .mail, nil: "MAIL FROM"
            case .rcpt: "RCPT TO"
            case .data: "DATA"
            }
        }
    }

    /// Starts sending `message`; only valid when the session is ready.
    mutating func send(_ message: OutgoingMessage) -> Action {
        guard state == .ready else {
            return fail("the connection to \(server) cannot take a message during \(activity); the message stays pending")
        }
        let commands: [Transaction.Command], content: [UInt8]
        switch prepare(message) {
        case .refused(let outcome): return .completeMessage(outcome, closeConnection: false)
        case .ready(let prepared, let encoded): (commands, content) = (prepared, encoded)
        }
        recipient = message.recipient
        if capabilities.pipelining {
            state = .transaction(Transaction(content: content, awaiting: commands.map(\.step), unsent: [], failure: nil))
            return .send(commands.flatMap(\.bytes), timeout: pipelinedTimeout)
        }
        state = .transaction(Transaction(content: content, awaiting: [.mail], unsent: Array(commands.dropFirst()), failure: nil))
        return .send(commands[0].bytes, timeout: timeout(for: .mail))
    }

    /// The commands of `message` to send behind the content about to be written (RFC 2920 §3.1
    /// lets the content be the first "command" of a group), which saves a round trip per message.
    /// Nil when they cannot go now: no pipelining, no content about to be written, one message
    /// following already, or `message` is refused before anything is sent (it is sent on its own).
    mutating func pipeline(_ message: OutgoingMessage) -> [UInt8]? {
        guard capabilities.pipelining, pipelined == nil, case .content(_, written: false) = state,
            case .ready(let commands, let content) = prepare(message)
        else { return nil }
        let transaction = Transaction(content: content, awaiting: commands.map(\.step), unsent: [], failure: nil, followsContent: true)
        pipelined = (transaction, message.recipient)
        return commands.flatMap(\.bytes)
    }

    /// The commands and content of a transaction, or why it must not be sent.
    private enum Preparation {
        case ready(commands: [Transaction.Command], content: [UInt8])
        case refused(DeliveryOutcome)
    }

    private func prepare(_ message: OutgoingMessage) -> Preparation {
        for address in [message.envelopeSender, message.recipient] where !Self.isValidPath(address) {
            // A CR or LF here would inject commands of its own; refuse before anything is sent.
            return .refused(.rejected(MailReply(code: 501, enhancedCode: "5.1.3", lines: ["invalid envelope address \(address.debugDescription)"])))
        }
        if message.recipient.isEmpty {
            return .refused(.rejected(MailReply(code: 501, enhancedCode: "5.1.3", lines: ["empty recipient address"])))
        }
        let encoded = SMTPDataEncoder.encode(message.data)
        if let limit = capabilities.sizeLimit, limit > 0, encoded.size > limit {
            return .refused(.rejected(MailReply(code: 552, enhancedCode: "5.3.4", lines: ["the message has \(encoded.size) octets, more than the \(limit) \(server) accepts"])))
        }
        var mailFrom = "MAIL FROM:<\(message.envelopeSender)>"
        if capabilities.sizeLimit != nil { mailFrom += " SIZE=\(encoded.size)" }
        if capabilities.eightBitMIME, encoded.hasEightBitOctets { mailFrom += " BODY=8BITMIME" }
        let commands = [
            Transaction.Command(step: .mail, bytes: command(mailFrom)),
            Transaction.Command(step: .rcpt, bytes: command("RCPT TO:<\(message.recipient)>")),
            Transaction.Command(step: .data, bytes: command("DATA")),
        ]
        return .ready(commands: commands, content: encoded.bytes)
    }

    /// How long the replies to `MAIL`, `RCPT` and `DATA` sent together may take.
    private var pipelinedTimeout: Duration {
        configuration.timeouts.mail + configuration.timeouts.rcpt + configuration.timeouts.dataInitiation
    }

    /// A reply to `MAIL`, `RCPT` or `DATA`.
    mutating func transactionReply(_ reply: MailReply, _ transaction: Transaction) -> Action {
        if reply.code == 421, transaction.followsContent {
            // The server is closing (RFC 5321 §3.8) before this message's content left: to it,
            // the close came between two messages.
            state = .closed
            return .restartMessage
        }
        var transaction = transaction
        let step = transaction.awaiting.removeFirst()
        if step == .data, reply.code == 354 {
            // With pipelining the server may accept DATA although RCPT failed (RFC 2920 §3.1):
            // an empty content ends that transaction without delivering anything.
            state = .content(failure: transaction.failure, written: false)
            let content = transaction.failure == nil ? transaction.content : command(".")
            return .sendContent(content, timeout: configuration.timeouts.dataBlock)
        }
        if transaction.failure == nil {
            switch (step, reply.code / 100) {
            case (_, 2) where step != .data:
                break
            case (.mail, 5):
                return fail("\(server) refused the sender: check the envelope sender address and that the account may send as it", reply: reply)
            case (.mail, 4):
                transaction.failure = .deferred(reply)
            case (.rcpt, 4), (.rcpt, 5):
                transaction.failure = SMTPRefusal.classify(reply, at: .recipient).outcome(reply)
            case (.data, 4), (.data, 5):
                transaction.failure = SMTPRefusal.classify(reply, at: .data).outcome(reply)
            default:
                return fail("\(server) gave an unexpected reply to \(transaction.activity)", reply: reply)
            }
        }
        if !transaction.awaiting.isEmpty {
            state = .transaction(transaction)
            return .none
        }
        if let failure = transaction.failure {
            state = .resetting(failure)
            return .send(command("RSET"), timeout: configuration.timeouts.mail)
        }
        let next = transaction.unsent.removeFirst()
        transaction.awaiting.append(next.step)
        state = .transaction(transaction)
        return .send(next.bytes, timeout: timeout(for: next.step))
    }

    /// The reply after the content's final dot; the transaction is over either way. A message
    /// whose commands followed the content is in flight next.
    mutating func endOfDataReply(_ reply: MailReply, failure: DeliveryOutcome?) -> Action {
        state = .ready
        let outcome: DeliveryOutcome
        switch (failure, reply.code / 100) {
        case (let failure?, _): outcome = failure
        case (nil, 2): outcome = .delivered(reply)
        case (nil, 4), (nil, 5): outcome = SMTPRefusal.classify(reply, at: .data).outcome(reply)
        default: return fail("\(server) gave an unexpected reply to the end of the message", reply: reply)
        }
        let action = complete(outcome, closeConnection: false)
        guard let next = pipelined, case .completeMessage(let outcome, closeConnection: false) = action else { return action }
        pipelined = nil
        state = .transaction(next.transaction)
        recipient = next.recipient
        return .completeMessageAndContinue(outcome, timeout: pipelinedTimeout)
    }

    /// Reports the outcome of the message in flight, unless it shows that the server refuses
    /// everything by policy: recipients in `policyFaultDomains` different domains refused with
    /// 5.7.x on one connection are the server's rule (relaying denied, this account may not
    /// send), not theirs, so the connection fails and every message waits.
    mutating func complete(_ outcome: DeliveryOutcome, closeConnection: Bool) -> Action {
        defer { recipient = nil }
        guard case .deferred(let reply) = outcome, reply.isPolicyRefusal, let domain = recipient.map(Self.domain) else {
            return .completeMessage(outcome, closeConnection: closeConnection)
        }
        policyRefusedDomains.insert(domain)
        guard policyRefusedDomains.count >= Self.policyFaultDomains else {
            return .completeMessage(outcome, closeConnection: closeConnection)
        }
        return fail(
            "\(server) refused recipients in \(policyRefusedDomains.count) different domains by policy, so the fault is the server's "
                + "or this account's, not theirs: check that the server lets this account send (username, password, relay permission)",
            reply: reply)
    }

    /// Different domains refused by policy on one connection that make a server fault.
    static let policyFaultDomains = 3

    /// The part after the last `@`, in lower case.
    private static func domain(of address: String) -> String {
        String(address.split(separator: "@", omittingEmptySubsequences: false).last ?? "").lowercased()
    }

    private func timeout(for step: Transaction.Step) -> Duration {
        switch step {
        case .mail: configuration.timeouts.mail
        case .rcpt: configuration.timeouts.rcpt
        case .data: configuration.timeouts.dataInitiation
        }
    }

    /// Whether an address can go between `<` and `>` without changing the command.
    private static func isValidPath(_ address: String) -> Bool {
        !address.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || $0 == "<" || $0 == ">" }
    }
}
