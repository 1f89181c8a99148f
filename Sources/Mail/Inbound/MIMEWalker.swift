/// Walks the MIME tree of a message depth first and collects its iCalendar parts, counting
/// entities and depth against the limits so no input can make it run away.
struct MIMEWalker {
    let limits: InboundLimits
    private(set) var calendarParts: [InboundCalendarPart] = []
    private var entities = 0

    init(limits: InboundLimits) { self.limits = limits }

    /// Media types that carry iCalendar whatever their file name.
    static let calendarTypes: Set<String> = ["text/calendar", "application/ics", "text/x-vcalendar", "application/x-ics"]

    /// Reads the entity in `range` of `bytes`, whose header block is already read.
    mutating func walk(
        _ bytes: [UInt8], _ range: Range<Int>, headers: HeaderBlock, depth: Int, forwarded: Bool, section: String
    ) throws(InboundMessageError) {
        entities += 1
        guard entities <= limits.maximumParts else { throw InboundMessageError(.tooManyParts(limit: limits.maximumParts), section: section) }
        guard depth <= limits.maximumDepth else { throw InboundMessageError(.tooDeep(limit: limits.maximumDepth), section: section) }
        let type = HeaderText.parameters(headers.first("Content-Type") ?? "text/plain")
        let encoding = headers.first("Content-Transfer-Encoding")
        let body = headers.bodyStart..<range.upperBound
        if type.value.hasPrefix("multipart/") {
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else { return }
            for (index, part) in Self.parts(of: bytes, body, boundary: Array(boundary.utf8), limit: limits.maximumParts).enumerated() {
                let child = section.isEmpty ? "\(index + 1)" : "\(section).\(index + 1)"
                let childHeaders = try HeaderBlock.read(bytes, part, limits: limits, firstLine: nil, allowMboxLine: false, section: child)
                try walk(bytes, part, headers: childHeaders, depth: depth + 1, forwarded: forwarded, section: child)
            }
        } else if type.value == "message/rfc822" || type.value == "message/global" {
            // A forwarded message is normally 7bit/8bit and read in place; some clients encode it anyway.
            let isEncoded = ["base64", "quoted-printable"].contains(encoding?.trimmingWhitespace().lowercased() ?? "")
            let inner = isEncoded ? TransferEncoding.decode(bytes[body], encoding: encoding) : bytes
            let innerRange = isEncoded ? inner.indices : body
            let innerHeaders = try HeaderBlock.read(inner, innerRange, limits: limits, firstLine: nil, allowMboxLine: false, section: section)
            try walk(inner, innerRange, headers: innerHeaders, depth: depth + 1, forwarded: true, section: section)
        } else {
            let disposition = HeaderText.parameters(headers.first("Content-Disposition") ?? "")
            let filename = disposition.parameters["filename"] ?? type.parameters["name"]
            guard Self.calendarTypes.contains(type.value) || filename?.lowercased().trimmingWhitespace().hasSuffix(".ics") == true else { return }
            var decoded = TransferEncoding.decode(bytes[body], encoding: encoding)
            if decoded.starts(with: [0xEF, 0xBB, 0xBF]) { decoded.removeFirst(3) }
            calendarParts.append(InboundCalendarPart(
                section: section.isEmpty ? "1" : section, contentType: type.value,
                method: type.parameters["method"].map { $0.trimmingWhitespace().uppercased() }, filename: filename,
                isForwarded: forwarded, text: Charset.decode(decoded, charset: type.parameters["charset"])))
        }
    }

    /// The byte ranges of the body parts of a multipart body: between delimiter lines
    /// (`--boundary`, optional trailing white space) up to the close delimiter (`--boundary--`).
    /// The line end before a delimiter belongs to the delimiter (RFC 2046 §5.1.1). A body cut off
    /// before its close delimiter ends its last part at the end of the input.
    /// Stops after `limit` + 1 parts: one more than any message may have, so the caller refuses it.
    static func parts(of bytes: [UInt8], _ body: Range<Int>, boundary: [UInt8], limit: Int) -> [Range<Int>] {
        let delimiter = [45, 45] + boundary
        var parts: [Range<Int>] = []
        var partStart: Int?
        var position = body.lowerBound
        while position < body.upperBound {
            let newline = bytes[position..<body.upperBound].firstIndex(of: 10) ?? body.upperBound
            let next = min(newline + 1, body.upperBound)
            if newline - position >= delimiter.count, bytes[position] == 45, bytes[position..<(position + delimiter.count)].elementsEqual(delimiter) {
                let rest = bytes[(position + delimiter.count)..<newline]
                let isClose = rest.starts(with: [45, 45])
                if isClose || rest.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                    if let start = partStart {
                        var end = position
                        if end > start, bytes[end - 1] == 10 { end -= 1 }
                        if end > start, bytes[end - 1] == 13 { end -= 1 }
                        parts.append(start..<max(start, end))
                    }
                    if isClose || parts.count > limit { return parts }
                    partStart = next
                }
            }
            position = next
        }
        if let start = partStart, start < body.upperBound { parts.append(start..<body.upperBound) }
        return parts
    }
}
