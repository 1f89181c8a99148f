import Crypto
import Foundation

/// Feed tokens are capabilities: 256 random bits, shown once, stored only as a SHA-256 hash and
/// compared in constant time.
enum FeedToken {
    /// A new token, URL-safe base64 without padding.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The hex SHA-256 that is stored.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Constant-time comparison of a presented token with a stored hash (nil: no token, never matches).
    static func matches(_ token: String, hash stored: String?) -> Bool {
        let presented = Array(hash(token).utf8)
        let expected = Array((stored ?? String(repeating: "-", count: 64)).utf8)
        guard presented.count == expected.count else { return false }
        var difference: UInt8 = stored == nil ? 1 : 0
        for index in presented.indices {
            difference |= presented[index] ^ expected[index]
        }
        return difference == 0
    }
}
