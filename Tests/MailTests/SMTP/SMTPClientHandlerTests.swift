@testable import Mail
import NIOCore
import NIOEmbedded
import Testing

/// `SMTPClientHandler` on an embedded channel: what it writes for what it reads, one read at a time.
struct SMTPClientHandlerTests {
    private static func message(_ number: Int) -> OutgoingMessage {
        OutgoingMessage(
            messageID: "\(number)@overstap.test", envelopeSender: "team@overstap.test", recipient: "p\(number)@example.nl",
            data: Array("Subject: Uitnodiging \(number)\r\n\r\nBeste deelnemer,\r\n".utf8))
    }

    /// A handler whose session is set up with a server that offers PIPELINING.
    private func readySession() throws -> (EmbeddedChannel, SMTPClientHandler) {
        let channel = EmbeddedChannel()
        let configuration = SMTPConfiguration(host: "mx.example.nl", port: 25, tls: .none, heloName: "overstap.test", timeouts: distinctTimeouts)
        let handler = SMTPClientHandler(configuration: configuration, tlsContext: nil, sessionPromise: channel.eventLoop.makePromise())
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 25)).wait()
        try receive("220 mx.example.nl ESMTP\r\n", on: channel)
        #expect(try written(by: channel) == "EHLO overstap.test\r\n")
        try receive(ehloReply(["PIPELINING"]), on: channel)
        return (channel, handler)
    }

    private func receive(_ text: String, on channel: EmbeddedChannel) throws {
        try channel.writeInbound(channel.allocator.buffer(string: text))
    }

    /// Everything the handler wrote since the last call, as text.
    private func written(by channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    private func send(_ message: OutgoingMessage, _ handler: SMTPClientHandler, on channel: EmbeddedChannel) throws -> EventLoopFuture<DeliveryOutcome> {
        let promise = channel.eventLoop.makePromise(of: DeliveryOutcome.self)
        handler.send(message, promise: promise, context: try channel.pipeline.syncOperations.context(handlerType: SMTPClientHandler.self))
        return promise.futureResult
    }

    @Test func theNextMessagesCommandsLeaveInTheSameWriteAsTheContent() throws {
        let (channel, handler) = try readySession()
        let first = try send(Self.message(1), handler, on: channel)
        let second = try send(Self.message(2), handler, on: channel)
        #expect(try written(by: channel) == "MAIL FROM:<team@overstap.test>\r\nRCPT TO:<p1@example.nl>\r\nDATA\r\n")
        try receive("250 ok\r\n250 ok\r\n354 go ahead\r\n", on: channel)
        let content = String(buffer: try #require(try channel.readOutbound(as: ByteBuffer.self)))
        #expect(content.hasSuffix("Beste deelnemer,\r\n.\r\nMAIL FROM:<team@overstap.test>\r\nRCPT TO:<p2@example.nl>\r\nDATA\r\n"))
        // The content's reply, the next message's replies and its content, all from one read.
        try receive("250 queued 1\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n", on: channel)
        #expect(try first.wait() == .delivered(MailReply(code: 250, lines: ["queued 1"])))
        #expect(try written(by: channel).hasPrefix("Subject: Uitnodiging 2"))
        try receive("250 queued 2\r\n", on: channel)
        #expect(try second.wait() == .delivered(MailReply(code: 250, lines: ["queued 2"])))
    }

    @Test func aPartOfTheNextReplyInTheSameReadWaitsForTheRest() throws {
        let (channel, handler) = try readySession()
        let first = try send(Self.message(1), handler, on: channel)
        let second = try send(Self.message(2), handler, on: channel)
        try receive("250 ok\r\n250 ok\r\n354 go ahead\r\n", on: channel)
        _ = try written(by: channel)
        try receive("250 queued 1\r\n250-2.1.0 sender", on: channel)
        #expect(try first.wait() == .delivered(MailReply(code: 250, lines: ["queued 1"])))
        try receive(" ok\r\n250 2.1.0 really\r\n250 ok\r\n354 go ahead\r\n", on: channel)
        #expect(try written(by: channel).hasPrefix("Subject: Uitnodiging 2"))
        try receive("250 queued 2\r\n", on: channel)
        #expect(try second.wait() == .delivered(MailReply(code: 250, lines: ["queued 2"])))
    }

    @Test func aServerClosingBehindAContentHandsTheNextMessageBackNotStarted() throws {
        let (channel, handler) = try readySession()
        let first = try send(Self.message(1), handler, on: channel)
        let second = try send(Self.message(2), handler, on: channel)
        let third = try send(Self.message(3), handler, on: channel)
        try receive("250 ok\r\n250 ok\r\n354 go ahead\r\n", on: channel)
        try receive("250 queued 1\r\n421 4.7.0 one message per connection\r\n", on: channel)
        #expect(try first.wait() == .delivered(MailReply(code: 250, lines: ["queued 1"])))
        #expect(throws: SMTPMessageNotStarted.self) { try second.wait() }
        #expect(throws: SMTPMessageNotStarted.self) { try third.wait() }
        #expect(!channel.isActive)
    }
}
