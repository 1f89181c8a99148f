import Foundation
import Mail
import OverstapTestSupport
import Testing

/// `SMTPTransport` against a real aiosmtpd server started by each test.
struct SMTPTransportIntegrationTests {
    /// Short limits, so a broken exchange fails the test instead of hanging it.
    private static let testTimeouts = SMTPTimeouts.all(.seconds(15))

    /// Message `number` to `recipient`; its body has lines a naive client would garble.
    private func message(_ number: Int, to recipient: String = "jan@example.nl") -> OutgoingMessage {
        let text = """
            Message-ID: <\(number)@overstap.test>\r
            From: Mobiliteitsteam <team@overstap.test>\r
            To: <\(recipient)>\r
            Subject: Uitnodiging \(number)\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=UTF-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            Beste Jaïr,\r
            .\r
            .begint met een punt\r
            ..twee punten\r
            Tot ziens.\r

            """
        return OutgoingMessage(messageID: "\(number)@overstap.test", envelopeSender: "team@overstap.test", recipient: recipient, data: Array(text.utf8))
    }

    private func configuration(_ server: SMTPTestServer, tls: SMTPTLSMode, username: String? = nil, password: String? = nil, connections: Int = 2) -> SMTPConfiguration {
        SMTPConfiguration(
            host: "localhost", port: server.port, tls: tls, caFile: server.certificateFile,
            username: username, password: password, connections: connections, timeouts: Self.testTimeouts
        )
    }

    @Test func twentyMessagesOverTwoPooledSTARTTLSConnectionsArriveByteForByte() async throws {
        let server = try SMTPTestServer(["--tls", "starttls", "--auth", "team:geheim"])
        defer { server.stop() }
        let transport = SMTPTransport(configuration: configuration(server, tls: .starttls, username: "team", password: "geheim"))
        let messages = (1...20).map { message($0, to: "deelnemer\($0)@example.nl") }

        let outcomes = try await withThrowingTaskGroup(of: DeliveryOutcome.self) { group in
            for message in messages {
                group.addTask { try await transport.send(message) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await transport.close()

        #expect(outcomes.count == 20)
        #expect(outcomes.allSatisfy { if case .delivered(let reply?) = $0 { reply.code == 250 } else { false } })
        let received = try server.receivedMessages()
        #expect(received.count == 20)
        for message in messages {
            let arrived = try #require(received.first { $0.recipients == [message.recipient] }, "\(message.recipient) got nothing")
            #expect(arrived.data == message.data, "content of \(message.messageID) changed on the way")
            #expect(arrived.sender == message.envelopeSender)
            #expect(arrived.tls)
            #expect(arrived.mailOptions.contains("BODY=8BITMIME"))
        }
        let connections = Set(received.map(\.clientPort))
        #expect(connections.count <= 2, "the pool opened \(connections.count) connections")
        #expect(server.quitCount() == connections.count, "close() must end every session with QUIT")
    }

    @Test func aWrongPasswordIsATransportErrorAndNothingArrives() async throws {
        let server = try SMTPTestServer(["--tls", "starttls", "--auth", "team:geheim"])
        defer { server.stop() }
        let transport = SMTPTransport(configuration: configuration(server, tls: .starttls, username: "team", password: "fout"))
        let error = await #expect(throws: MailTransportError.self) { try await transport.send(message(1)) }
        await transport.close()
        #expect(error?.reply?.code == 535, "\(String(describing: error))")
        #expect(error?.description.contains("fout") == false)
        #expect(try server.receivedMessages().isEmpty)
    }

    @Test func rejectedAndDeferredRecipientsOverOnePlainConnection() async throws {
        let server = try SMTPTestServer(["--tls", "none", "--reject-rcpt", "onbekend@example.nl", "--defer-rcpt", "later@example.nl"])
        defer { server.stop() }
        let transport = SMTPTransport(configuration: configuration(server, tls: .none, connections: 1))

        let rejected = try await transport.send(message(1, to: "onbekend@example.nl"))
        let deferred = try await transport.send(message(2, to: "later@example.nl"))
        let delivered = try await transport.send(message(3, to: "jan@example.nl"))
        await transport.close()

        guard case .undeliverable(let rejection) = rejected, case .deferred(let deferral) = deferred, case .delivered = delivered else {
            Issue.record("expected undeliverable, deferred, delivered; got \(rejected), \(deferred), \(delivered)")
            return
        }
        #expect(rejection.code == 550)
        #expect(rejection.enhancedCode == "5.1.1")
        #expect(deferral.code == 450)
        let received = try server.receivedMessages()
        #expect(received.map(\.recipients) == [["jan@example.nl"]])
        #expect(received.first?.tls == false)
        #expect(Set(received.map(\.clientPort)).count == 1)
    }

    @Test func implicitTLSDeliversFromTheFirstByte() async throws {
        let server = try SMTPTestServer(["--tls", "implicit", "--auth", "team:geheim"])
        defer { server.stop() }
        let transport = SMTPTransport(configuration: configuration(server, tls: .implicit, username: "team", password: "geheim"))
        let outcome = try await transport.send(message(1))
        await transport.close()
        guard case .delivered = outcome else {
            Issue.record("expected delivery, got \(outcome)")
            return
        }
        let received = try server.receivedMessages()
        #expect(received.count == 1)
        #expect(received.first?.data == message(1).data)
    }

    @Test func startTLSRequiredAgainstAServerWithoutItIsATransportError() async throws {
        let server = try SMTPTestServer(["--tls", "none"])
        defer { server.stop() }
        let transport = SMTPTransport(configuration: configuration(server, tls: .starttls))
        let error = await #expect(throws: MailTransportError.self) { try await transport.send(message(1)) }
        await transport.close()
        #expect(error?.reason.contains("STARTTLS") == true)
        #expect(try server.receivedMessages().isEmpty)
    }

    @Test func anUntrustedCertificateIsATransportError() async throws {
        let server = try SMTPTestServer(["--tls", "implicit"])
        defer { server.stop() }
        var untrusting = configuration(server, tls: .implicit)
        untrusting.caFile = nil
        let transport = SMTPTransport(configuration: untrusting)
        await #expect(throws: MailTransportError.self) { try await transport.send(message(1)) }
        await transport.close()
        #expect(try server.receivedMessages().isEmpty)
    }

    @Test func noServerListeningIsATransportError() async throws {
        let server = try SMTPTestServer(["--tls", "none"])
        let port = server.port
        server.stop()
        let transport = SMTPTransport(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, tls: .none, timeouts: Self.testTimeouts))
        let error = await #expect(throws: MailTransportError.self) { try await transport.send(message(1)) }
        #expect(error?.reason.contains("cannot connect") == true)
    }
}
