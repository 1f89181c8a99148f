import OverstapService

/// Where the next HTTP/1 request in a connection's bytes ends, read strictly on the bytes by the
/// fast path: CRLF line ends, a request line `METHOD SP target SP HTTP/1.x`, header lines
/// `name: value` with a token for a name, at most one Content-Length and no Transfer-Encoding.
/// Anything else (a bare CR or LF, a folded line, a chunked body, a head over `maxHeadBytes`) is
/// `unframeable`: SwiftNIO's decoder then reads it and everything after it, so no request is ever
/// framed two ways.
enum RequestFraming {
    /// More bytes are needed to see where the request ends.
    case incomplete
    /// A whole request: its head and body take the first `length` bytes.
    case framed(FramedRequest)
    case unframeable

    /// The longest head the fast path reads; SwiftNIO's decoder takes longer ones.
    static let maxHeadBytes = 16 * 1024
    /// The longest whole request the fast path frames, body included.
    static let maxRequestBytes = 64 * 1024

    /// Frames the request at the start of `bytes`; a target equal to `rememberedTarget` is not
    /// read again.
    static func frame(_ bytes: UnsafeBufferPointer<UInt8>, rememberedTarget: [UInt8]?) -> RequestFraming {
        guard let headEnd = endOfHead(bytes) else {
            return bytes.count > maxHeadBytes ? .unframeable : .incomplete
        }
        guard headEnd <= maxHeadBytes, var reader = HeadReader(bytes[..<headEnd]) else { return .unframeable }
        guard let fields = reader.fields(), fields.transferEncodings == 0, fields.contentLengths <= 1 else { return .unframeable }
        let length = headEnd + 4 + fields.bodyLength
        guard length <= maxRequestBytes else { return .unframeable }
        guard length <= bytes.count else { return .incomplete }
        return .framed(FramedRequest(length: length, line: reader.line, fields: fields, bytes: bytes, rememberedTarget: rememberedTarget))
    }

    /// The offset of the CRLF CRLF that ends the head.
    private static func endOfHead(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let limit = Swift.min(bytes.count, maxHeadBytes + 4)
        while index + 3 < limit {
            if bytes[index + 3] != lf {
                index += bytes[index + 3] == cr ? 1 : 4
                continue
            }
            if bytes[index] == cr, bytes[index + 1] == lf, bytes[index + 2] == cr { return index }
            index += 1
        }
        return nil
    }

    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let lf = UInt8(ascii: "\n")
}

/// A request the fast path framed, with what it needs to answer a feed from it.
struct FramedRequest {
    /// Bytes of the head (with its blank line) and the body.
    let length: Int
    /// What the target names, for a request the fast path may answer: `GET` or `HEAD`, no body,
    /// one `Host` (HTTP/1.1), no repeated header it reads, and no `Connection` option, `Upgrade`
    /// or `Expect` it would ignore. Any other request is `other`.
    enum Target {
        /// The very bytes of the target the connection remembers.
        case remembered
        /// A plain feed URL, and its bytes to remember.
        case plain(PlainFeedTarget, bytes: [UInt8])
        case other
    }

    let target: Target
    let conditions: FeedConditions
    let keepAlive: Bool
    let isHTTP10: Bool

    fileprivate init(length: Int, line: RequestLine, fields: HeadFields, bytes: UnsafeBufferPointer<UInt8>, rememberedTarget: [UInt8]?) {
        self.length = length
        let isHead = line.method.elementsEqual("HEAD".utf8)
        let isFetch = isHead || line.method.elementsEqual("GET".utf8)
        isHTTP10 = line.isHTTP10
        keepAlive = isHTTP10 ? fields.connectionKeepAlive : !fields.connectionClose
        let isPlainFetch = isFetch && fields.bodyLength == 0 && (isHTTP10 || fields.hosts == 1) && fields.isPlain
        let targetBytes = UnsafeBufferPointer(rebasing: bytes[line.target])
        if !isPlainFetch {
            target = .other
        } else if let rememberedTarget, FeedToken.equalInConstantTime(targetBytes, rememberedTarget) {
            target = .remembered
        } else if let plain = PlainFeedTarget(targetBytes) {
            target = .plain(plain, bytes: Array(targetBytes))
        } else {
            target = .other
        }
        conditions = FeedConditions(
            isHead: isHead, acceptEncoding: fields.acceptEncoding, ifNoneMatch: fields.ifNoneMatch, ifModifiedSince: fields.ifModifiedSince)
    }
}

private struct RequestLine {
    let method: Slice<UnsafeBufferPointer<UInt8>>
    let target: Range<Int>
    let isHTTP10: Bool
}

