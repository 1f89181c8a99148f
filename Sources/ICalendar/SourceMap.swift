/// The structure of iCalendar text as written, found before libical sees it: which physical line
/// each content line and component starts on. libical reports bad properties without lines (as
/// X-LIC-ERROR) and returns nothing for truncated input, so this map supplies the line numbers.
struct SourceMap {
    /// One unfolded content line.
    struct ContentLine {
        var line: Int
        var name: String
        var text: String
    }

    /// One component (`BEGIN` … `END`) with the content lines directly inside it.
    struct Component {
        var kind: String
        var line: Int
        var properties: [ContentLine] = []
    }

    /// Components in depth-first order, as libical's tree walk visits them.
    private(set) var components: [Component] = []

    /// Reads the structure, or reports the first structural problem.
    init(_ text: String) throws(ICalendarParseError) {
        var contentLines: [ContentLine] = []
        var physical = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            physical += 1
            if let first = rawLine.first, first == " " || first == "\t" {
                guard !contentLines.isEmpty else {
                    throw ICalendarParseError(line: physical, property: "-", problem: "a folded continuation line with nothing before it")
                }
                contentLines[contentLines.count - 1].text += rawLine.dropFirst()
                continue
            }
            if rawLine.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            contentLines.append(ContentLine(line: physical, name: "", text: String(rawLine)))
        }
        guard !contentLines.isEmpty else {
            throw ICalendarParseError(line: 1, property: "VCALENDAR", problem: "the input is empty")
        }
        var stack: [Int] = []
        var closed = false
        for var content in contentLines {
            content.name = try Self.name(of: content)
            if closed {
                throw ICalendarParseError(line: content.line, property: content.name, problem: "text after END:VCALENDAR")
            }
            let value = Self.value(of: content.text).uppercased()
            if content.name == "BEGIN" {
                if stack.isEmpty && value != "VCALENDAR" {
                    throw ICalendarParseError(line: content.line, property: "BEGIN", problem: "the input must start with BEGIN:VCALENDAR")
                }
                stack.append(components.count)
                components.append(Component(kind: value, line: content.line))
            } else if content.name == "END" {
                guard let open = stack.last, components[open].kind == value else {
                    let expected = stack.last.map { "END:\(components[$0].kind)" } ?? "nothing"
                    throw ICalendarParseError(line: content.line, property: "END", problem: "END:\(value) where \(expected) was expected")
                }
                stack.removeLast()
                closed = stack.isEmpty
            } else {
                guard let open = stack.last else {
                    throw ICalendarParseError(line: content.line, property: content.name, problem: "the input must start with BEGIN:VCALENDAR")
                }
                components[open].properties.append(content)
            }
        }
        if let open = stack.last {
            throw ICalendarParseError(
                line: contentLines[contentLines.count - 1].line, property: components[open].kind,
                problem: "END:\(components[open].kind) is missing (the input is cut off)")
        }
    }

    /// The line of a property in a component, found by name, or by the raw text libical quotes.
    func line(inComponent index: Int, property: String?, rawText: String?) -> Int {
        guard components.indices.contains(index) else { return 1 }
        let component = components[index]
        if let rawText, let match = component.properties.first(where: { $0.text.hasSuffix(rawText) || $0.text == rawText }) {
            return match.line
        }
        if let property, let match = component.properties.first(where: { $0.name == property }) {
            return match.line
        }
        return component.line
    }

    private static func name(of content: ContentLine) throws(ICalendarParseError) -> String {
        let text = content.text
        let notContent = ICalendarParseError(
            line: content.line, property: String(text.prefix(20)), problem: "not a content line (expected NAME:VALUE)")
        guard let end = text.firstIndex(where: { $0 == ";" || $0 == ":" }) else { throw notContent }
        let name = String(text[..<end])
        if text[end] == ":" { return try valid(name, content) }
        var quoted = false
        for character in text[end...] {
            if character == "\"" {
                quoted.toggle()
            } else if character == ":" && !quoted {
                return try valid(name, content)
            }
        }
        throw notContent
    }

    private static func valid(_ name: String, _ content: ContentLine) throws(ICalendarParseError) -> String {
        let upper = name.uppercased()
        guard !upper.isEmpty, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw ICalendarParseError(line: content.line, property: String(name.prefix(20)), problem: "not a valid property name")
        }
        return upper
    }

    private static func value(of text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else { return "" }
        return String(text[text.index(after: colon)...].filter { $0 != " " && $0 != "\t" })
    }
}
