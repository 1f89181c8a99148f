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
        // A composed message has CRLF line ends and no line that starts with a dot: one copy.
        var isReady = true
        var hasEightBitOctets = false
        var atLineStart = true
        var index = 0
        while index < data.count, isReady {
            let byte = data[index]
            if byte == cr, index + 1 < data.count, data[index + 1] == lf {
                index += 2
                atLineStart = true
                continue
            }
            isReady = byte != cr && byte != lf && !(atLineStart && byte == dot)
            hasEightBitOctets = hasEightBitOctets || byte >= 0x80
            atLineStart = false
            index += 1
        }
        guard isReady else { return stuffed(data) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 5)
        bytes += data
        if !atLineStart || data.isEmpty {
            bytes.append(contentsOf: [cr, lf])
        }
        bytes.append(contentsOf: [dot, cr, lf])
        return Encoded(bytes: bytes, size: data.count, hasEightBitOctets: hasEightBitOctets)
    }

    /// `encode` for content that needs line ends normalised or dots doubled.
    static func stuffed(_ data: [UInt8]) -> Encoded {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + data.count / 64 + 5)
        var stuffed = 0
        var atLineStart = true
        var hasEightBitOctets = false
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            index += 1
            if byte == cr || byte == lf {
                if byte == cr, index < data.endIndex, data[index] == lf { index += 1 }
                bytes.append(cr)
                bytes.append(lf)
                atLineStart = true
                continue
            }
            if atLineStart, byte == dot {
                bytes.append(dot)
                stuffed += 1
            }
            if byte >= 0x80 { hasEightBitOctets = true }
            bytes.append(byte)
            atLineStart = false
        }
        let size = bytes.count - stuffed
        if !atLineStart || bytes.isEmpty {
            bytes.append(contentsOf: [cr, lf])
        }
        bytes.append(contentsOf: [dot, cr, lf])
        return Encoded(bytes: bytes, size: size, hasEightBitOctets: hasEightBitOctets)
    }
}
