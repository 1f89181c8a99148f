import Mail
import OverstapTestSupport
import Testing

/// `SMTPTransport` against the scripted server announcing `PIPELINING`: `MAIL`, `RCPT` and
/// `DATA` leave together, and each reply of the batch is still attributed to its command.
struct SMTPPipeliningTests {
    private func message(_ number: Int, to recipient: String) -> OutgoingMessage {
        let text = "Message-ID: <\(number)@overstap.test>\r\nSubject: Uitnodiging \(number)\r\n\r\nBeste deelnemer,\r\n"
        return OutgoingMessage(messageID: "\(number)@overstap.test", envelopeSender: "team@overstap.test", recipient: recipient, data: Array(text.utf8))
    }

    private func transport(_ server: HostileSMTPServer) -> SMTPTransport {
        SMTPTransport(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: server.port, tls: .none, connections: 1, timeouts: SMTPTimeouts.all(.seconds(15))
        ))
    }

    /// The commands the server read, from the first `MAIL` on (the session setup left out).
    private func transactions(_ server: HostileSMTPServer) -> [String] {
        Array(server.commands.drop { !$0.hasPrefix("MAIL") })
    }

    private func pipelined(_ adjust: (inout HostileSMTPServer.Script) -> Void) throws -> HostileSMTPServer {
        var script = HostileSMTPServer.Script()
        script.pipelining = true
        adjust(&script)
        return try HostileSMTPServer(script)
    }

    @Test func aMissingMailboxInTheMiddleIsUndeliverableAndOnlyItsMessageIsReset() async throws {
        let server = try pipelined { $0.recipient = { $0 == "weg@example.nl" ? "550 5.1.1 no such user" : "250 2.1.5 ok" } }
        defer { server.stop() }
        let transport = transport(server)

        let first = try await transport.send(message(1, to: "jan@example.nl"))
        let missing = try await transport.send(message(2, to: "weg@example.nl"))
        let third = try await transport.send(message(3, to: "piet@example.nl"))
        await transport.close()

        guard case .delivered = first, case .undeliverable(let refusal) = missing, case .delivered = third else {
            Issue.record("expected delivered, undeliverable, delivered; got \(first), \(missing), \(third)")
            return
        }
        #expect(refusal.enhancedCode == "5.1.1")
        #expect(server.delivered == ["jan@example.nl", "piet@example.nl"])
        #expect(server.connections == 1)
        #expect(transactions(server) == [
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<jan@example.nl>", "DATA",
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<weg@example.nl>", "DATA", "RSET",
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<piet@example.nl>", "DATA", "QUIT",
        ])
    }

    @Test func aRefusedDATASendsNoContentButRSETAndDefersTheMessage() async throws {
        let server = try pipelined { $0.data = { $0 == ["druk@example.nl"] ? "451 4.3.0 local problem" : "354 go ahead" } }
        defer { server.stop() }
        let transport = transport(server)

        let refused = try await transport.send(message(1, to: "druk@example.nl"))
        let next = try await transport.send(message(2, to: "jan@example.nl"))
        await transport.close()

        guard case .deferred(let reply) = refused, case .delivered = next else {
            Issue.record("expected deferred, delivered; got \(refused), \(next)")
            return
        }
        #expect(reply.code == 451)
        #expect(server.delivered == ["jan@example.nl"])
        // Content read as commands would show up here; the refused message's content never left.
        #expect(transactions(server) == [
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<druk@example.nl>", "DATA", "RSET",
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<jan@example.nl>", "DATA", "QUIT",
        ])
    }

    @Test func a421InTheMiddleOfABatchIsATransportFailureAndNothingAfterItCountsAsDelivered() async throws {
        let server = try pipelined { $0.recipient = { $0 == "stop@example.nl" ? "421 4.3.2 shutting down" : "250 2.1.5 ok" } }
        defer { server.stop() }
        let transport = transport(server)

        let first = try await transport.send(message(1, to: "jan@example.nl"))
        var failure: MailTransportError?
        do {
            let outcome = try await transport.send(message(2, to: "stop@example.nl"))
            Issue.record("a 421 must fail the transport, not give \(outcome)")
        } catch {
            failure = error
        }
        await transport.close()

        guard case .delivered = first else {
            Issue.record("the message before the 421 was answered 250 after its dot, got \(first)")
            return
        }
        #expect(failure?.reason.contains("closed the connection") == true, "\(String(describing: failure))")
        #expect(server.delivered == ["jan@example.nl"])
        #expect(transactions(server) == [
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<jan@example.nl>", "DATA",
            "MAIL FROM:<team@overstap.test>", "RCPT TO:<stop@example.nl>",
        ])
    }
}
