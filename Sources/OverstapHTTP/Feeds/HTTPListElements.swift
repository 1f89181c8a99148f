/// The elements of a comma-separated HTTP header list (RFC 9110 §5.6.1), or of the `;` parameters
/// of one element, each trimmed of spaces and tabs, empty ones skipped. Works on the header's bytes
/// and allocates nothing: it runs for every feed request.
struct HTTPListElements: Sequence, IteratorProtocol {
    private var rest: Substring.UTF8View
    private let separator: UInt8

    /// The comma-separated elements of `header`.
    init(_ header: String) {
        self.init(header[...].utf8, separator: UInt8(ascii: ","))
    }

    /// The parts of `bytes` between `separator`s.
    init(_ bytes: Substring.UTF8View, separator: UInt8) {
        rest = bytes
        self.separator = separator
    }

    mutating func next() -> Substring.UTF8View? {
        while !rest.isEmpty {
            let end = rest.firstIndex(of: separator) ?? rest.endIndex
            let element = rest[rest.startIndex..<end].trimmingBlanks()
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            if !element.isEmpty { return element }
        }
        return nil
    }
}

extension BidirectionalCollection<UInt8> {
    /// These bytes without leading and trailing spaces and tabs.
    func trimmingBlanks() -> SubSequence {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }

    /// Whether these bytes spell `other`, ignoring ASCII case.
    func equalsIgnoringASCIICase(_ other: StaticString) -> Bool {
        func lowered(_ byte: UInt8) -> UInt8 {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
        }
        return other.withUTF8Buffer { expected in
            elementsEqual(expected) { lowered($0) == lowered($1) }
        }
    }
}
