import Foundation
@testable import Mail
import Testing

/// Greeting, EHLO/HELO, STARTTLS and AUTH, driven through the state machine without I/O.
struct SMTPSessionSetupTests {
    @Test func waitsForTheGreetingThenSaysEHLO() {
        var machine = SMTPClientStateMachine.make()
        #expect(machine.connected() == .wait(timeout: .seconds(2)))
        #expect(machine.receive("220 mx.example.nl ESMTP\r\n") == sending("EHLO overstap.test\r\n", timeout: .seconds(3)))
    }

    @Test(arguments: ["421 4.3.2 too busy\r\n", "554 no service for you\r\n"])
    func aRefusingGreetingIsATransportErrorWithTheReply(greeting: String) throws {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        let error = try #require(machine.receive(greeting).error)
        #expect(error.reply?.code == Int(greeting.prefix(3)))
        #expect(error.reason.contains("greeting"))
        #expect(machine.state == .closed)
    }

    @Test func aMultiLineEHLOReplySplitAcrossReadsIsOneReply() {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        #expect(machine.receive("250-mx.example.nl He") == .none)
        #expect(machine.receive("llo\r\n250-PIPELINING\r\n250-SIZE 1000") == .none)
        #expect(machine.receive("0\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES\r\n") == .sessionReady)
        #expect(machine.capabilities.pipelining)
        #expect(machine.capabilities.sizeLimit == 10000)
        #expect(machine.capabilities.eightBitMIME)
        #expect(machine.capabilities.enhancedStatusCodes)
    }

    @Test(arguments: ["500 5.5.1 command unrecognized\r\n", "502 not implemented\r\n"])
    func fallsBackToHELOWhenEHLOIsUnknown(ehloAnswer: String) {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        _ = machine.receive("220 old.example.nl SMTP\r\n")
        #expect(machine.receive(ehloAnswer) == sending("HELO overstap.test\r\n", timeout: .seconds(3)))
        #expect(machine.receive("250 old.example.nl\r\n") == .sessionReady)
        // HELO means no extensions: one command at a time.
        #expect(machine.send(sampleMessage).sentText == "MAIL FROM:<team@overstap.test>\r\n")
    }

    @Test(arguments: ["421 4.7.0 go away\r\n", "550 not you\r\n"])
    func otherEHLORefusalsAreTransportErrors(ehloAnswer: String) throws {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        let error = try #require(machine.receive(ehloAnswer).error)
        #expect(error.reason.contains("EHLO"))
        #expect(error.reply?.code == Int(ehloAnswer.prefix(3)))
    }

    @Test func aHELORefusalAfterTheFallbackIsATransportError() throws {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        _ = machine.receive("220 mx SMTP\r\n")
        _ = machine.receive("502 no\r\n")
        let error = try #require(machine.receive("550 5.7.1 not you either\r\n").error)
        #expect(error.reply == MailReply(code: 550, enhancedCode: "5.7.1", lines: ["not you either"]))
    }

    @Test func startTLSThenGreetsAgainAndAuthenticatesWithPLAIN() {
        var machine = SMTPClientStateMachine.make(tls: .starttls, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        // AUTH is not offered before TLS, as on servers that hide it from plain connections.
        #expect(machine.receive(ehloReply(["PIPELINING", "STARTTLS"])) == sending("STARTTLS\r\n", timeout: .seconds(3)))
        #expect(machine.receive("220 2.0.0 go ahead\r\n") == .startTLS)
        #expect(machine.tlsStarted() == sending("EHLO overstap.test\r\n", timeout: .seconds(3)))
        #expect(machine.capabilities == SMTPCapabilities(), "capabilities from before TLS must be forgotten")
        let auth = machine.receive(ehloReply(["PIPELINING", "AUTH LOGIN PLAIN"]))
        let plain = Data([0] + Array("team".utf8) + [0] + Array("geheim".utf8)).base64EncodedString()
        #expect(auth == sending("AUTH PLAIN \(plain)\r\n", timeout: .seconds(3)))
        #expect(machine.receive("235 2.7.0 authenticated\r\n") == .sessionReady)
    }

    @Test func authenticatesWithLOGINWhenPLAINIsNotOffered() {
        var machine = SMTPClientStateMachine.make(tls: .implicit, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        #expect(machine.receive(ehloReply(["AUTH=LOGIN"])) == sending("AUTH LOGIN\r\n", timeout: .seconds(3)))
        #expect(machine.receive("334 VXNlcm5hbWU6\r\n") == sending("dGVhbQ==\r\n", timeout: .seconds(3)))
        #expect(machine.receive("334 UGFzc3dvcmQ6\r\n") == sending("Z2VoZWlt\r\n", timeout: .seconds(3)))
        #expect(machine.receive("235 ok\r\n") == .sessionReady)
    }

    @Test func wrongCredentialsAreATransportErrorThatNeverShowsThePassword() throws {
        var machine = SMTPClientStateMachine.make(tls: .implicit, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["AUTH PLAIN"]))
        let error = try #require(machine.receive("535 5.7.8 authentication credentials invalid\r\n").error)
        #expect(error.reply?.code == 535)
        #expect(error.reply?.enhancedCode == "5.7.8")
        #expect(error.reason.contains("username and password"))
        #expect(!error.description.contains("geheim"))
        #expect(machine.state == .closed)
    }

    @Test func aTemporaryAUTHFailureIsAlsoATransportError() throws {
        var machine = SMTPClientStateMachine.make(tls: .implicit, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["AUTH PLAIN"]))
        #expect(try #require(machine.receive("454 4.7.0 temporary authentication failure\r\n").error).reply?.code == 454)
    }

