/// Hides small counts in a set of linked tables so that no hidden count can be worked out from
/// the published ones (CBS-style primary and secondary suppression).
///
/// Every count of the report is a *cell*; a cell is published (printed in a table) or hidden
/// (a difference no table prints, such as "invited but did not answer"). A *relation* says that
/// one cell is the sum of others (a row total, a column total, a funnel step and the next). Cells
/// from 1 to `minCell - 1` must stay unknown. A cell is known when it is published and not
/// suppressed, or when it is the only unknown member of a relation whose other members are known
/// (subtraction, repeated until nothing new follows). While a small cell is known that way, one
/// more published member of the relation that revealed it is suppressed: the smallest non-zero
/// one, ties broken by the order cells were added, so the same data always gives the same
/// pattern. Zeros are never suppressed, and a suppressed cell that can be worked out anyway is
/// printed after all.
public struct CellSuppression: Sendable {
    /// Why a cell is not printed.
    public enum Status: Sendable, Equatable {
        /// Printed.
        case shown
        /// A count from 1 to `minCell - 1` (primary suppression).
        case small
        /// Hidden so that a small count cannot be worked out (secondary suppression).
        case complementary
    }

    private(set) var values: [Int] = []
    private(set) var published: [Bool] = []
    private(set) var relations: [[Int]] = []

    /// Creates an empty set of cells.
    public init() {}

    /// Adds a cell and returns its index; a hidden cell is never printed but must not be revealed
    /// when it is small.
    public mutating func cell(_ value: Int, published: Bool = true) -> Int {
        values.append(value)
        self.published.append(published)
        return values.count - 1
    }

    /// Records that `total` is the sum of `parts`.
    public mutating func relate(total: Int, parts: [Int]) {
        relations.append([total] + parts)
    }

    /// The count of a cell.
    public func value(_ cell: Int) -> Int { values[cell] }

    /// Decides which cells are printed: every small cell is suppressed, and so are the cells
    /// needed to keep them unknown.
    public func protect(minCell: Int) -> [Status] {
        var status = [Status](repeating: .shown, count: values.count)
        var mustHide = [Bool](repeating: false, count: values.count)
        for index in values.indices where values[index] >= 1 && values[index] < minCell {
            mustHide[index] = true
            if published[index] { status[index] = .small }
        }
        var relationsOf = [[Int]](repeating: [], count: values.count)
        for (number, members) in relations.enumerated() {
            for member in Set(members) { relationsOf[member].append(number) }
        }
        while true {
            let derivedBy = derivations(status: status, relationsOf: relationsOf)
            var changed = false
            var handled = Set<Int>()
            for index in values.indices where mustHide[index] {
                guard let relation = derivedBy[index], handled.insert(relation).inserted else { continue }
                let others = relations[relation].filter { $0 != index && values[$0] > 0 }
                let printed = others.filter { published[$0] && status[$0] == .shown }
                if let pick = printed.min(by: { (values[$0], $0) < (values[$1], $1) }) {
                    status[pick] = .complementary
                    changed = true
                } else if let pick = others.filter({ !mustHide[$0] && derivedBy[$0] != nil })
                    .min(by: { (values[$0], $0) < (values[$1], $1) })
                {
                    // Revealed through a cell that is itself worked out: keep that one unknown too.
                    mustHide[pick] = true
                    changed = true
                }
            }
            if !changed {
                // A hidden cell the reader can work out anyway protects nothing: print it. Printing
                // a known cell adds nothing to what can be worked out, so the protection holds.
                for index in status.indices where status[index] == .complementary && derivedBy[index] != nil { status[index] = .shown }
                return status
            }
        }
    }

    /// For every cell that follows from the printed ones by subtraction, the relation that gave it.
    private func derivations(status: [Status], relationsOf: [[Int]]) -> [Int?] {
        var known = values.indices.map { published[$0] && status[$0] == .shown }
        var derivedBy = [Int?](repeating: nil, count: values.count)
        var unknown = relations.map { members in Set(members).filter { !known[$0] }.count }
        var queue = unknown.indices.filter { unknown[$0] == 1 }
        var next = 0
        while next < queue.count {
            let relation = queue[next]
            next += 1
            guard unknown[relation] == 1, let member = relations[relation].first(where: { !known[$0] }) else { continue }
            known[member] = true
            derivedBy[member] = relation
            for other in relationsOf[member] {
                unknown[other] -= 1
                if unknown[other] == 1 { queue.append(other) }
            }
        }
        return derivedBy
    }
}
