/// SplitMix64: a seeded random source, so that every randomised test can be reproduced from the
/// seed it names.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    /// The seed this generator started from; name it in a failure message.
    public let seed: UInt64
    private var state: UInt64

    /// Creates a generator that always produces the same sequence for the same seed.
    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// A number in `0..<bound` (slightly biased towards small numbers, which tests do not mind).
    public mutating func next(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
