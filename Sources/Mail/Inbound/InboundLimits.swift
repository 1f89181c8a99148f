/// How much of an incoming message the reader takes before it refuses it. The defaults are far
/// above what any calendar client sends and far below what could exhaust the machine.
public struct InboundLimits: Sendable, Hashable {
    /// The whole message, in bytes.
    public var maximumBytes: Int
    /// Multiparts and forwarded messages inside one another.
    public var maximumDepth: Int
    /// Entities (the message, every part, every forwarded message) in total.
    public var maximumParts: Int
    /// One physical header line, without its line end.
    public var maximumHeaderLine: Int
    /// One header field after unfolding.
    public var maximumHeaderField: Int
    /// Header fields in one entity.
    public var maximumHeaderFields: Int

    /// Creates limits.
    public init(
        maximumBytes: Int, maximumDepth: Int, maximumParts: Int, maximumHeaderLine: Int, maximumHeaderField: Int,
        maximumHeaderFields: Int
    ) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumParts = maximumParts
        self.maximumHeaderLine = maximumHeaderLine
        self.maximumHeaderField = maximumHeaderField
        self.maximumHeaderFields = maximumHeaderFields
    }

    /// 32 MiB, 12 levels, 500 parts, 16 KiB header lines, 64 KiB fields, 2,000 fields per entity.
    public static let `default` = InboundLimits(
        maximumBytes: 32 * 1_048_576, maximumDepth: 12, maximumParts: 500, maximumHeaderLine: 16_384,
        maximumHeaderField: 65_536, maximumHeaderFields: 2_000)
}
