@testable import Mail
import Testing

/// MAIL FROM, RCPT TO, DATA and the content, with and without pipelining, driven without I/O.
struct SMTPTransactionTests {
    /// Runs `MAIL`, `RCPT` and `DATA` one at a time up to the content action.
    private func nonPipelinedUpToContent(_ machine: inout SMTPClientStateMachine) -> SMTPClientStateMachine.Action {
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 2.1.0 ok\r\n")
        _ = machine.receive("250 2.1.5 ok\r\n")
        return machine.receive("354 go ahead\r\n")
    }

    @Test func sendsOneCommandAtATimeWithoutPipelining() {
        var machine = SMTPClientStateMachine.ready(extensions: ["8BITMIME"])
        #expect(machine.send(sampleMessage) == sending("MAIL FROM:<team@overstap.test>\r\n", timeout: .seconds(3)))
        #expect(machine.receive("250 2.1.0 ok\r\n") == sending("RCPT TO:<jan@example.nl>\r\n", timeout: .seconds(4)))
        #expect(machine.receive("250 2.1.5 ok\r\n") == sending("DATA\r\n", timeout: .seconds(5)))
        let content = Array("Subject: Uitnodiging\r\n\r\nBeste Jan,\r\n.\r\n".utf8)
        #expect(machine.receive("354 go ahead\r\n") == .sendContent(content, timeout: .seconds(6)))
        #expect(machine.contentWritten() == .wait(timeout: .seconds(7)))
        let reply = MailReply(code: 250, enhancedCode: "2.0.0", lines: ["queued as 12345"])
        #expect(machine.receive("250 2.0.0 queued as 12345\r\n") == .completeMessage(.delivered(reply), closeConnection: false))
    }

