/// Turns a message into the octets sent after `DATA` (RFC 5321 §4.5.2).
enum SMTPDataEncoder {
    /// The content ready to send, and facts the `MAIL` command needs.
    struct Encoded: Equatable {
        /// Line ends normalised to CRLF, dot-stuffed, ending with `CRLF.CRLF`.
        var bytes: [UInt8]
        /// The message size as `SIZE=` declares it: CRLF line ends, without stuffing and terminator.
        var size: Int
        /// Whether any octet is ≥ 0x80, which asks for `BODY=8BITMIME`.
        var hasEightBitOctets: Bool
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let dot = UInt8(ascii: ".")

    /// Normalises bare CR and bare LF to CRLF (a lone one would end the line differently on every
    /// server), doubles a `.` at the start of a line (else a line with only `.` ends the content
    /// early), and appends the final `.`.
    static func encode(_ data: [UInt8]) -> Encoded {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + data.count / 64 + 5)
        var stuffed = 0
        var atLineStart = true
        var hasEightBitOctets = false
        data.withUnsafeBufferPointer { data in
            // Runs that need no change (a composed message is mostly one) are copied in one piece.
            var copied = 0
            var index = 0
            while index < data.count {
                let byte = data[index]
                if byte == cr, index + 1 < data.count, data[index + 1] == lf {
                    index += 2
                    atLineStart = true
                    continue
                }
                if byte == cr || byte == lf {
                    bytes.append(contentsOf: data[copied..<index])
                    bytes.append(cr)
                    bytes.append(lf)
                    index += 1
                    copied = index
                    atLineStart = true
                    continue
                }
                if atLineStart, byte == dot {
                    bytes.append(contentsOf: data[copied..<index])
                    bytes.append(dot)
                    stuffed += 1
                    copied = index
                }
                hasEightBitOctets = hasEightBitOctets || byte >= 0x80
                atLineStart = false
                index += 1
            }
            bytes.append(contentsOf: data[copied...])
        }
        let size = bytes.count - stuffed
        if !atLineStart || bytes.isEmpty {
            bytes.append(contentsOf: [cr, lf])
        }
        bytes.append(contentsOf: [dot, cr, lf])
        return Encoded(bytes: bytes, size: size, hasEightBitOctets: hasEightBitOctets)
    }
}
