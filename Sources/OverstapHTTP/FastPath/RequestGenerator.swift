/// Seeded generator of HTTP/1 requests: mostly what clients send, with odd spellings, control
/// characters, conflicting lengths, bodies, pipelined followers, byte mutations and truncation.
struct RequestGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// SplitMix64.
    private mutating func random() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(random() % UInt64(bound)) }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    private mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    mutating func next() -> [UInt8] {
        var bytes = request()
        while chance(25) { bytes += request() }
        if chance(10) { mutate(&bytes) }
        if chance(10), !bytes.isEmpty { bytes = Array(bytes.prefix(below(bytes.count))) }
        return bytes
    }

    /// Half the requests are what clients send; in the others each part is odd now and then.
    private var hostile = false

    /// One of `usual`, or in a hostile request now and then one of `odd`.
    private mutating func choose(_ usual: [String], _ odd: [String]) -> [UInt8] {
        Array((hostile && chance(30) ? pick(odd) : pick(usual)).utf8)
    }

    private mutating func request() -> [UInt8] {
        hostile = chance(50)
        var text = choose(["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"], ["get", "FOO", "CONNECT", "TRACE", "G ET", ""])
        text += choose([" "], ["  ", "\t", ""])
        text += choose(
            ["/feeds/regions/midden-utrecht.ics", "/feeds/partners/roc.ics?token=abc", "/feeds/me/1.x.ics", "/healthz", "/rsvp/1.abc"],
            ["*", "http://x/feeds/regions/a.ics", "/a b", "/\u{7F}", "/%00", "/x?token=a#f", "", "/é", "/\t", "//"])
        if !hostile || chance(90) {
            text += choose([" "], ["  ", "\t"])
            text += choose(["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0"], ["HTTP/1.2", "HTTP/2.0", "http/1.1", "HTTP/1", "HTTP/0.9", "HTTP/1.1 ", "HTTP/11"])
        }
        text += lineEnd()
        var bodyLength: Int?
        var chunked = false
        let hosts = !hostile || chance(70) ? 1 : pick([0, 0, 2])
        var fields: [[UInt8]] = Array(repeating: Array("Host: overstap.example.org".utf8), count: hosts)
        for _ in 0..<below(6) {
            switch below(hostile ? 12 : 7) {
            case 0:
                let value = String(decoding: choose(["0", "3", "5"], ["05", "+5", " 5 ", "5,5", "-1", "99999999999", "0x5", "", "3 3"]), as: UTF8.self)
                fields.append(Array("Content-Length:".utf8) + choose([" "], ["", "\t"]) + Array(value.utf8))
                bodyLength = Int(value.trimmingCharacters())
            case 1:
                fields.append(Array("Connection: ".utf8) + choose(["close", "keep-alive", "Keep-Alive"], ["Upgrade", "close, x", ""]))
            case 2:
                fields.append(Array("Accept-Encoding: ".utf8) + choose(["gzip", "br, gzip;q=0.5", "gzip, deflate"], [""]))
            case 3:
                fields.append(Array("If-None-Match: ".utf8) + choose(["\"a\"", "*", "W/\"b\""], [""]))
            case 7:
                fields.append(Array(pick(["Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: identity"]).utf8))
                chunked = true
            case 8:
                fields.append(Array(pick(["Expect: 100-continue", "Upgrade: h2c", "Host: second.example.org", "HOST: x"]).utf8))
            case 9:
                fields.append(Array("X-Value: a".utf8) + [UInt8(below(256))] + Array("b".utf8))
            case 10:
                fields.append(Array(pick(["Bad Name: x", "X\u{1}: y", ": empty", " Folded: x", "Host : x", "X-Name:", "X-Tab:\tv\t", "\tcontinued"]).utf8))
            default:
                fields.append(Array(pick(["User-Agent: Outlook", "Accept: text/calendar", "X-Forwarded-For: 10.0.0.1"]).utf8))
            }
        }
        for field in fields { text += field + lineEnd() }
        text += lineEnd()
        if chunked, chance(70) {
            text += Array(pick(["3\r\nabc\r\n0\r\n\r\n", "0\r\n\r\n", "z\r\n", "3\nabc\n0\n\n"]).utf8)
        } else if let bodyLength, bodyLength > 0, bodyLength < 100 {
            text += Array(repeating: UInt8(ascii: "b"), count: max(0, bodyLength + (hostile ? pick([0, 0, -1, 1]) : 0)))
        }
        return text
    }

    private mutating func lineEnd() -> [UInt8] {
        choose(["\r\n"], ["\r\n", "\r\n", "\n", "\r", "\r\r\n", "\n\r"])
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        for _ in 0...below(3) where !bytes.isEmpty {
            let at = below(bytes.count)
            switch below(4) {
            case 0: bytes[at] = UInt8(below(256))
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(pick([0x00, 0x01, 0x7F, 0x80, 0x20, 0x09, 0x0D, 0x0A, 0x3A]), at: at)
            default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + below(8))], at: at)
            }
        }
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