    @Test func pipeliningSendsMailRcptAndDataTogetherThenReadsThreeReplies() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        let batch = "MAIL FROM:<team@overstap.test>\r\nRCPT TO:<jan@example.nl>\r\nDATA\r\n"
        #expect(machine.send(sampleMessage) == sending(batch, timeout: .seconds(3 + 4 + 5)))
        #expect(machine.receive("250 ok\r\n") == .none)
        #expect(machine.receive("250 ok\r\n354 go") == .none)
        #expect(machine.receive(" ahead\r\n").sentText == "Subject: Uitnodiging\r\n\r\nBeste Jan,\r\n.\r\n")
    }

    @Test func oneConnectionCarriesManyMessages() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        for _ in 1...3 {
            _ = machine.send(sampleMessage)
            _ = machine.receive("250 ok\r\n250 ok\r\n354 go ahead\r\n")
            _ = machine.contentWritten()
            #expect(machine.receive("250 queued\r\n") == .completeMessage(.delivered(MailReply(code: 250, lines: ["queued"])), closeConnection: false))
        }
        #expect(machine.state == .ready)
    }

    @Test func aTemporaryMAILFailureDefersTheMessageAfterRSET() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        #expect(machine.receive("451 4.3.0 try again later\r\n") == sending("RSET\r\n", timeout: .seconds(3)))
        let reply = MailReply(code: 451, enhancedCode: "4.3.0", lines: ["try again later"])
        #expect(machine.receive("250 ok\r\n") == .completeMessage(.deferred(reply), closeConnection: false))
        #expect(machine.state == .ready)
    }

    @Test func aPermanentMAILFailureIsATransportErrorAndClosesTheConnection() throws {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        let error = try #require(machine.receive("550 5.7.1 sender not allowed\r\n").error)
        #expect(error.reply?.enhancedCode == "5.7.1")
        #expect(error.reason.contains("sender"))
        #expect(machine.state == .closed)
    }

    @Test func aRecipientWhoseMailboxDoesNotExistIsUndeliverableAfterRSET() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 ok\r\n")
        #expect(machine.receive("550 5.1.1 <jan@example.nl>: user unknown\r\n") == sending("RSET\r\n", timeout: .seconds(3)))
        let reply = MailReply(code: 550, enhancedCode: "5.1.1", lines: ["<jan@example.nl>: user unknown"])
        #expect(machine.receive("250 2.0.0 ok\r\n") == .completeMessage(.undeliverable(reply), closeConnection: false))
    }

    @Test(arguments: ["450 4.2.0 mailbox busy", "452 4.2.2 over quota", "552 5.2.2 mailbox full"])
    func aTemporaryRecipientFailureDefersTheMessage(line: String) {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 ok\r\n")
        _ = machine.receive(line + "\r\n")
        guard case .completeMessage(.deferred(let reply), closeConnection: false) = machine.receive("250 ok\r\n") else {
            Issue.record("\(line) must defer the message")
            return
        }
        #expect(reply.code == Int(line.prefix(3)))
    }

    @Test func aPipelinedRejectedRecipientWinsOverTheFollowingDATAError() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        let action = machine.receive("250 ok\r\n550 5.1.1 no such user\r\n554 5.5.1 no valid recipients\r\n")
        #expect(action == sending("RSET\r\n", timeout: .seconds(3)))
        let reply = MailReply(code: 550, enhancedCode: "5.1.1", lines: ["no such user"])
        #expect(machine.receive("250 ok\r\n") == .completeMessage(.undeliverable(reply), closeConnection: false))
    }

    @Test func whenDATAIsAcceptedAfterAFailedRecipientOnlyTheFinalDotIsSent() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        let action = machine.receive("250 ok\r\n450 4.2.1 later\r\n354 go ahead\r\n")
        #expect(action == .sendContent(Array(".\r\n".utf8), timeout: .seconds(6)))
        _ = machine.contentWritten()
        let reply = MailReply(code: 450, enhancedCode: "4.2.1", lines: ["later"])
        #expect(machine.receive("554 no recipients\r\n") == .completeMessage(.deferred(reply), closeConnection: false))
    }

    @Test func aRefusedPipelinedDATASendsRSETInsteadOfTheContent() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        #expect(machine.receive("250 ok\r\n250 ok\r\n451 4.3.0 local problem\r\n") == sending("RSET\r\n", timeout: .seconds(3)))
        let reply = MailReply(code: 451, enhancedCode: "4.3.0", lines: ["local problem"])
        #expect(machine.receive("250 ok\r\n") == .completeMessage(.deferred(reply), closeConnection: false))
        #expect(machine.state == .ready)
    }

    @Test func a421ToAPipelinedRecipientFollowedByTheCloseIsATransportFailure() throws {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        #expect(machine.receive("250 ok\r\n421 4.3.2 shutting down\r\n") == .none)
        let error = try #require(machine.connectionClosed().error)
        #expect(error.reason.contains("closed the connection"))
        #expect(machine.state == .closed)
    }

    @Test(arguments: [("451 4.3.0 local error", "deferred"), ("554 5.3.4 too big for us", "rejected")])
    func aRefusedDATACommandDecidesTheOutcome(line: String, outcome: String) {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 ok\r\n")
        _ = machine.receive("250 ok\r\n")
        #expect(machine.receive(line + "\r\n") == sending("RSET\r\n", timeout: .seconds(3)))
        let completion = machine.receive("250 ok\r\n")
        switch (completion, outcome) {
        case (.completeMessage(.deferred, false), "deferred"), (.completeMessage(.rejected, false), "rejected"): break
        default: Issue.record("\(line) should give \(outcome), gave \(completion)")
        }
    }

    @Test(arguments: [("452 4.3.1 insufficient storage", "deferred"), ("554 5.6.0 message refused", "rejected")])
    func theReplyAfterTheFinalDotDecidesTheOutcome(line: String, outcome: String) {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = nonPipelinedUpToContent(&machine)
        _ = machine.contentWritten()
        let completion = machine.receive(line + "\r\n")
        switch (completion, outcome) {
        case (.completeMessage(.deferred, false), "deferred"), (.completeMessage(.rejected, false), "rejected"): break
        default: Issue.record("\(line) should give \(outcome), gave \(completion)")
        }
        #expect(machine.state == .ready, "no RSET is needed after the final reply")
    }

    @Test func aRefusedRSETStillReportsTheOutcomeButClosesTheConnection() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        _ = machine.receive("450 later\r\n")
        #expect(machine.receive("500 what\r\n") == .completeMessage(.deferred(MailReply(code: 450, lines: ["later"])), closeConnection: true))
    }

    @Test func aDisconnectDuringTheContentIsATransportErrorAndTheMessageStaysPending() throws {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = nonPipelinedUpToContent(&machine)
        let error = try #require(machine.connectionClosed().error)
        #expect(error.reason.contains("DATA"))
        #expect(error.reason.contains("stays pending"))
    }

    @Test func aDisconnectWhileIdleEndsTheSessionQuietly() throws {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        #expect(machine.connectionClosed() == .none)
        #expect(try #require(machine.send(sampleMessage).error).reason.contains("stays pending"))
    }

    @Test func aGoodbyeWhileIdleClosesTheConnection() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        #expect(machine.receive("421 4.4.2 idle too long\r\n") == .close)
    }

    @Test func aGoodbyeRightAfterTheFinalReplyKeepsTheOutcomeButClosesTheConnection() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = nonPipelinedUpToContent(&machine)
        _ = machine.contentWritten()
        let action = machine.receive("250 queued\r\n421 shutting down\r\n")
        #expect(action == .completeMessage(.delivered(MailReply(code: 250, lines: ["queued"])), closeConnection: true))
    }

    @Test func aReplyToACommandNeverSentIsATransportError() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        #expect(machine.receive("250 ok\r\n250 ok\r\n").error != nil)
    }

    @Test func aMessageOverTheServersSizeLimitIsRejectedWithoutSendingIt() throws {
        var machine = SMTPClientStateMachine.ready(extensions: ["SIZE 20"])
        let action = machine.send(sampleMessage)
        guard case .completeMessage(.rejected(let reply), closeConnection: false) = action else {
            Issue.record("expected a local rejection, got \(action)")
            return
        }
        #expect(reply.code == 552)
        #expect(reply.enhancedCode == "5.3.4")
        #expect(machine.state == .ready)
    }

    @Test func declaresTheSizeWhenTheServerAnnouncesSIZE() {
        var machine = SMTPClientStateMachine.ready(extensions: ["SIZE 10000"])
        #expect(machine.send(sampleMessage).sentText == "MAIL FROM:<team@overstap.test> SIZE=\(sampleMessage.data.count)\r\n")
    }

    @Test func declares8BITMIMEOnlyForEightBitContentWhenOffered() {
        var eightBit = sampleMessage
        eightBit.data = Array("Subject: Uitnodiging\r\n\r\nBeste Jaïr,\r\n".utf8)
        var offered = SMTPClientStateMachine.ready(extensions: ["8BITMIME"])
        #expect(offered.send(eightBit).sentText == "MAIL FROM:<team@overstap.test> BODY=8BITMIME\r\n")
        var sevenBit = SMTPClientStateMachine.ready(extensions: ["8BITMIME"])
        #expect(sevenBit.send(sampleMessage).sentText == "MAIL FROM:<team@overstap.test>\r\n")
        var notOffered = SMTPClientStateMachine.ready(extensions: [])
        #expect(notOffered.send(eightBit).sentText == "MAIL FROM:<team@overstap.test>\r\n")
    }

    @Test(arguments: ["jan@example.nl>\r\nRCPT TO:<evil@example.nl", "jan @example.nl", ""])
    func anAddressThatWouldChangeTheCommandIsRejectedLocally(recipient: String) {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        var message = sampleMessage
        message.recipient = recipient
        guard case .completeMessage(.rejected(let reply), closeConnection: false) = machine.send(message) else {
            Issue.record("\(recipient.debugDescription) must be refused before anything is sent")
            return
        }
        #expect(reply.code == 501)
    }

    @Test func theNullSenderIsAllowedForBounces() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        var message = sampleMessage
        message.envelopeSender = ""
        #expect(machine.send(message).sentText == "MAIL FROM:<>\r\n")
    }

    @Test func quitWhenIdleThenCloses() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        #expect(machine.quit() == sending("QUIT\r\n", timeout: .seconds(3)))
        #expect(machine.receive("221 2.0.0 bye\r\n") == .close)
        #expect(machine.connectionClosed() == .none)
    }
}

