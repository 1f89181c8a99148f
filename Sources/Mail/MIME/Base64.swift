/// Base64 (RFC 4648) appended straight to a byte buffer: every message carries its calendar in
/// base64 and every link a signature, and Foundation's way goes through a string and back.
public enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Appends the base64 of `bytes` to `output`: the standard alphabet with `=` padding, or with
    /// `urlSafe` the alphabet of RFC 4648 §5 without padding; with `lineLength`, a CRLF between
    /// lines of that many characters (none after the last).
    public static func encode(_ bytes: [UInt8], urlSafe: Bool = false, lineLength: Int? = nil, into output: inout [UInt8]) {
        let characters = urlSafe ? (bytes.count * 4 + 2) / 3 : (bytes.count + 2) / 3 * 4
        let lineLength = lineLength ?? .max
        let lineBreaks = characters == 0 ? 0 : (characters - 1) / lineLength
        var at = output.count
        // Sized once, then written in place: appending character by character cost twice as much.
        output.append(contentsOf: repeatElement(0, count: characters + 2 * lineBreaks))
        let alphabet = urlSafe ? Self.urlSafe : standard
        output.withUnsafeMutableBufferPointer { output in
            var column = 0
            func put(_ character: UInt8) {
                if column == lineLength {
                    output[at] = 13
                    output[at + 1] = 10
                    at += 2
                    column = 0
                }
                output[at] = character
                at += 1
                column += 1
            }
            var index = 0
            while index < bytes.count {
                let remaining = bytes.count - index
                let group = UInt32(bytes[index]) << 16 | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0) | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
                for position in 0..<(remaining < 3 && urlSafe ? remaining + 1 : 4) {
                    put(position <= remaining ? alphabet[Int(group >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
                }
                index += 3
            }
        }
    }
}
