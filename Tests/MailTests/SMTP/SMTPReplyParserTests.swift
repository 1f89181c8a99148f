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
