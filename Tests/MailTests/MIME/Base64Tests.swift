import Foundation
@testable import Mail
import Testing

/// Base64 written into the message buffer gives the bytes Foundation gave before.
struct Base64Tests {
    private func encoded(_ bytes: [UInt8], urlSafe: Bool = false, lineLength: Int? = nil) -> String {
        var output: [UInt8] = []
        Base64.encode(bytes, urlSafe: urlSafe, lineLength: lineLength, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test func pinnedBytes() {
        #expect(encoded(Array("Jaïr".utf8)) == "SmHDr3I=")
        #expect(encoded([0xfb, 0xff]) == "+/8=")
        #expect(encoded([0xfb, 0xff], urlSafe: true) == "-_8")
        #expect(encoded([]) == "")
        #expect(encoded(Array(repeating: 0, count: 58), lineLength: 76) == String(repeating: "A", count: 76) + "\r\nAA==")
    }

    @Test func everyLengthMatchesFoundationInLinesOf76() {
        let options: Data.Base64EncodingOptions = [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]
        for length in 0...400 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            #expect(encoded(bytes, lineLength: 76) == Data(bytes).base64EncodedString(options: options), "length \(length)")
            #expect(encoded(bytes) == Data(bytes).base64EncodedString(), "length \(length)")
        }
    }

    @Test func theURLSafeAlphabetHasNoPaddingAndNoPlusOrSlash() {
        for length in 0...66 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: 0xfb &+ $0 &* 11) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded(bytes, urlSafe: true) == foundation, "length \(length)")
        }
    }

    @Test func encodedWordsArePinned() {
        #expect(MIMEEncoding.encodedWords("Çelik") == ["=?UTF-8?B?w4dlbGlr?="])
    }

    @Test func headerSafeReplacesExactlyTheControlCharactersAndSeparators() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
            if MIMEEncoding.breaksHeader(scalar) != expected { Issue.record("U+\(String(value, radix: 16))") }
        }
        #expect(MIMEEncoding.headerSafe("Anouk de Vries") == "Anouk de Vries")
        #expect(MIMEEncoding.headerSafe("Çelik\r\nBcc: x\u{85}\u{2028}y") == "Çelik  Bcc: x  y")
    }
}
