@testable import Mail
import Testing

/// Cutting the server's bytes into replies.
struct SMTPReplyParserTests {
    @Test func readsEnhancedStatusCodesOffEveryLine() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("550-5.1.1 The mailbox\r\n550 5.1.1 does not exist\r\n".utf8))
        let reply = try #require(try parser.nextReply())
        #expect(reply == MailReply(code: 550, enhancedCode: "5.1.1", lines: ["The mailbox", "does not exist"]))
        #expect(!parser.hasBufferedBytes)
    }

    @Test func ignoresACodeLikeTextOfAnotherClass() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("250 5.1.1 looks like a code\r\n".utf8))
        #expect(try parser.nextReply() == MailReply(code: 250, lines: ["5.1.1 looks like a code"]))
    }

    @Test func acceptsABareCodeAndBareLineFeeds() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("250\n354 go\n".utf8))
        #expect(try parser.nextReply() == MailReply(code: 250, lines: [""]))
        #expect(try parser.nextReply() == MailReply(code: 354, lines: ["go"]))
        #expect(try parser.nextReply() == nil)
    }
}

/// A hostile server cannot make the client buffer without end.
struct SMTPReplyBoundTests {
    @Test func aReplyThatNeverEndsIsRefusedAfterAHundredLines() throws {
        var parser = SMTPReplyParser()
        for _ in 0..<99 { parser.append(Array("220-still greeting you\r\n".utf8)) }
        #expect(try parser.nextReply() == nil)
        parser.append(Array("220-still greeting you\r\n".utf8))
        #expect(throws: SMTPReplyParser.MalformedReply.self) { try parser.nextReply() }
    }

    @Test func aReplyOfFewLongLinesIsRefusedBySize() throws {
        var parser = SMTPReplyParser()
        let line = "220-" + String(repeating: "x", count: 4000) + "\r\n"
        for _ in 0..<16 { parser.append(Array(line.utf8)) }
        #expect(try parser.nextReply() == nil)
        parser.append(Array(line.utf8))
        #expect(throws: SMTPReplyParser.MalformedReply.self) { try parser.nextReply() }
    }

    @Test func aStreamingGreetingFailsTheConnection() throws {
        var machine = SMTPClientStateMachine.make()
        _ = machine.connected()
        var action = SMTPClientStateMachine.Action.none
        var reads = 0
        while action == .none, reads < 1000 {
            action = machine.receive(String(repeating: "220-welcome, welcome\r\n", count: 7))
            reads += 1
        }
        let error = try #require(action.error)
        #expect(error.reason.contains("did not end within 100 lines"))
        #expect(reads < 20)
    }
}