/// The header fields the fast path looks at.
private struct HeadFields {
    var hosts = 0
    var contentLengths = 0
    var transferEncodings = 0
    var bodyLength = 0
    var acceptEncoding: String?
    var ifNoneMatch: String?
    var ifModifiedSince: String?
    var connectionClose = false
    var connectionKeepAlive = false
    /// False once a field the fast path reads repeats, or one it does not honour appears.
    var isPlain = true
}

/// Reads a head (without its final CRLF CRLF) line by line.
private struct HeadReader {
    let bytes: Slice<UnsafeBufferPointer<UInt8>>
    let line: RequestLine
    private var position: Int

    init?(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        self.bytes = bytes
        let lineEnd = Self.lineEnd(in: bytes, from: bytes.startIndex)
        guard let line = Self.requestLine(bytes[bytes.startIndex..<lineEnd]) else { return nil }
        self.line = line
        position = lineEnd
    }

    /// The fields, or nil when a line is not strictly `name: value`.
    mutating func fields() -> HeadFields? {
        var fields = HeadFields()
        while position < bytes.endIndex {
            // Skip the CRLF that ended the previous line.
            position += 2
            let end = Self.lineEnd(in: bytes, from: position)
            guard read(bytes[position..<end], into: &fields) else { return nil }
            position = end
        }
        return fields
    }

    private func read(_ line: Slice<UnsafeBufferPointer<UInt8>>, into fields: inout HeadFields) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
            line[..<colon].allSatisfy(Self.isTokenCharacter)
        else { return false }
        guard !line[(colon + 1)...].contains(where: { $0 == RequestFraming.cr || $0 == RequestFraming.lf || $0 == 0 }) else { return false }
        let value = line[(colon + 1)...].trimmingBlanks()
        let name = line[..<colon]
        switch name.count {
        case 4 where name.equalsIgnoringASCIICase("host"):
            fields.hosts += 1
        case 14 where name.equalsIgnoringASCIICase("content-length"):
            fields.contentLengths += 1
            guard !value.isEmpty, value.count <= 9, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
            fields.bodyLength = value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        case 17 where name.equalsIgnoringASCIICase("transfer-encoding"):
            fields.transferEncodings += 1
        case 15 where name.equalsIgnoringASCIICase("accept-encoding"):
            fields.isPlain = fields.isPlain && fields.acceptEncoding == nil
            fields.acceptEncoding = String(decoding: value, as: UTF8.self)
        case 13 where name.equalsIgnoringASCIICase("if-none-match"):
            fields.isPlain = fields.isPlain && fields.ifNoneMatch == nil
            fields.ifNoneMatch = String(decoding: value, as: UTF8.self)
        case 17 where name.equalsIgnoringASCIICase("if-modified-since"):
            fields.isPlain = fields.isPlain && fields.ifModifiedSince == nil
            fields.ifModifiedSince = String(decoding: value, as: UTF8.self)
        case 10 where name.equalsIgnoringASCIICase("connection"):
            for option in HTTPListElements(String(decoding: value, as: UTF8.self)) {
                if option.equalsIgnoringASCIICase("close") {
                    fields.connectionClose = true
                } else if option.equalsIgnoringASCIICase("keep-alive") {
                    fields.connectionKeepAlive = true
                } else {
                    fields.isPlain = false
                }
            }
        case 6 where name.equalsIgnoringASCIICase("expect"), 7 where name.equalsIgnoringASCIICase("upgrade"):
            fields.isPlain = false
        default:
            break
        }
        return true
    }

    /// `METHOD SP target SP HTTP/1.1` (or `HTTP/1.0`), with a token for a method and visible
    /// characters for a target.
    private static func requestLine(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> RequestLine? {
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space), firstSpace > line.startIndex,
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: space), secondSpace > firstSpace + 1
        else { return nil }
        let method = line[..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let version = line[(secondSpace + 1)...]
        guard method.allSatisfy(isTokenCharacter), target.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        let isHTTP10 = version.elementsEqual("HTTP/1.0".utf8)
        guard isHTTP10 || version.elementsEqual("HTTP/1.1".utf8) else { return nil }
        return RequestLine(method: method, target: target.startIndex..<target.endIndex, isHTTP10: isHTTP10)
    }

    /// The index of the CRLF that ends the line starting at `start`, or the end of the head.
    private static func lineEnd(in bytes: Slice<UnsafeBufferPointer<UInt8>>, from start: Int) -> Int {
        var index = start
        while index + 1 < bytes.endIndex {
            if bytes[index] == RequestFraming.cr, bytes[index + 1] == RequestFraming.lf { return index }
            index += 1
        }
        return bytes.endIndex
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
