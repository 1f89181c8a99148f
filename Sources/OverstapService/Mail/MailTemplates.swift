import Foundation
import Mustache
import OverstapCore

/// The mail templates of `templates.path`/email, loaded and checked once: every kind, part and
/// locale must be there. Subjects and plain text are rendered without HTML escaping.
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

    /// Loads every template below `folder`/email.
    init(folder: String) throws(InputError) {
        var library = MustacheLibrary()
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
                }
            }
        }
        self.library = library
    }

    /// Renders one kind of mail in the worker's locale (Dutch unless `en`).
    func render(_ kind: OutboxKind, locale: String, values: [String: Any]) -> Rendered {
        let locale = locale == "en" ? "en" : "nl"
        func part(_ name: String) -> String { library.render(values, withTemplate: Self.name(locale, kind, name)) ?? "" }
        let subject = part("subject").split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return Rendered(subject: subject, text: part("text"), html: part("html"))
    }

    private static func name(_ locale: String, _ kind: OutboxKind, _ part: String) -> String {
        "\(locale)/\(kind.rawValue).\(part)"
    }
}
