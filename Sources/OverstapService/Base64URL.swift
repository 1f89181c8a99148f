import Foundation
import Mail

/// URL-safe base64 without padding (RFC 4648 §5), for tokens that travel in links.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        Base64.encode(Array(bytes), urlSafe: true, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
