/// What a server's refusal of one message means, decided from the reply's codes alone
/// (RFC 5321 §4.2, RFC 3463 enhanced status codes). Pure, so every row is tested without I/O.
///
/// | reply | meaning |
/// |---|---|
/// | 4xx anywhere; 552 at RCPT (a full mailbox, RFC 5321 §4.5.3.1.10) unless 5.1.x or 5.7.x | `.temporary` |
/// | 5.1.1, 5.1.2, 5.1.3, 5.1.10 at RCPT; 550/551/553 at RCPT without an enhanced code | `.mailboxUnavailable` |
/// | 5.7.x at RCPT or DATA | `.policy` |
/// | any other 5xx at RCPT, any other 5xx at DATA | `.messageRefused` |
///
/// Only `.mailboxUnavailable` says anything about the address: a policy refusal (relaying
/// denied, a content filter, an authentication rule) is the server's or the message's problem.
enum SMTPRefusal: Equatable {
    /// Try again later.
    case temporary
    /// The mailbox does not exist or the address cannot be routed: it never will be delivered.
    case mailboxUnavailable
    /// A policy refusal (class 5, subject 7): the server will not take it now, the address may be fine.
    case policy
    /// This message cannot be delivered as it is; nothing is known about the address.
    case messageRefused

    /// Where in the transaction the reply came.
    enum Step: Equatable {
        /// The reply to `RCPT TO`.
        case recipient
        /// The reply to `DATA` or to the end of the content.
        case data
    }

    /// Enhanced codes (subject.detail) that mean the mailbox does not exist (RFC 3463 §3.2):
    /// bad destination mailbox, bad system, bad mailbox syntax, recipient address has null MX.
    private static let mailboxDetails: Set<String> = ["1.1", "1.2", "1.3", "1.10"]

    /// The meaning of a 4xx or 5xx `reply` given at `step`.
    static func classify(_ reply: MailReply, at step: Step) -> SMTPRefusal {
        guard reply.code / 100 == 5 else { return .temporary }
        if let enhanced = reply.enhancedCode, enhanced.hasPrefix("5.") {
            let detail = String(enhanced.dropFirst(2))
            if detail.hasPrefix("7.") { return .policy }
            if step == .recipient, mailboxDetails.contains(detail) { return .mailboxUnavailable }
            return step == .recipient && reply.code == 552 ? .temporary : .messageRefused
        }
        guard step == .recipient else { return .messageRefused }
        switch reply.code {
        case 550, 551, 553: return .mailboxUnavailable
        case 552: return .temporary
        default: return .messageRefused
        }
    }

    /// The outcome reported for a message refused this way.
    func outcome(_ reply: MailReply) -> DeliveryOutcome {
        switch self {
        case .temporary, .policy: .deferred(reply)
        case .mailboxUnavailable: .undeliverable(reply)
        case .messageRefused: .rejected(reply)
        }
    }
}

extension MailReply {
    /// A permanent refusal on policy grounds (enhanced code 5.7.x): relaying denied, a content
    /// filter, an authentication rule.
    var isPolicyRefusal: Bool {
        code / 100 == 5 && enhancedCode?.hasPrefix("5.7.") == true
    }
}
