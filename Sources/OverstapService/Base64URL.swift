import Foundation

/// URL-safe base64 without padding (RFC 4648 §5), for tokens that travel in links.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        // Per character, not three replacingOccurrences passes: every answer link is signed.
        String(String.UnicodeScalarView(Data(bytes).base64EncodedString().unicodeScalars.compactMap { scalar in
            switch scalar {
            case "+": "-"
            case "/": "_"
            case "=": nil
            default: scalar
            }
        }))
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
