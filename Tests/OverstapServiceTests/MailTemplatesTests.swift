import Foundation
import OverstapCore
import Testing
@testable import OverstapService

/// Templates are rendered once per shape of the values and then filled in per mail: every mail
/// must still read exactly as if it had been rendered from its own values.
struct MailTemplatesTests {
    /// A templates folder where every part is `{{title}}`, except the invitation's, which are given.
    func folder(subject: String, text: String, html: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)").path
        for locale in MailTemplates.locales {
            let directory = "\(folder)/email/\(locale)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for kind in OutboxKind.allCases {
                for part in MailTemplates.parts {
                    let given = ["subject": subject, "text": text, "html": html][part] ?? ""
                    try (kind == .invitation ? given : "{{title}}").write(toFile: "\(directory)/\(kind.rawValue).\(part).mustache", atomically: true, encoding: .utf8)
                }
            }
        }
        return folder
    }

    static let html = "<p>{{name}} / {{{name}}}</p>{{#meetings}}<li>{{.}}</li>{{/meetings}}{{#accept_link}}<a href=\"{{accept_link}}\">ja</a>{{/accept_link}}"
        + "{{^accept_link}}beantwoord deze mail{{/accept_link}}{{#list}}lijst{{/list}}"

    func values(name: String, meetings: [String], link: String?, list: Bool = true) -> [String: Any] {
        var values: [String: Any] = ["title": "Van keuken naar zorg", "name": name, "meetings": meetings, "list": list]
        if let link { values["accept_link"] = link }
        return values
    }

    @Test func eachMailReadsAsItsOwnValuesWhateverWasRenderedBefore() throws {
        let templates = try MailTemplates(folder: folder(subject: "Uitnodiging: {{title}}\n voor {{name}}", text: "Beste {{name}},\n{{#meetings}}- {{.}}\n{{/meetings}}", html: Self.html))
        let first = templates.render(.invitation, locale: "nl", values: values(name: "Anouk", meetings: ["di 2 feb", "di 9 feb"], link: "https://x.example/rsvp/1.a"))
        #expect(first.subject == "Uitnodiging: Van keuken naar zorg  voor Anouk")
        #expect(first.text == "Beste Anouk,\n- di 2 feb\n- di 9 feb\n")
        #expect(first.html == "<p>Anouk / Anouk</p><li>di 2 feb</li><li>di 9 feb</li><a href=\"https://x.example/rsvp/1.a\">ja</a>lijst")
        // The same shape with other texts: escaped where the template escapes, as written where it does not.
        let second = templates.render(.invitation, locale: "nl", values: values(name: "Ça & <Co> \"'", meetings: ["<b>", "€"], link: "https://x.example/rsvp/2.b?a=1&b=2"))
        #expect(second.text == "Beste Ça & <Co> \"',\n- <b>\n- €\n")
        #expect(second.html == "<p>Ça &amp; &lt;Co&gt; &quot;&#39; / Ça & <Co> \"'</p><li>&lt;b&gt;</li><li>€</li>"
            + "<a href=\"https://x.example/rsvp/2.b?a=1&amp;b=2\">ja</a>lijst")
        // Another shape: one meeting, no link, no list.
        let third = templates.render(.invitation, locale: "nl", values: values(name: "Bram", meetings: ["do 4 mrt"], link: nil, list: false))
        #expect(third.html == "<p>Bram / Bram</p><li>do 4 mrt</li>beantwoord deze mail")
        // And the first again, from its cached skeleton.
        #expect(templates.render(.invitation, locale: "nl", values: values(name: "Anouk", meetings: ["di 2 feb", "di 9 feb"], link: "https://x.example/rsvp/1.a")).html == first.html)
    }

    @Test func aTemplateThatTransformsAValueIsRenderedFromTheValuesThemselves() throws {
        let templates = try MailTemplates(folder: folder(subject: "{{uppercased(name)}}", text: "{{name}}", html: "{{name}}"))
        let rendered = templates.render(.invitation, locale: "nl", values: values(name: "Anouk", meetings: ["a", "b"], link: nil))
        #expect(rendered.subject == "ANOUK")
        #expect(templates.render(.invitation, locale: "nl", values: values(name: "Bram", meetings: ["a"], link: nil)).subject == "BRAM")
    }

    @Test func aTextWithTheMarkerCharactersIsRenderedFromTheValuesThemselves() throws {
        let templates = try MailTemplates(folder: folder(subject: "{{name}}", text: "{{name}}", html: Self.html))
        let name = "Anouk \u{E000}0&\u{E001}"
        #expect(templates.render(.invitation, locale: "nl", values: values(name: name, meetings: [], link: nil)).text == name)
    }
}
