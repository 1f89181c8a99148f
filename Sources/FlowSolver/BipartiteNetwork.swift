/// A bipartite network: sources that hold units, each with arcs to bins that hold a limited
/// number of units. An arc can carry all of its source's units.
public struct BipartiteNetwork: Sendable {
    /// Number of sources, numbered from 0.
    public let sourceCount: Int
    /// Number of bins, numbered from 0.
    public let binCount: Int
    /// Arcs of source s are `arcStart[s]..<arcStart[s + 1]`.
    public let arcStart: [Int32]
    /// Bin each arc enters.
    public let arcBin: [Int32]
    /// Units each source holds.
    public let units: [Int32]
    /// Units each bin can take.
    public let binCapacity: [Int32]

    /// Creates the network; the arcs of each source are listed together, source by source.
    public init(arcStart: [Int32], arcBin: [Int32], units: [Int32], binCapacity: [Int32]) {
        precondition(arcStart.count == units.count + 1, "one arc start per source, and one past the last")
        precondition(Int(arcStart.last ?? 0) == arcBin.count, "the last arc start ends the arcs")
        sourceCount = units.count
        binCount = binCapacity.count
        self.arcStart = arcStart
        self.arcBin = arcBin
        self.units = units
        self.binCapacity = binCapacity
    }
}
