import OverstapService

/// Where the next HTTP/1 request in a connection's bytes ends, read strictly on the bytes by the
/// fast path: CRLF line ends, a request line `METHOD SP target SP HTTP/1.x` with a method the
/// daemon serves, header lines `name: value` with a token for a name and visible characters, spaces
/// and tabs in a value, at most one Content-Length and no Transfer-Encoding. Anything else (a bare
/// CR or LF, a folded line, a control character, a chunked body, a head over `maxHeadBytes`) is
/// `unframeable`: SwiftNIO's decoder then reads it and everything after it, so no request is ever
/// framed two ways, and whatever SwiftNIO refuses is refused by SwiftNIO.
public enum RequestFraming {
    /// More bytes are needed to see where the request ends.
    case incomplete
    /// A whole request: its head and body take the first `length` bytes.
    case framed(FramedRequest)
    /// SwiftNIO's decoder reads these bytes and everything after them.
    case unframeable

    /// The longest head the fast path reads; SwiftNIO's decoder takes longer ones.
    static let maxHeadBytes = 16 * 1024
    /// The longest whole request the fast path frames, body included.
    static let maxRequestBytes = 64 * 1024
    /// The most header lines the fast path reads (Hummingbird's decoder allows 1,000).
    static let maxFieldCount = 100

    /// Frames the request at the start of `bytes`; a target equal to `rememberedTarget` is not
    /// read again.
    public static func frame(_ bytes: UnsafeBufferPointer<UInt8>, rememberedTarget: [UInt8]? = nil) -> RequestFraming {
        switch scanHead(bytes) {
        case .bareLineEnd:
            return .unframeable
        case .incomplete(let lastLineEnd):
            guard bytes.count <= maxHeadBytes else { return .unframeable }
            // What has arrived must be the start of a head the fast path can read; otherwise the
            // decoder reads it now, and refuses it as soon as it can.
            // (A CR at the very end is the start of a line end.)
            let end = bytes.last == cr ? bytes.count - 1 : bytes.count
            guard let lastLineEnd else {
                // A request line ending in CR is whole: SwiftNIO judges it now.
                let mayFollow = end < bytes.count ? HeadReader.requestLine(bytes[..<end]) != nil : requestLineMayFollow(bytes[..<end])
                return mayFollow ? .incomplete : .unframeable
            }
            guard var reader = HeadReader(bytes[..<lastLineEnd]), let fields = reader.fields(), fields.isFramable,
                HeadReader.fieldLineMayFollow(bytes[(lastLineEnd + 2)..<end], after: fields)
            else { return .unframeable }
            return .incomplete
        case .end(let headEnd):
            guard headEnd <= maxHeadBytes, var reader = HeadReader(bytes[..<headEnd]) else { return .unframeable }
            guard let fields = reader.fields(), fields.isFramable else { return .unframeable }
            let length = headEnd + 4 + fields.bodyLength
            guard length <= maxRequestBytes else { return .unframeable }
            guard length <= bytes.count else { return .incomplete }
            return .framed(FramedRequest(length: length, line: reader.line, fields: fields, bytes: bytes, rememberedTarget: rememberedTarget))
        }
    }

    private enum HeadScan {
        /// No blank line yet; the offset of the CRLF ending the last whole line, if any.
        case incomplete(lastLineEnd: Int?)
        /// The offset of the CRLF CRLF that ends the head.
        case end(Int)
        /// A CR not followed by LF, or an LF without CR before it.
        case bareLineEnd
    }

    private static func scanHead(_ bytes: UnsafeBufferPointer<UInt8>) -> HeadScan {
        var lastLineEnd: Int?
        var index = 0
        let limit = Swift.min(bytes.count, maxHeadBytes + 4)
        while index < limit {
            switch bytes[index] {
            case lf:
                return .bareLineEnd
            case cr:
                guard index + 1 < bytes.count else { return .incomplete(lastLineEnd: lastLineEnd) }
                guard bytes[index + 1] == lf else { return .bareLineEnd }
                if lastLineEnd == index - 2 { return .end(index - 2) }
                lastLineEnd = index
                index += 2
            default:
                index += 1
            }
        }
        return .incomplete(lastLineEnd: lastLineEnd)
    }

    /// Whether the start of a request line can still become one the fast path frames.
    private static func requestLineMayFollow(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        let isLast = { (index: Int) in index == parts.count - 1 }
        guard methods.contains(where: { isLast(0) ? $0.starts(with: parts[0]) : $0.elementsEqual(parts[0]) }) else { return false }
        guard parts.count > 1 else { return true }
        guard parts[1].first.map({ $0 == UInt8(ascii: "/") }) ?? isLast(1), parts[1].allSatisfy(HeadReader.isTargetCharacter) else {
            return false
        }
        guard parts.count > 2 else { return true }
        return "HTTP/1.1".utf8.starts(with: parts[2]) || "HTTP/1.0".utf8.starts(with: parts[2])
    }

    /// The methods the fast path frames: those the daemon's routes take. SwiftNIO's decoder reads
    /// any other, and refuses the ones it does not know.
    static let methods: [[UInt8]] = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"].map { Array($0.utf8) }

    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let lf = UInt8(ascii: "\n")
}

