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

    /// Every content of up to six octets from the characters that matter gives what stuffing
    /// one octet at a time gives.
    @Test func everyShortContentEncodesLikeTheStuffingLoop() {
        let alphabet: [UInt8] = [UInt8(ascii: "a"), UInt8(ascii: "."), 13, 10, 0xc3]
        var contents: [[UInt8]] = [[]]
        var previous: [[UInt8]] = [[]]
        for _ in 1...6 {
            previous = previous.flatMap { content in alphabet.map { content + [$0] } }
            contents += previous
        }
        for content in contents where SMTPDataEncoder.encode(content) != Self.stuffedByteByByte(content) {
            Issue.record("content \(content)")
        }
    }

    /// RFC 5321 §4.5.2 one octet at a time, as the encoder did before it copied runs.
    private static func stuffedByteByByte(_ data: [UInt8]) -> SMTPDataEncoder.Encoded {
        var bytes: [UInt8] = []
        var stuffed = 0
        var atLineStart = true
        var index = 0
        while index < data.count {
            let byte = data[index]
            index += 1
            if byte == 13 || byte == 10 {
                if byte == 13, index < data.count, data[index] == 10 { index += 1 }
                bytes += [13, 10]
                atLineStart = true
                continue
            }
            if atLineStart, byte == UInt8(ascii: ".") {
                bytes.append(byte)
                stuffed += 1
            }
            bytes.append(byte)
            atLineStart = false
        }
        let size = bytes.count - stuffed
        if !atLineStart || bytes.isEmpty { bytes += [13, 10] }
        return .init(bytes: bytes + Array(".\r\n".utf8), size: size, hasEightBitOctets: data.contains { $0 >= 0x80 })
    }
}