/// The next message's `MAIL`, `RCPT` and `DATA` sent behind the content (RFC 2920 §3.1), driven without I/O.
struct SMTPContentPipeliningTests {
    private let second = OutgoingMessage(
        messageID: "2@overstap.test", envelopeSender: "team@overstap.test", recipient: "piet@example.nl",
        data: Array("Subject: Uitnodiging\r\n\r\nBeste Piet,\r\n".utf8))
    private let secondCommands = "MAIL FROM:<team@overstap.test>\r\nRCPT TO:<piet@example.nl>\r\nDATA\r\n"

    /// A machine whose first message's content is about to be written, the second one's commands behind it.
    private func contentWithSecondBehind() -> SMTPClientStateMachine {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 ok\r\n250 ok\r\n354 go ahead\r\n")
        let commands = machine.pipeline(second).map { String(decoding: $0, as: UTF8.self) }
        #expect(commands == secondCommands)
        _ = machine.contentWritten()
        return machine
    }

    @Test func theReplyToTheContentAndTheNextMessagesRepliesInOneReadCarryBothOn() {
        var machine = contentWithSecondBehind()
        let first = machine.receive("250 queued\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n")
        #expect(first == .completeMessageAndContinue(.delivered(MailReply(code: 250, lines: ["queued"])), timeout: .seconds(3 + 4 + 5)))
        #expect(machine.hasBufferedReplies)
        #expect(machine.bytesReceived(EmptyCollection()).sentText == "Subject: Uitnodiging\r\n\r\nBeste Piet,\r\n.\r\n")
        #expect(!machine.hasBufferedReplies)
        _ = machine.contentWritten()
        #expect(machine.receive("250 queued too\r\n") == .completeMessage(.delivered(MailReply(code: 250, lines: ["queued too"])), closeConnection: false))
        #expect(machine.state == .ready)
    }

