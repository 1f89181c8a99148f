/// Finds what a person probably meant when a name they typed is not one we know.
public enum Spelling {
    /// The candidate closest to `text` (ignoring case), when it is close enough to be a slip:
    /// at most one edit per three letters, or one name being the start of the other.
    public static func closest(to text: String, among candidates: [String]) -> String? {
        let typed = Array(text.lowercased().unicodeScalars)
        guard !typed.isEmpty, typed.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let known = Array(candidate.lowercased().unicodeScalars)
            let distance = editDistance(typed, known)
            let allowed = max(1, min(known.count, typed.count) / 3)
            let isStart = min(known.count, typed.count) >= 4 && (typed.starts(with: known) || known.starts(with: typed))
            guard distance <= allowed || isStart else { continue }
            if best.map({ distance < $0.distance }) ?? true { best = (candidate, distance) }
        }
        return best?.name
    }

    /// The edit distance (insertions, deletions, substitutions and swaps of two neighbouring
    /// letters, the commonest typing slip) between two texts.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
