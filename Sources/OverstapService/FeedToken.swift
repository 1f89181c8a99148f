import Crypto
import Foundation

/// Feed tokens are capabilities: 256 random bits, shown once, stored only as a SHA-256 hash and
/// compared in constant time.
public enum FeedToken {
    /// A new token, URL-safe base64 without padding.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// The hex SHA-256 that is stored. (Hot: every partner feed request checks one.)
    public static func hash(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Array(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Constant-time comparison of a presented token with a stored hash (nil: no token, never matches).
    public static func matches(_ token: String, hash stored: String?) -> Bool {
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
