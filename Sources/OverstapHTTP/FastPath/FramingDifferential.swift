import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Feeds seeded generated requests (well-formed, odd, broken, truncated, pipelined) through both
/// `RequestFraming` and SwiftNIO's `HTTPRequestDecoder` with Hummingbird's limits, and reports
/// every input on which they disagree: the fast path frames a request the decoder refuses or ends
/// elsewhere, would answer one the decoder path refuses (bad Host) or keeps open differently, or
/// waits for more bytes where the decoder has already answered or refused.
public struct FramingDifferential {
    /// One input on which the two disagree, with what each made of it.
    public struct Disagreement: CustomStringConvertible, Sendable {
        /// Which generated input, counting from 0.
        public let index: Int
        public let input: [UInt8]
        public let problem: String

        public var description: String {
            let shown = input.prefix(300).map { byte -> String in
                switch byte {
                case UInt8(ascii: "\r"): "\\r"
                case UInt8(ascii: "\n"): "\\n"
                case 0x20..<0x7F: String(UnicodeScalar(byte))
                default: "\\x" + String(byte, radix: 16)
                }
            }.joined()
            return "input \(index): \(problem)\n  \(shown)"
        }
    }

    /// What a run found.
    public struct Summary: Sendable {
        public var inputs = 0
        /// Requests the fast path framed, and those of them it would answer itself.
        public var framed = 0
        public var answerable = 0
        /// Inputs the fast path handed to the decoder unframed.
        public var handedOn = 0
        /// Inputs the decoder path refused (decoder error or a bad Host).
        public var refused = 0
        public var disagreements: [Disagreement] = []
    }

    /// Generates `count` inputs from `seed` and compares both readers on each.
    public static func run(seed: UInt64, count: Int) -> Summary {
        var generator = RequestGenerator(seed: seed)
        var summary = Summary()
        for index in 0..<count {
            let input = generator.next()
            summary.inputs += 1
            if let problem = compare(input, &summary) {
                summary.disagreements.append(Disagreement(index: index, input: input, problem: problem))
            }
        }
        return summary
    }

    /// The problem with one input, or nil when both readers agree.
    static func compare(_ input: [UInt8], _ summary: inout Summary) -> String? {
        let decoder = DecoderProbe()
        defer { decoder.finish() }
        var offset = 0
        while offset < input.count {
            let rest = Array(input[offset...])
            let framing = rest.withUnsafeBufferPointer { RequestFraming.frame($0) }
            switch framing {
            case .unframeable:
                summary.handedOn += 1
                if decoder.feed(rest).refused { summary.refused += 1 }
                return nil
            case .incomplete:
                let seen = decoder.feed(rest)
                if seen.ends > 0 { return "the fast path waits for more, the decoder read a whole request" }
                if seen.refused {
                    summary.refused += 1
                    return "the fast path waits for more, the decoder refused: \(decoder.error ?? "")"
                }
                return nil
            case .framed(let request):
                summary.framed += 1
                if request.mayBeAnsweredHere { summary.answerable += 1 }
                let early = decoder.feed(Array(rest[..<(request.length - 1)]))
                if early.refused { return "the fast path framed \(request.length) bytes, the decoder refused: \(decoder.error ?? "")" }
                if early.ends > 0 { return "the fast path framed \(request.length) bytes, the decoder ended the request sooner" }
                let last = decoder.feed([rest[request.length - 1]])
                if last.refused { return "the fast path framed \(request.length) bytes, the decoder refused: \(decoder.error ?? "")" }
                guard last.ends == 1, let head = decoder.heads.last else {
                    return "the fast path framed \(request.length) bytes, the decoder did not end the request there"
                }
                if HostFieldCheck.refuses(head) {
                    summary.refused += 1
                    if request.mayBeAnsweredHere { return "the fast path would answer a request refused for its Host" }
                    return nil
                }
                if request.method != head.method.rawValue || request.isHTTP10 != (head.version == .http1_0) {
                    return "the fast path read \(request.method) HTTP/1.\(request.isHTTP10 ? 0 : 1), the decoder \(head.method.rawValue) \(head.version)"
                }
                if request.mayBeAnsweredHere, request.keepAlive != head.isKeepAlive {
                    return "keep-alive: the fast path says \(request.keepAlive), the decoder \(head.isKeepAlive)"
                }
                // After a request that ends the connection, Hummingbird decides about the rest.
                guard head.isKeepAlive else { return nil }
                offset += request.length
            }
        }
        return nil
    }
}
