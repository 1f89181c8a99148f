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

    /// Creates a catalogue.
    public init(kind: String, entries: [Entry]) {
        self.kind = kind
        self.entries = entries
        self.codes = Set(entries.map(\.code))
    }

    /// True when `code` is listed.
    public func contains(_ code: String) -> Bool { codes.contains(code) }

    /// The entry for a code.
    public func entry(_ code: String) -> Entry? { entries.first { $0.code == code } }

    /// Returns `code` when it is listed, else an error that lists the valid codes.
    @discardableResult
    public func validate(_ code: String, place: String) throws(InputError) -> String {
        guard contains(code) else {
            throw InputError(
                place: place, problem: "unknown \(kind) '\(code)'",
                fix: "valid \(kind)s: \(entries.map(\.code).joined(separator: ", "))")
        }
        return code
    }
}
