@testable import Mail
import Testing

/// Which refusals cost a person their seat: only a reply that says the mailbox does not exist.
struct SMTPRefusalTests {
    /// (reply line, step, expected meaning): the table of issue 18, row by row.
    static let table: [(String, SMTPRefusal.Step, SMTPRefusal)] = [
        ("550 5.1.1 no such user", .recipient, .mailboxUnavailable),
        ("550 5.1.2 no such domain", .recipient, .mailboxUnavailable),
        ("553 5.1.3 bad address syntax", .recipient, .mailboxUnavailable),
        ("556 5.1.10 recipient address has null MX", .recipient, .mailboxUnavailable),
        ("550 mailbox unavailable", .recipient, .mailboxUnavailable),
        ("551 user not local", .recipient, .mailboxUnavailable),
        ("553 mailbox name not allowed", .recipient, .mailboxUnavailable),
        ("550 5.7.1 Relaying denied", .recipient, .policy),
        ("554 5.7.1 message refused as spam", .data, .policy),
        ("550 5.7.26 unauthenticated sender", .data, .policy),
        ("552 5.3.4 message too big", .data, .messageRefused),
        ("554 5.6.0 bad content", .data, .messageRefused),
        ("554 transaction failed", .data, .messageRefused),
        ("550 5.1.1 no such user", .data, .messageRefused),
        ("550 mailbox unavailable", .data, .messageRefused),
        ("554 5.4.4 unable to route", .recipient, .messageRefused),
        ("554 no thanks", .recipient, .messageRefused),
        ("550 5.2.1 mailbox disabled", .recipient, .messageRefused),
        ("552 5.2.2 mailbox full", .recipient, .temporary),
        ("552 mailbox full", .recipient, .temporary),
        ("450 4.2.0 mailbox busy", .recipient, .temporary),
        ("450 4.1.1 try again", .recipient, .temporary),
        ("451 4.7.1 greylisted", .recipient, .temporary),
        ("452 4.3.1 insufficient storage", .data, .temporary),
    ]

    @Test(arguments: table)
    func aRefusalMeansWhatItsCodesSay(line: String, step: SMTPRefusal.Step, expected: SMTPRefusal) throws {
        var parser = SMTPReplyParser()
        parser.append(Array((line + "\r\n").utf8))
        let reply = try #require(try parser.nextReply())
        #expect(SMTPRefusal.classify(reply, at: step) == expected, "\(line) at \(step)")
    }

    @Test func onlyAMissingMailboxMakesAnAddressUndeliverable() {
        let reply = MailReply(code: 550)
        #expect(SMTPRefusal.mailboxUnavailable.outcome(reply) == .undeliverable(reply))
        #expect(SMTPRefusal.policy.outcome(reply) == .deferred(reply))
        #expect(SMTPRefusal.temporary.outcome(reply) == .deferred(reply))
        #expect(SMTPRefusal.messageRefused.outcome(reply) == .rejected(reply))
    }
}

/// A relay that refuses everything by policy is the server's fault, seen over one connection.
struct SMTPPolicyFaultTests {
    /// Sends one message to `recipient` and answers its RCPT with `rcptReply` (no pipelining).
    private func refuse(_ machine: inout SMTPClientStateMachine, _ recipient: String, _ rcptReply: String) -> SMTPClientStateMachine.Action {
        var message = sampleMessage
        message.recipient = recipient
        _ = machine.send(message)
        _ = machine.receive("250 ok\r\n")
        _ = machine.receive(rcptReply + "\r\n")
        return machine.receive("250 ok\r\n")
    }

    @Test func policyRefusalsInTwoDomainsAreDeferredAndTheThirdDomainFailsTheConnection() throws {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        let denied = MailReply(code: 550, enhancedCode: "5.7.1", lines: ["Relaying denied"])
        #expect(refuse(&machine, "a@one.example", "550 5.7.1 Relaying denied") == .completeMessage(.deferred(denied), closeConnection: false))
        #expect(refuse(&machine, "b@ONE.example", "550 5.7.1 Relaying denied") == .completeMessage(.deferred(denied), closeConnection: false))
        #expect(refuse(&machine, "c@two.example", "550 5.7.1 Relaying denied") == .completeMessage(.deferred(denied), closeConnection: false))
        let error = try #require(refuse(&machine, "d@three.example", "550 5.7.1 Relaying denied").error)
        #expect(error.reason.contains("refused recipients in 3 different domains by policy"))
        #expect(error.reply == denied)
        #expect(machine.state == .closed)
    }

    @Test func aContentFilterAtTheEndOfDataCountsToo() throws {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        for (index, domain) in ["one.example", "two.example", "three.example"].enumerated() {
            var message = sampleMessage
            message.recipient = "p@\(domain)"
            _ = machine.send(message)
            _ = machine.receive("250 ok\r\n250 ok\r\n354 go\r\n")
            _ = machine.contentWritten()
            let action = machine.receive("554 5.7.1 spam\r\n")
            if index < 2 {
                #expect(action == .completeMessage(.deferred(MailReply(code: 554, enhancedCode: "5.7.1", lines: ["spam"])), closeConnection: false))
            } else {
                #expect(action.error != nil)
            }
        }
    }

    @Test func undeliverableAndOtherRefusalsDoNotCount() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        for domain in ["one.example", "two.example", "three.example", "four.example"] {
            guard case .completeMessage(.undeliverable, closeConnection: false) = refuse(&machine, "x@\(domain)", "550 5.1.1 unknown") else {
                Issue.record("a missing mailbox must stay a per-message outcome")
                return
            }
        }
        #expect(machine.state == .ready)
    }
}