/// A request the fast path framed, with what it needs to answer a feed from it.
public struct FramedRequest {
    /// Bytes of the head (with its blank line) and the body.
    public let length: Int
    /// What the target names, for a request the fast path may answer: `GET` or `HEAD`, no body,
    /// one `Host` (none allowed in HTTP/1.0), no repeated header it reads, and no `Connection`
    /// option, `Upgrade` or `Expect` it would ignore. Any other request is `other`.
    enum Target {
        /// The very bytes of the target the connection remembers.
        case remembered
        /// A plain feed URL, and its bytes to remember.
        case plain(PlainFeedTarget, bytes: [UInt8])
        case other
    }

    let target: Target
    let conditions: FeedConditions
    /// Whether the connection stays open after the answer (HTTP/1.0: only when asked).
    public let keepAlive: Bool
    public let isHTTP10: Bool
    /// The method, as sent.
    public let method: String
    /// Whether `HostFieldCheck` refuses it, ending the connection: no Host in HTTP/1.1, or two.
    let lacksOneHost: Bool

    /// Whether the fast path may answer this request itself when the feed it names is cached.
    public var mayBeAnsweredHere: Bool {
        if case .other = target { false } else { true }
    }

    fileprivate init(length: Int, line: RequestLine, fields: HeadFields, bytes: UnsafeBufferPointer<UInt8>, rememberedTarget: [UInt8]?) {
        self.length = length
        let isHead = line.method.elementsEqual("HEAD".utf8)
        let isFetch = isHead || line.method.elementsEqual("GET".utf8)
        method = String(decoding: line.method, as: UTF8.self)
        isHTTP10 = line.isHTTP10
        lacksOneHost = fields.hosts > 1 || (fields.hosts == 0 && !isHTTP10)
        keepAlive = isHTTP10 ? fields.connectionKeepAlive : !fields.connectionClose
        let isPlainFetch = isFetch && fields.bodyLength == 0 && !lacksOneHost && fields.isPlain
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
    var count = 0
    /// False once a field the fast path reads repeats, or one it does not honour appears.
    var isPlain = true

    /// Whether the fast path can tell where a request with these fields ends.
    var isFramable: Bool {
        transferEncodings == 0 && contentLengths <= 1 && count <= RequestFraming.maxFieldCount
    }
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
        guard line[(colon + 1)...].allSatisfy(Self.isValueCharacter) else { return false }
        fields.count += 1
        let value = line[(colon + 1)...].trimmingBlanks()
        let name = line[..<colon]
        switch name.count {
        case 4 where name.equalsIgnoringASCIICase("host"):
            fields.hosts += 1
        case 14 where name.equalsIgnoringASCIICase("content-length"):
            fields.contentLengths += 1
            guard let length = Self.contentLength(line[(colon + 1)...], whole: true) else { return false }
            fields.bodyLength = length
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
    static func requestLine(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> RequestLine? {
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space), firstSpace > line.startIndex,
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: space), secondSpace > firstSpace + 1
        else { return nil }
        let method = line[..<firstSpace]
        let target = line[(firstSpace + 1)..<secondSpace]
        let version = line[(secondSpace + 1)...]
        // Origin form only: SwiftNIO refuses a target that starts otherwise, or reads it as another form.
        guard RequestFraming.methods.contains(where: { $0.elementsEqual(method) }), target.first == UInt8(ascii: "/"),
            target.allSatisfy(isTargetCharacter)
        else { return nil }
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

    /// Whether the start of a header line, after `fields`, can still become one the fast path reads.
    fileprivate static func fieldLineMayFollow(_ line: Slice<UnsafeBufferPointer<UInt8>>, after fields: HeadFields) -> Bool {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return line.allSatisfy(isTokenCharacter) }
        let name = line[..<colon]
        // SwiftNIO refuses a second Content-Length as soon as it sees its name.
        if name.equalsIgnoringASCIICase("transfer-encoding") || (fields.contentLengths > 0 && name.equalsIgnoringASCIICase("content-length")) {
            return false
        }
        if name.equalsIgnoringASCIICase("content-length"), contentLength(line[(colon + 1)...], whole: false) == nil { return false }
        return colon > line.startIndex && name.allSatisfy(isTokenCharacter) && line[(colon + 1)...].allSatisfy(isValueCharacter)
    }

    /// A Content-Length value as SwiftNIO takes it: spaces or tabs, up to 9 digits, spaces (no
    /// tab after the digits); `whole: false` for the start of one, which may still lack digits.
    static func contentLength(_ value: Slice<UnsafeBufferPointer<UInt8>>, whole: Bool) -> Int? {
        let digits = value.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let number = digits.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard number.count <= 9, digits[number.endIndex...].allSatisfy({ $0 == UInt8(ascii: " ") }) else { return nil }
        guard !number.isEmpty || !whole else { return nil }
        return number.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// A visible character: what a request target may hold.
    static func isTargetCharacter(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte)
    }

    /// RFC 9110 field-value: visible characters, obs-text, spaces and tabs; no other control character.
    static func isValueCharacter(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == UInt8(ascii: "\t")
    }

    /// RFC 9110 `tchar`.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
