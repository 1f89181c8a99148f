@testable import OverstapCore

/// What a reader can work out from published counts: starting from the printed cells, any sum
/// with exactly one unknown member gives that member, repeated until nothing new follows. Written
/// independently of `CellSuppression` so the two check each other.
struct DisclosureAttack {
    /// One sum: `total = Σ parts`, as cell indices.
    var sums: [(total: Int, parts: [Int])] = []
    var values: [Int] = []
    var printed: [Bool] = []

    mutating func cell(_ value: Int, printed: Bool) -> Int {
        values.append(value)
        self.printed.append(printed)
        return values.count - 1
    }

    /// The cells with a value from 1 to `minCell - 1` that the reader can work out although they are not printed.
    func recoveredSmallCells(minCell: Int) -> [Int] {
        var known = printed
        var progress = true
        while progress {
            progress = false
            for sum in sums {
                let members = [sum.total] + sum.parts
                let unknown = Set(members.filter { !known[$0] })
                if unknown.count == 1, let member = unknown.first {
                    known[member] = true
                    progress = true
                }
            }
        }
        return values.indices.filter { !printed[$0] && known[$0] && values[$0] >= 1 && values[$0] < minCell }
    }
}
