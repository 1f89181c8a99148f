import Foundation
import Mustache
import OverstapCore
import Synchronization

/// The mail templates of `templates.path`/email, loaded and checked once: every kind, part and
/// locale must be there. Subjects and plain text are rendered without HTML escaping.
///
/// Mustache walks its context through dynamic casts for every tag, which cost more than the rest
/// of a mail together. So a template is rendered once per kind, locale and shape of the values
/// (which keys there are, the booleans, how long each list is: all that decides sections), with
/// numbered markers in place of the texts, and each mail fills the markers in (`Skeleton`).
struct MailTemplates: Sendable {
    /// The three parts of a mail.
    struct Rendered {
        var subject: String
        var text: String
        var html: String
    }

    static let locales = ["nl", "en"]
    static let parts = ["subject", "text", "html"]

    private let library: MustacheLibrary
    /// Templates whose output is the same when each text is filled in afterwards: no transform
    /// such as `{{uppercased(name)}}` and no changed delimiters (which could hide one).
    private let fillable: Set<String>
    private var skeletons = SkeletonCache()

    /// Loads every template below `folder`/email.
    init(folder: String) throws(InputError) {
        var library = MustacheLibrary()
        var fillable: Set<String> = []
        for locale in Self.locales {
            for kind in OutboxKind.allCases {
                for part in Self.parts {
                    let path = "\(folder)/email/\(locale)/\(kind.rawValue).\(part).mustache"
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw InputError(
                            place: path, problem: "cannot be read",
                            fix: "set templates.path to a folder with email/nl and email/en (see templates/README.md)")
                    }
                    let source = part == "html" ? text : "{{% CONTENT_TYPE: TEXT}}" + text
                    do {
                        try library.register(source, named: Self.name(locale, kind, part))
                    } catch {
                        throw InputError(place: path, problem: "is not a valid Mustache template")
                    }
                    if Skeleton.canFill(text) { fillable.insert(Self.name(locale, kind, part)) }
                }
            }
        }
        self.library = library
        self.fillable = fillable
    }

    /// These templates with a skeleton cache of their own, for a renderer on a thread of its own
    /// that should not wait for another one's lock.
    func withOwnCache() -> MailTemplates {
        var copy = self
        copy.skeletons = SkeletonCache()
        return copy
    }

    /// Renders one kind of mail in the worker's locale (Dutch unless `en`).
    func render(_ kind: OutboxKind, locale: String, values: [String: Any]) -> Rendered {
        let locale = locale == "en" ? "en" : "nl"
        let marked = Skeleton.Marked(values)
        func part(_ name: String) -> String {
            let template = Self.name(locale, kind, name)
            guard let marked, fillable.contains(template) else { return library.render(values, withTemplate: template) ?? "" }
            let key = template + "\n" + marked.shape
            if let skeleton = skeletons.entries.withLock({ $0[key] }) { return skeleton.filled(with: marked.texts) }
            guard let skeleton = Skeleton(library.render(marked.values, withTemplate: template) ?? "") else {
                return library.render(values, withTemplate: template) ?? ""
            }
            skeletons.entries.withLock { $0[key] = skeleton }
            return skeleton.filled(with: marked.texts)
        }
        let subject = part("subject").split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return Rendered(subject: subject, text: part("text"), html: part("html"))
    }

    private static func name(_ locale: String, _ kind: OutboxKind, _ part: String) -> String {
        "\(locale)/\(kind.rawValue).\(part)"
    }

    /// The skeletons rendered so far, shared by the tasks rendering with these templates.
    private final class SkeletonCache: Sendable {
        let entries = Mutex<[String: Skeleton]>([:])
    }
}

/// A template's output with numbered places for the texts of one mail, each to be filled in
/// as it is or HTML-escaped, as the template asked.
struct Skeleton: Sendable {
    private enum Piece {
        case text(String)
        case value(Int, escaped: Bool)
    }

    private let pieces: [Piece]

    /// A marker is `U+E000`, the text's number, `&`, `U+E001`: the `&` becomes `&amp;` where the
    /// template escapes the value, so the output tells which of the two each place wants.
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"

    static func marker(_ index: Int) -> String { "\u{E000}\(index)&\u{E001}" }

    /// Whether filling in afterwards gives what rendering the texts would: no tag runs a
    /// transform on a value, no tag changes the delimiters, no marker character is in the text.
    static func canFill(_ template: String) -> Bool {
        if template.contains("{{=") || template.unicodeScalars.contains(where: { $0 == open || $0 == close }) { return false }
        var rest = template[...]
        while let start = rest.range(of: "{{") {
            guard let end = rest[start.upperBound...].range(of: "}}") else { return true }
            if rest[start.upperBound..<end.lowerBound].contains("(") { return false }
            rest = rest[end.upperBound...]
        }
        return true
    }

    /// Reads the markers out of output rendered from `Marked.values`; nil when one is malformed.
    init?(_ rendered: String) {
        var pieces: [Piece] = []
        var text = String.UnicodeScalarView()
        var scalars = rendered.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == Self.open else {
                text.append(scalar)
                continue
            }
            let digits = scalars.prefix { $0.value >= 0x30 && $0.value <= 0x39 }
            guard let index = Int(String(String.UnicodeScalarView(digits))) else { return nil }
            scalars = scalars.dropFirst(digits.count)
            let ending = String(String.UnicodeScalarView(scalars.prefix { $0 != Self.close }))
            guard ending == "&" || ending == "&amp;", scalars.dropFirst(ending.unicodeScalars.count).first == Self.close else { return nil }
            scalars = scalars.dropFirst(ending.unicodeScalars.count + 1)
            if !text.isEmpty { pieces.append(.text(String(text))) }
            text = String.UnicodeScalarView()
            pieces.append(.value(index, escaped: ending == "&amp;"))
        }
        if !text.isEmpty { pieces.append(.text(String(text))) }
        self.pieces = pieces
    }

    /// The output with every place filled in from `texts`.
    func filled(with texts: [String]) -> String {
        var output = ""
        for piece in pieces {
            switch piece {
            case .text(let text): output += text
            case .value(let index, escaped: false): output += texts[index]
            case .value(let index, escaped: true): output += Self.htmlEscaped(texts[index])
            }
        }
        return output
    }

    /// Mustache's HTML escaping, the same five characters.
    static func htmlEscaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Template values with each text replaced by its marker, the texts by number, and the shape
    /// that decides the sections; nil for values of another kind or texts with marker characters.
    struct Marked {
        var values: [String: Any] = [:]
        var texts: [String] = []
        var shape = ""

        init?(_ original: [String: Any]) {
            for key in original.keys.sorted() {
                switch original[key] {
                case let text as String:
                    guard let marker = mark(text) else { return nil }
                    values[key] = marker
                    shape += key + ";"
                case let list as [String]:
                    var markers: [String] = []
                    for text in list {
                        guard let marker = mark(text) else { return nil }
                        markers.append(marker)
                    }
                    values[key] = markers
                    shape += "\(key)[\(list.count)];"
                case let flag as Bool:
                    values[key] = flag
                    shape += "\(key)=\(flag);"
                default:
                    return nil
                }
            }
        }

        private mutating func mark(_ text: String) -> String? {
            if text.unicodeScalars.contains(where: { $0 == Skeleton.open || $0 == Skeleton.close }) { return nil }
            texts.append(text)
            return Skeleton.marker(texts.count - 1)
        }
    }
}
