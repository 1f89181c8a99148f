/// SplitMix64: small, fast and fully determined by its seed, so every input can be replayed.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    /// A generator for input `stream` of the run seeded with `seed`.
    init(seed: UInt64, stream: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ stream &* 0xBF58_476D_1CE4_E5B9
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// True with probability 1 in `odds`.
    mutating func oneIn(_ odds: Int) -> Bool { below(odds) == 0 }
}

/// Byte- and line-level changes that turn a valid file into the many ways it can be wrong.
enum Mutator {
    /// Bytes that matter to the readers: delimiters, quotes, line ends, a BOM, invalid UTF-8, NUL.
    static let interesting: [[UInt8]] = [
        [0x22], [0x2C], [0x3B], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xFE], [0xEF, 0xBB, 0xBF], [0xC3],
        [0xE2, 0x80, 0xAE], [0x7C], [0x3A], [0x2D], [0x20], [0x09], [0x5C], Array("24:00".utf8), Array("9999".utf8),
    ]

    /// Applies one to eight random edits to `bytes`.
    static func mutate(_ bytes: [UInt8], extra: [[UInt8]] = [], random: inout FuzzRandom) -> [UInt8] {
        var result = bytes
        let pool = interesting + extra
        for _ in 0...random.below(8) {
            let position = random.below(result.count + 1)
            switch random.below(7) {
            case 0 where !result.isEmpty:
                result[min(position, result.count - 1)] = UInt8(truncatingIfNeeded: random.next())
            case 1:
                result.insert(contentsOf: pool[random.below(pool.count)], at: position)
            case 2 where !result.isEmpty:
                let end = min(result.count, position + random.below(40) + 1)
                result.removeSubrange(min(position, end)..<end)
            case 3 where !result.isEmpty:
                let start = random.below(result.count)
                let end = min(result.count, start + random.below(200) + 1)
                let piece = Array(result[start..<end])
                result.insert(contentsOf: piece, at: min(position, result.count))
            case 4:
                result.insert(contentsOf: (0..<random.below(16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: position)
            case 5 where !result.isEmpty:
                result[min(position, result.count - 1)] ^= UInt8(1 << random.below(8))
            default:
                result.insert(contentsOf: pool[random.below(pool.count)], at: position)
            }
        }
        return result
    }
}