    @Test func refusesToSendCredentialsWithoutTLS() throws {
        var machine = SMTPClientStateMachine.make(tls: .none, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        let action = machine.receive(ehloReply(["AUTH PLAIN LOGIN"]))
        let error = try #require(action.error, "no AUTH may be sent in plain text, got \(action)")
        #expect(error.reason.contains("without TLS"))
    }

    @Test func refusesWhenNoUsableAUTHMechanismIsOffered() throws {
        var machine = SMTPClientStateMachine.make(tls: .implicit, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        let error = try #require(machine.receive(ehloReply(["AUTH CRAM-MD5"])).error)
        #expect(error.reason.contains("CRAM-MD5"))
    }

    @Test func startTLSRequiredButNotOfferedNeverFallsBackToPlainText() throws {
        var machine = SMTPClientStateMachine.make(tls: .starttls)
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        let error = try #require(machine.receive(ehloReply(["PIPELINING", "AUTH PLAIN"])).error)
        #expect(error.reason.contains("does not offer STARTTLS"))
        #expect(machine.send(sampleMessage).error != nil, "no message may go out on this connection")
    }

    @Test func aRefusedSTARTTLSIsATransportError() throws {
        var machine = SMTPClientStateMachine.make(tls: .starttls)
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["STARTTLS"]))
        let error = try #require(machine.receive("454 4.7.0 TLS not available\r\n").error)
        #expect(error.reply?.code == 454)
    }

    @Test func bytesInjectedAfterTheSTARTTLSReplyInTheSameReadAreRefused() throws {
        var machine = SMTPClientStateMachine.make(tls: .starttls)
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["STARTTLS"]))
        let error = try #require(machine.receive("220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n").error)
        #expect(error.reason.contains("STARTTLS injection"))
    }

    @Test func bytesArrivingBeforeTheTLSHandlerIsInPlaceAreRefused() throws {
        var machine = SMTPClientStateMachine.make(tls: .starttls)
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        _ = machine.receive(ehloReply(["STARTTLS"]))
        #expect(machine.receive("220 go ahead\r\n") == .startTLS)
        #expect(machine.receive("2").error != nil)
        #expect(machine.tlsStarted() == .none, "TLS must not start after the refusal")
    }

    @Test func implicitTLSAuthenticatesAfterTheFirstEHLO() {
        var machine = SMTPClientStateMachine.make(tls: .implicit, username: "team", password: "geheim")
        _ = machine.connected()
        _ = machine.receive("220 mx ESMTP\r\n")
        #expect(machine.receive(ehloReply(["AUTH PLAIN"])).sentText?.hasPrefix("AUTH PLAIN ") == true)
    }

    @Test func garbageInsteadOfSMTPIsATransportError() throws {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        let error = try #require(machine.receive("HTTP/1.1 400 Bad Request\r\n").error)
        #expect(error.reason.contains("does not speak SMTP"))
    }

    @Test func aReplyWhoseLinesDisagreeOnTheCodeIsATransportError() {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        #expect(machine.receive("220-mx ESMTP\r\n250 hello\r\n").error != nil)
    }

    @Test func anEndlessLineIsRefusedInsteadOfBuffered() {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        #expect(machine.receive("220 " + String(repeating: "x", count: 5000)).error != nil)
    }
}
