import FlowSolver
import Testing

/// The exchange on its own: a flow whose every arc is tight, re-routed so the best units are placed.
struct PriorityExchangeTests {
    /// Exchanges on a network where every arc and every bin's sink arc is tight and every source
    /// may change its count, starting from `arcFlow`; answers the flow after the exchange.
    func exchanged(_ network: BipartiteNetwork, arcFlow: [Int32], tier: [Int32], order: [Int32]) -> [Int32] {
        var binLoad = [Int32](repeating: 0, count: network.binCount)
        var placed = [Int32](repeating: 0, count: network.sourceCount)
        for source in 0..<network.sourceCount {
            for arc in Int(network.arcStart[source])..<Int(network.arcStart[source + 1]) {
                binLoad[Int(network.arcBin[arc])] += arcFlow[arc]
                placed[source] += arcFlow[arc]
            }
        }
        return PriorityExchange(
            network: network, arcFlow: arcFlow, arcIsTight: arcFlow.map { _ in true }, binLoad: binLoad,
            sinkArcIsTight: binLoad.map { _ in true }, placed: placed,
            placedCountCanChange: placed.map { _ in true }, sourceTier: tier, unitOrder: order
        ).arcFlow
    }

    /// Three single units and two bins of one: source 0 reaches bin 0, source 1 bins 0 and 1,
    /// source 2 bin 1. Arcs: 0 → 0, 1 → 0, 1 → 1, 2 → 1.
    let chain = BipartiteNetwork(arcStart: [0, 1, 3, 4], arcBin: [0, 0, 1, 1], units: [1, 1, 1], binCapacity: [1, 1])

    @Test func theBestUnitTakesAPlaceAlongAChainOfMoves() {
        // Units 1 and 2 hold the bins; unit 0 comes first, so unit 1 moves on and unit 2 gives up.
        let flow = exchanged(chain, arcFlow: [0, 1, 0, 1], tier: [0, 0, 0], order: [0, 1, 2])
        #expect(flow == [1, 0, 1, 0])
    }

    @Test func aPlacedUnitOfAnEarlierTierKeepsItsPlaceAgainstALaterTier() {
        // Unit 0 is of the later tier: the units of tier 0 are placed first and keep their bins.
        let flow = exchanged(chain, arcFlow: [0, 1, 0, 1], tier: [1, 0, 0], order: [0, 1, 2])
        #expect(flow == [0, 1, 0, 1])
    }

    @Test func unitsOfOneSourceAreInterchangeable() {
        // Source 0 holds two units and one bin of two; source 1's unit is placed but comes last.
        let network = BipartiteNetwork(arcStart: [0, 1, 2], arcBin: [0, 0], units: [2, 1], binCapacity: [2])
        let flow = exchanged(network, arcFlow: [1, 1], tier: [0, 0], order: [0, 0, 1])
        #expect(flow == [2, 0])
    }
}
