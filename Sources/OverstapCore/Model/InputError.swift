/// A problem with what a user typed or imported: where it is, what is wrong and how to fix it.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the problem is: an option (`--start`), a field, or `FILE:LINE: field`.
    public var place: String
    /// What is wrong, in one sentence.
    public var problem: String
    /// How to fix it, when there is something more useful to say than the problem itself.
    public var fix: String?

    /// Creates an input error.
    public init(place: String, problem: String, fix: String? = nil) {
        self.place = place
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        if let fix { return "\(place): \(problem); \(fix)" }
        return "\(place): \(problem)"
    }
}

/// Several input problems found together, so the user can fix them all in one go.
public struct InputErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every problem, in the order it was found.
    public var problems: [InputError]

    /// Creates a list of problems.
    public init(_ problems: [InputError]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// A value the user referred to that does not exist (a partner slug, a session id, an e-mail).
public struct NotFoundError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of thing was looked up ("partner", "session", "worker").
    public var kind: String
    /// The key the user gave.
    public var key: String
    /// How to find valid keys.
    public var fix: String

    /// Creates a not-found error.
    public init(kind: String, key: String, fix: String) {
        self.kind = kind
        self.key = key
        self.fix = fix
    }

    public var description: String { "no \(kind) '\(key)'; \(fix)" }
}
