@testable import Mail
import Testing

/// The content after DATA: dot-stuffing, CRLF line ends and the final dot.
struct SMTPDataEncoderTests {
    private func encoded(_ text: String) -> String {
        String(decoding: SMTPDataEncoder.encode(Array(text.utf8)).bytes, as: UTF8.self)
    }

    @Test func linesStartingWithADotGetAnotherDot() {
        #expect(encoded(".first\r\nmiddle\r\n.\r\n..two\r\nend.\r\n") == "..first\r\nmiddle\r\n..\r\n...two\r\nend.\r\n.\r\n")
    }

    @Test func bareLineFeedsAndCarriageReturnsBecomeCRLF() {
        #expect(encoded("a\nb\rc\r\n\n.d") == "a\r\nb\r\nc\r\n\r\n..d\r\n.\r\n")
    }

    @Test func contentWithoutAFinalLineEndStillEndsWithCRLFDotCRLF() {
        #expect(encoded("no newline") == "no newline\r\n.\r\n")
        #expect(encoded("") == "\r\n.\r\n")
    }

    @Test func theDeclaredSizeCountsCRLFButNotStuffingOrTheFinalDot() {
        let result = SMTPDataEncoder.encode(Array(".a\nb\r\n".utf8))
        #expect(result.size == ".a\r\nb\r\n".utf8.count)
    }

    @Test func reportsEightBitOctets() {
        #expect(SMTPDataEncoder.encode(Array("Jaïr".utf8)).hasEightBitOctets)
        #expect(!SMTPDataEncoder.encode(Array("Jan".utf8)).hasEightBitOctets)
    }

    @Test func aComposedMessageIsCopiedAsItIsWithTheFinalDot() {
        let result = SMTPDataEncoder.encode(Array("Subject: Jaïr\r\n\r\nend.\r\n".utf8))
        #expect(String(decoding: result.bytes, as: UTF8.self) == "Subject: Jaïr\r\n\r\nend.\r\n.\r\n")
        #expect(result.size == "Subject: Jaïr\r\n\r\nend.\r\n".utf8.count && result.hasEightBitOctets)
    }

    /// Every content of up to six octets from the characters that matter gives what the
    /// byte-by-byte stuffing gives, whichever way `encode` takes.
    @Test func everyShortContentEncodesLikeTheStuffingLoop() {
        let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "."), 13, 10, 0xc3]
        var contents: [[UInt8]] = [[]]
        var previous: [[UInt8]] = [[]]
        for _ in 1...6 {
            previous = previous.flatMap { content in alphabet.map { content + [$0] } }
            contents += previous
        }
        for content in contents where SMTPDataEncoder.encode(content) != SMTPDataEncoder.stuffed(content) {
            Issue.record("content \(content)")
        }
    }
}
