/// A closed list of codes (sectors or regions) that every input is checked against.
public struct Catalogue: Sendable, Equatable {
    /// One code with its names.
    public struct Entry: Sendable, Equatable {
        public var code: String
        public var dutchName: String
        public var englishName: String

        /// Creates an entry.
        public init(code: String, dutchName: String, englishName: String) {
            self.code = code
            self.dutchName = dutchName
            self.englishName = englishName
        }
    }

    /// What the catalogue lists, singular ("sector", "region"), used in error messages.
    public var kind: String
    public var entries: [Entry]
    private var codes: Set<String>
    /// Canonical codes by their lower-case spelling: people type `Horeca` or `ZORG`.
    private var canonicalByFolded: [String: String]

    /// Creates a catalogue.
    public init(kind: String, entries: [Entry]) {
        self.kind = kind
        self.entries = entries
        self.codes = Set(entries.map(\.code))
        self.canonicalByFolded = Dictionary(entries.map { ($0.code.lowercased(), $0.code) }, uniquingKeysWith: { first, _ in first })
    }

    /// True when `code` is listed exactly as stored (canonical spelling).
    public func contains(_ code: String) -> Bool { codes.contains(code) }

    /// The listed code `text` names, matched case-insensitively, or nil.
    public func canonical(_ text: String) -> String? { canonicalByFolded[text.lowercased()] }

    /// The entry for a code.
    public func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }

    /// Returns the listed code `code` names (in any letter case), else an error that lists the valid codes.
    @discardableResult
    public func validate(_ code: String, place: String) throws(InputError) -> String {
        guard let canonical = canonical(code) else {
            throw InputError(
                place: place, problem: "unknown \(kind) '\(code)'",
                fix: "valid \(kind)s: \(entries.map(\.code).joined(separator: ", "))")
        }
        return canonical
    }
}
