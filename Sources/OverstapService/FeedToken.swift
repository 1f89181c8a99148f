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

    /// A stored hash decoded to its 32 bytes, to check requests against (nil: no usable hash).
    public static func digest(ofStoredHash stored: String?) -> [UInt8]? {
        guard let stored, stored.utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for character in stored.utf8 {
            guard let nibble = hexValue(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    /// Constant-time check of a presented token against a stored hash (nil: never matches).
    public static func matches(_ token: String, digest expected: [UInt8]?) -> Bool {
        var token = token
        let presented = token.withUTF8 { SHA256.hash(data: $0) }
        guard let expected else { return false }
        return presented.withUnsafeBytes { equalInConstantTime($0, expected) }
    }

    /// Whether two byte strings holding a token or its hash are equal, in time that depends on
    /// their lengths alone (which are not secret), never on where they differ. Inlinable, so that
    /// callers get it specialised for their byte collections.
    @inlinable
    public static func equalInConstantTime(_ presented: some Collection<UInt8>, _ known: some Collection<UInt8>) -> Bool {
        guard presented.count == known.count else { return false }
        var difference: UInt8 = 0
        for (lhs, rhs) in zip(presented, known) {
            difference |= lhs ^ rhs
        }
        return difference == 0
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
