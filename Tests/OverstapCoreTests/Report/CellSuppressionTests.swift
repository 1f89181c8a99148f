import TestRandom
import Testing

@testable import OverstapCore

/// Small counts stay hidden: printed, they are suppressed, and no subtraction along a row, a column
/// or a total (repeated) gives them back.
struct CellSuppressionTests {
    /// Two linked tables like the report's: a grid with row and column totals, and a second grid
    /// whose grand total is the same cell as the first one's, plus hidden differences.
    struct Tables {
        var cells = CellSuppression()
        var attack = DisclosureAttack()

        mutating func add(_ value: Int, published: Bool = true) -> Int {
            let index = cells.cell(value, published: published)
            _ = attack.cell(value, printed: published)
            return index
        }

        mutating func relate(_ total: Int, _ parts: [Int]) {
            cells.relate(total: total, parts: parts)
            attack.sums.append((total, parts))
        }

        /// A rows × columns grid of random counts with totals; returns the grand total's cell.
        mutating func grid(rows: Int, columns: Int, random: inout SeededRandom, grandTotal: Int? = nil) -> Int {
            let values = (0..<rows).map { _ in (0..<columns).map { _ in Self.count(&random) } }
            let interior = values.map { $0.map { add($0) } }
            let rowTotals = values.map { add($0.reduce(0, +)) }
            let columnTotals = (0..<columns).map { column in add(values.reduce(0) { $0 + $1[column] }) }
            let total = grandTotal ?? add(values.joined().reduce(0, +))
            for row in 0..<rows { relate(rowTotals[row], interior[row]) }
            for column in 0..<columns { relate(columnTotals[column], interior.map { $0[column] }) }
            relate(total, rowTotals)
            relate(total, columnTotals)
            return total
        }

        /// Mostly zeros, small counts and medium counts, as a region's sessions produce them.
        static func count(_ random: inout SeededRandom) -> Int {
            switch random.next(10) {
            case 0...2: return 0
            case 3...5: return 1 + random.next(4)
            default: return 5 + random.next(40)
            }
        }
    }

    @Test(arguments: 0..<200)
    func noSmallCellCanBeWorkedOutFromThePrintedOnes(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        var tables = Tables()
        let rows = 1 + random.next(5)
        let columns = 1 + random.next(5)
        let total = tables.grid(rows: rows, columns: columns, random: &random)
        // A funnel-like chain ending in the same total, with hidden differences between steps.
        var step = total
        for _ in 0..<3 {
            let larger = tables.cells.value(step) + Tables.count(&random)
            let next = tables.add(larger)
            tables.relate(next, [step, tables.add(larger - tables.cells.value(step), published: false)])
            step = next
        }
        let minCell = 3 + random.next(5)
        let status = tables.cells.protect(minCell: minCell)

        for index in status.indices {
            let value = tables.cells.value(index)
            if value >= 1 && value < minCell && tables.attack.printed[index] { #expect(status[index] == .small) }
            if value == 0 { #expect(status[index] == .shown, "0 is shown as 0") }
        }
        var published = tables.attack
        published.printed = published.printed.indices.map { published.printed[$0] && status[$0] == .shown }
        #expect(published.recoveredSmallCells(minCell: minCell).isEmpty, "seed \(seed)")
    }

    @Test func aRowWithOneSmallCellHidesTheSmallestOtherCellToo() {
        var cells = CellSuppression()
        let parts = [12, 3, 7].map { cells.cell($0) }
        let total = cells.cell(22)
        cells.relate(total: total, parts: parts)

        let status = cells.protect(minCell: 5)

        #expect(status == [.shown, .small, .complementary, .shown])
    }

    @Test func aSmallCellRevealedThroughAnotherTableIsProtectedThere() {
        // Table 1: a = 6 + 2; table 2 (its column): a = b + 0 with b printed: b would give a, then 2.
        var cells = CellSuppression()
        let six = cells.cell(6)
        let two = cells.cell(2)
        let a = cells.cell(8, published: false)
        let b = cells.cell(8)
        let zero = cells.cell(0)
        cells.relate(total: a, parts: [six, two])
        cells.relate(total: b, parts: [a, zero])

        let status = cells.protect(minCell: 5)

        #expect(status[two] == .small)
        #expect(status[six] == .complementary || status[b] == .complementary)
        #expect(status[zero] == .shown)
    }

    @Test func theSameCellsAlwaysGetTheSamePattern() {
        var random = SeededRandom(seed: 7)
        var first = Tables()
        _ = first.grid(rows: 6, columns: 5, random: &random)
        let once = first.cells.protect(minCell: 5)
        let twice = first.cells.protect(minCell: 5)
        #expect(once == twice)
    }
}