    @Test func aRefusedContentStillLetsTheMessageBehindItGoOn() {
        var machine = contentWithSecondBehind()
        let refusal = MailReply(code: 554, enhancedCode: "5.6.0", lines: ["content refused"])
        #expect(machine.receive("554 5.6.0 content refused\r\n") == .completeMessageAndContinue(.rejected(refusal), timeout: .seconds(12)))
        #expect(machine.receive("250 ok\r\n250 ok\r\n354 go ahead\r\n").sentText == "Subject: Uitnodiging\r\n\r\nBeste Piet,\r\n.\r\n")
    }

    @Test func aServerClosingAfterTheContentsReplyLeavesTheMessageBehindItNotStarted() {
        var machine = contentWithSecondBehind()
        #expect(machine.receive("250 queued\r\n421 4.7.0 enough for one connection\r\n").isCompletion)
        #expect(machine.bytesReceived(EmptyCollection()) == .restartMessage)
        #expect(machine.state == .closed)
    }

    @Test func aCloseWithoutA421BeforeTheNextMessagesRepliesLeavesItNotStarted() {
        var machine = contentWithSecondBehind()
        #expect(machine.receive("250 queued\r\n").isCompletion)
        #expect(machine.connectionClosed() == .restartMessage)
    }

    @Test func aServerClosingBeforeTheContentsReplyFailsTheContentAndNothingElse() {
        var machine = contentWithSecondBehind()
        #expect(machine.connectionClosed().error?.reason.contains("closed the connection during DATA") == true)
        #expect(machine.pipelined == nil)
    }

    @Test func nothingIsSentBehindTheContentWithoutPipeliningOrWhenOneFollowsAlready() {
        var plain = SMTPClientStateMachine.ready(extensions: [])
        _ = plain.send(sampleMessage)
        _ = plain.receive("250 ok\r\n")
        _ = plain.receive("250 ok\r\n")
        _ = plain.receive("354 go ahead\r\n")
        #expect(plain.pipeline(second) == nil)

        var machine = contentWithSecondBehind()
        #expect(machine.pipeline(second) == nil, "the content is written already")
        var fresh = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = fresh.send(sampleMessage)
        _ = fresh.receive("250 ok\r\n250 ok\r\n354 go ahead\r\n")
        #expect(fresh.pipeline(second) != nil)
        #expect(fresh.pipeline(second) == nil, "one message follows already")
    }

    @Test func aMessageThatWouldBeRefusedBeforeSendingIsNotSentBehind() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 ok\r\n250 ok\r\n354 go ahead\r\n")
        var injected = second
        injected.recipient = "piet@example.nl>\r\nRCPT TO:<other@example.nl"
        #expect(machine.pipeline(injected) == nil)
        #expect(machine.pipelined == nil)
    }
}

extension SMTPClientStateMachine.Action {
    /// Whether the action reports the message in flight finished.
    fileprivate var isCompletion: Bool {
        switch self {
        case .completeMessage, .completeMessageAndContinue: true
        default: false
        }
    }
}
