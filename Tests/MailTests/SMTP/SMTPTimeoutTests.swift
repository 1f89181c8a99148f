@testable import Mail
import Testing

/// Every wait is bounded: the state machine names the limit, the handler only runs the timer.
struct SMTPTimeoutTests {
    @Test func aSilentServerAfterConnectingIsATransportError() throws {
        var machine = SMTPClientStateMachine.make()
        #expect(machine.connected() == .wait(timeout: .seconds(2)))
        let error = try #require(machine.timeoutFired().error)
        #expect(error.reason.contains("did not answer in time during the greeting"))
    }

    @Test func noReplyToRCPTIsATransportErrorAndTheMessageStaysPending() throws {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        #expect(machine.receive("250 ok\r\n") == sending("RCPT TO:<jan@example.nl>\r\n", timeout: .seconds(4)))
        let error = try #require(machine.timeoutFired().error)
        #expect(error.reason.contains("RCPT TO"))
        #expect(error.reason.contains("stays pending"))
    }

    @Test func aContentWriteThatNeverFinishesIsATransportError() throws {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        guard case .sendContent(_, let timeout) = machine.receive("250 ok\r\n250 ok\r\n354 go\r\n") else {
            Issue.record("expected the content to be sent")
            return
        }
        #expect(timeout == .seconds(6))
        #expect(try #require(machine.timeoutFired().error).reason.contains("DATA"))
    }

    @Test func noReplyAfterTheFinalDotIsATransportError() {
        var machine = SMTPClientStateMachine.ready(extensions: ["PIPELINING"])
        _ = machine.send(sampleMessage)
        _ = machine.receive("250 ok\r\n250 ok\r\n354 go\r\n")
        #expect(machine.contentWritten() == .wait(timeout: .seconds(7)))
        #expect(machine.timeoutFired().error != nil)
    }

    @Test func aTimerFiringWhileIdleChangesNothing() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        #expect(machine.timeoutFired() == .none)
        #expect(machine.send(sampleMessage).sentText == "MAIL FROM:<team@overstap.test>\r\n")
    }

    @Test func noReplyToRSETStillReportsTheOutcome() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.send(sampleMessage)
        _ = machine.receive("450 later\r\n")
        #expect(machine.timeoutFired() == .completeMessage(.deferred(MailReply(code: 450, lines: ["later"])), closeConnection: true))
    }

    @Test func noReplyToQUITJustCloses() {
        var machine = SMTPClientStateMachine.ready(extensions: [])
        _ = machine.quit()
        #expect(machine.timeoutFired() == .close)
    }

    @Test func aTLSHandshakeThatHangsAfterSTARTTLSIsCalledOneNotAnEHLOTimeout() throws {
        var machine = SMTPClientStateMachine.make(tls: .starttls)
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["STARTTLS"]))
        _ = machine.receive("220 go ahead\r\n")
        _ = machine.tlsStarted()
        let error = try #require(machine.timeoutFired().error)
        #expect(error.reason.contains("did not answer in time during the TLS handshake"), "\(error)")
    }

    @Test func anImplicitTLSHandshakeThatHangsIsCalledOne() throws {
        var machine = SMTPClientStateMachine.make(tls: .implicit)
        _ = machine.connected()
        #expect(try #require(machine.timeoutFired().error).reason.contains("during the TLS handshake"))
    }

    @Test func afterTheHandshakeASilentServerIsTimedOutDuringEHLO() throws {
        var machine = SMTPClientStateMachine.make(tls: .starttls)
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["STARTTLS"]))
        _ = machine.receive("220 go ahead\r\n")
        _ = machine.tlsStarted()
        _ = machine.tlsHandshakeCompleted()
        #expect(try #require(machine.timeoutFired().error).reason.contains("during EHLO"))
    }
}
