/// A plain-text table with aligned columns, for terminals.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    /// The table as lines of text.
    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                text += cell
                if index < cells.count - 1 { text += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
