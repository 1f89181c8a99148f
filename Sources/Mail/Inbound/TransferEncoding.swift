/// Content-Transfer-Encoding: base64 and quoted-printable, read leniently (as mail clients do).
enum TransferEncoding {
    /// Decodes `bytes` written in `encoding` (`base64`, `quoted-printable`; anything else as is).
    static func decode(_ bytes: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch encoding?.trimmingWhitespace().lowercased() {
        case "base64": return base64(bytes)
        case "quoted-printable": return quotedPrintable(bytes)
        default: return Array(bytes)
        }
    }

    /// Base64, skipping line ends and other characters outside the alphabet, stopping at `=`.
    static func base64(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value: UInt8
            switch byte {
            case 65...90: value = byte - 65
            case 97...122: value = byte - 71
            case 48...57: value = byte + 4
            case 43, 45: value = 62
            case 47, 95: value = 63
            case 61: return result
            default: continue
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                result.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        return result
    }

    /// Quoted-printable: `=XX` is a byte, `=` at the end of a line joins it to the next; a
    /// malformed `=` stays as written.
    static func quotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == 61 else {
                result.append(byte)
                index += 1
                continue
            }
            if index + 2 < bytes.endIndex, let high = HeaderText.hexValue(bytes[index + 1]), let low = HeaderText.hexValue(bytes[index + 2]) {
                result.append(high << 4 | low)
                index += 3
                continue
            }
            var after = index + 1
            while after < bytes.endIndex, bytes[after] == 32 || bytes[after] == 9 { after += 1 }
            if after < bytes.endIndex, bytes[after] == 13 { after += 1 }
            if after < bytes.endIndex, bytes[after] == 10 {
                index = after + 1
            } else if after == bytes.endIndex {
                index = after
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }
}
