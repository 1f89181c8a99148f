import Mail
import OverstapTestSupport
import Synchronization
import Testing

/// `SMTPTransport.openLane()`: messages queued on one connection's event loop, in order, with a
/// connection the server closes replaced and a transport failure ending the lane.
struct SMTPLaneTests {
    private func message(_ number: Int) -> OutgoingMessage {
        let text = "Message-ID: <\(number)@overstap.test>\r\nSubject: Uitnodiging \(number)\r\n\r\nBeste deelnemer,\r\n"
        return OutgoingMessage(
            messageID: "\(number)@overstap.test", envelopeSender: "team@overstap.test", recipient: "p\(number)@example.nl", data: Array(text.utf8))
    }

    private func transport(_ server: HostileSMTPServer) -> SMTPTransport {
        SMTPTransport(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: server.port, tls: .none, connections: 1, timeouts: SMTPTimeouts.all(.seconds(15))))
    }

    /// Hands messages 1…`count` to one lane without waiting and returns each one's result, in order.
    private func send(_ count: Int, through transport: SMTPTransport) async -> [LaneResult?] {
        let results = Mutex<[Int: LaneResult]>([:])
        let lane = transport.openLane()
        for number in 1...count {
            lane.send(message(number)) { result in results.withLock { $0[number] = result } }
        }
        await lane.finish()
        await transport.close()
        return results.withLock { found in (1...count).map { found[$0] } }
    }

    @Test func messagesHandedOverAtOnceLeaveInOrderOverOneConnection() async throws {
        let server = try HostileSMTPServer(HostileSMTPServer.Script())
        defer { server.stop() }
        let results = await send(20, through: transport(server))
        #expect(results.allSatisfy { if case .outcome(.delivered) = $0 { true } else { false } }, "\(results)")
        #expect(server.delivered == (1...20).map { "p\($0)@example.nl" })
        #expect(server.connections == 1)
    }

    @Test func theNextMessagesCommandsGoBehindTheContentWithoutWaitingForItsReply() async throws {
        var script = HostileSMTPServer.Script()
        script.pipelining = true
        script.holdsEndOfDataReply = true
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        let results = await send(6, through: transport(server))
        #expect(results.allSatisfy { if case .outcome(.delivered) = $0 { true } else { false } }, "\(results)")
        #expect(server.delivered == (1...6).map { "p\($0)@example.nl" })
        // Each one queued when the content before it left goes behind it (every one, unless a loaded
        // machine handed one over late); SMTPContentPipeliningTests shows the exchange itself.
        #expect(server.commandsBehindContent >= 1, "the next message's commands left behind the content before it")
        #expect(server.connections == 1)
    }

    @Test func aRefusedRecipientBehindAContentIsResetAndTheRestGoesOn() async throws {
        var script = HostileSMTPServer.Script()
        script.pipelining = true
        script.holdsEndOfDataReply = true
        script.recipient = { $0 == "p3@example.nl" ? "550 5.1.1 no such user" : "250 2.1.5 ok" }
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        let results = await send(5, through: transport(server))
        guard case .outcome(.undeliverable(let refusal))? = results[2] else {
            Issue.record("the third message's mailbox does not exist: \(results)")
            return
        }
        #expect(refusal.enhancedCode == "5.1.1")
        #expect([0, 1, 3, 4].allSatisfy { if case .outcome(.delivered)? = results[$0] { true } else { false } }, "\(results)")
        #expect(server.delivered == ["p1@example.nl", "p2@example.nl", "p4@example.nl", "p5@example.nl"])
        #expect(server.commands.filter { $0 == "RSET" }.count == 1)
    }

    @Test func aConnectionTheServerClosesAfterEveryThirdMessageIsReplacedAndNothingIsLost() async throws {
        let count = Atomic(0)
        var script = HostileSMTPServer.Script()
        script.pipelining = true
        // A limit of messages per connection: the reply, then a 421, then the server is gone.
        script.endOfData = { _ in
            count.add(1, ordering: .relaxed).newValue % 3 == 0 ? "250 2.0.0 queued\r\n421 4.7.0 three messages per connection" : "250 2.0.0 queued"
        }
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        let results = await send(10, through: transport(server))
        #expect(results.allSatisfy { if case .outcome(.delivered) = $0 { true } else { false } }, "\(results)")
        #expect(server.delivered == (1...10).map { "p\($0)@example.nl" }, "in the order handed over")
        #expect(server.connections == 4)
    }

    @Test func aTransportFailureEndsTheLaneAndTheRestIsNotStarted() async throws {
        var script = HostileSMTPServer.Script()
        // The third message's 421 closes the session; the server then refuses every new one.
        script.recipient = { $0 == "p3@example.nl" ? "421 4.3.2 shutting down" : "250 2.1.5 ok" }
        script.sessions = 1
        let server = try HostileSMTPServer(script)
        defer { server.stop() }
        let results = await send(7, through: transport(server))
        #expect(server.delivered == ["p1@example.nl", "p2@example.nl"])
        // The 421 either defers the third message, and the new session's 554 fails the fourth, or
        // the server's close already fails the third (its RSET meets a closed connection).
        guard let failed = results.firstIndex(where: { if case .failed? = $0 { true } else { false } }), failed == 2 || failed == 3,
            case .failed(let error)? = results[failed]
        else {
            Issue.record("the third or the fourth message fails with the transport: \(results)")
            return
        }
        if failed == 3 {
            guard case .outcome(.deferred)? = results[2] else {
                Issue.record("the third message is deferred before the fourth fails: \(results)")
                return
            }
            #expect(error.reply?.code == 554)
            #expect(server.connections == 2)
        }
        #expect(results[(failed + 1)...].allSatisfy { $0 == .notStarted }, "nothing after the failure starts: \(results)")
    }

    @Test func aServerThatIsNotThereFailsTheFirstMessageAndStartsNoOther() async throws {
        let server = try HostileSMTPServer(HostileSMTPServer.Script())
        let port = server.port
        server.stop()
        let transport = SMTPTransport(configuration: SMTPConfiguration(
            host: "127.0.0.1", port: port, tls: .none, connections: 1, timeouts: SMTPTimeouts.all(.seconds(5))))
        let results = await send(3, through: transport)
        guard case .failed? = results[0] else {
            Issue.record("\(results)")
            return
        }
        #expect(results[1...] == [.notStarted, .notStarted])
    }
}
