/// Base64 (RFC 4648) appended straight to a byte buffer: every message carries its calendar in
/// base64 and every link a signature, and Foundation's way goes through a string and back.
public enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Appends the base64 of `bytes` to `output`: the standard alphabet with `=` padding, or with
    /// `urlSafe` the alphabet of RFC 4648 §5 without padding; with `lineLength`, a CRLF between
    /// lines of that many characters (none after the last).
    public static func encode(_ bytes: [UInt8], urlSafe: Bool = false, lineLength: Int? = nil, into output: inout [UInt8]) {
        let alphabet = urlSafe ? Self.urlSafe : standard
        let lineLength = lineLength ?? .max
        output.reserveCapacity(output.count + (bytes.count + 2) / 3 * 4 * 78 / 76 + 2)
        var column = 0
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let group = UInt32(bytes[index]) << 16 | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0) | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            for position in 0..<(remaining < 3 && urlSafe ? remaining + 1 : 4) {
                if column == lineLength {
                    output.append(13)
                    output.append(10)
                    column = 0
                }
                output.append(position <= remaining ? alphabet[Int(group >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
                column += 1
            }
            index += 3
        }
    }
}
