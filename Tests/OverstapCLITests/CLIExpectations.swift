import Foundation
import OverstapTestSupport
import Testing

/// Texts that only appear when a program crashes or dumps a trace instead of explaining itself.
let stackTraceMarkers = ["Fatal error", "Stack dump", "stack trace", "Backtrace", "backtrace", "SIGSEGV", "SIGILL", "0x0000"]

/// Expects a command to succeed, showing its whole output when it did not.
func expectSuccess(_ result: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
}

/// Expects a refusal: the exit status, every text on stderr, nothing on stdout and no stack trace.
func expectRefused(
    _ result: CLI.Result, status: Int32 = 1, mentioning texts: [String], quietStdout: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
    for text in texts {
        #expect(result.stderr.contains(text), "stderr lacks \"\(text)\"\n\(result)", sourceLocation: sourceLocation)
    }
    if quietStdout {
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    }
    for marker in stackTraceMarkers {
        #expect(!result.stderr.contains(marker), "stderr shows a crash (\(marker))\n\(result)", sourceLocation: sourceLocation)
    }
}

/// The options of a valid `session create`, changed one at a time by the tests.
struct SessionDraft {
    var options: [String: String] = [
        "--title": "Van keuken naar zorg",
        "--partner": "roc-midden",
        "--kind": "webinar",
        "--sector": "zorg",
        "--audience": "horeca,detailhandel",
        "--start": "2027-02-02 19:00",
        "--duration": "90m",
        "--capacity": "20",
        "--online": "https://meet.example.org/van-keuken-naar-zorg",
    ]

    /// The draft with one option set, or removed when `value` is nil.
    func with(_ option: String, _ value: String?) -> SessionDraft {
        var copy = self
        copy.options[option] = value
        return copy
    }

    /// The command line `session create …`.
    var arguments: [String] {
        ["session", "create"] + options.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
    }
}

extension CLI {
    /// Adds a partner (by default `roc-midden`, the one `SessionDraft` uses) and expects success.
    func addPartner(_ slug: String = "roc-midden", region: String = "midden-utrecht") throws {
        let result = try run([
            "partner", "add", "--name", "Partner \(slug)", "--email", "planning@\(slug).example.org", "--slug", slug,
            "--region", region,
        ])
        expectSuccess(result)
    }

    /// Creates a session and returns the id it printed.
    func createSession(_ draft: SessionDraft = SessionDraft(), sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try run(draft.arguments)
        expectSuccess(result, sourceLocation: sourceLocation)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `session list --json` with extra arguments, as dictionaries.
    func sessions(_ extra: [String] = []) throws -> [[String: Any]] {
        let result = try run(["session", "list", "--json"] + extra)
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }

    /// `session show ID --json`: the session and its enrollments.
    func showSession(_ id: String) throws -> (session: [String: Any], enrollments: [[String: Any]]) {
        let result = try run(["session", "show", id, "--json"])
        expectSuccess(result)
        let object = try #require(try result.json() as? [String: Any], "\(result)")
        return (
            try #require(object["session"] as? [String: Any]), try #require(object["enrollments"] as? [[String: Any]])
        )
    }

    /// `worker list --json`, as dictionaries.
    func workers() throws -> [[String: Any]] {
        let result = try run(["worker", "list", "--json"])
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]], "\(result)")
    }
}

/// True when every key of every object (nested ones too) is snake_case.
func allKeysAreSnakeCase(_ value: Any) -> Bool {
    if let object = value as? [String: Any] {
        return object.allSatisfy { key, nested in
            key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
                && allKeysAreSnakeCase(nested)
        }
    }
    if let array = value as? [Any] { return array.allSatisfy(allKeysAreSnakeCase) }
    return true
}
