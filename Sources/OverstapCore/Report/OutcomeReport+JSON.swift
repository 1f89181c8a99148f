extension OutcomeReport {
    /// The report as JSON with snake_case keys in a fixed order; every count is
    /// `{"value": N, "suppressed": false}` or `{"value": null, "suppressed": true}`.
    public func json(generatedAt: String) -> String {
        func count(_ figure: Figure) -> JSONValue {
            .object([("value", figure.shown.map { .int($0) } ?? .null), ("suppressed", .bool(figure.status != .shown))])
        }
        func rate(_ value: Double?) -> JSONValue { Self.decimal(value).map { .number($0) } ?? .null }
        func activity(_ row: ActivityRow) -> JSONValue {
            var fields: [(String, JSONValue)] = [("id", .string(row.key))]
            if let date = row.date { fields.append(("date", .string(date.description))) }
            if let sector = row.sector { fields.append(("sector", .string(sector))) }
            fields += [
                ("partners", .array(row.partners.map { .string($0) })), ("seats", .int(row.seats)), ("taken", count(row.taken)),
                ("fill", rate(row.fill)), ("invited", count(row.invited)), ("answered", count(row.answered)),
                ("answer_rate", rate(row.answerRate)), ("attended", count(row.attended)), ("no_shows", count(row.noShows)),
                ("no_show_rate", rate(row.noShowRate)),
            ]
            return .object(fields)
        }
        var flowCells: [JSONValue] = []
        for (row, source) in flows.sources.enumerated() {
            for (column, target) in flows.targets.enumerated() {
                flowCells.append(.object([("from", .string(source)), ("to", .string(target)), ("people", count(flows.cells[row][column]))]))
            }
        }
        let quartiles: JSONValue = timeToWork.quartiles.map {
            .object([("lower_quartile", .int($0.lower)), ("median", .int($0.median)), ("upper_quartile", .int($0.upper))])
        } ?? .null
        let document = JSONValue.object([
            ("period", .string(period.label)), ("first_day", .string(period.first.description)), ("last_day", .string(period.last.description)),
            ("region", region.map { .string($0) } ?? .null), ("min_cell", .int(minCell)), ("generated_at", .string(generatedAt)),
            ("funnel", .array(funnel.map { .object([("stage", .string($0.stage.rawValue)), ("people", count($0.figure))]) })),
            (
                "sector_flows",
                .object([
                    ("cells", .array(flowCells)),
                    ("from_totals", .array(flows.sources.indices.map {
                        .object([("from", .string(flows.sources[$0])), ("people", count(flows.sourceTotals[$0]))])
                    })),
                    ("to_totals", .array(flows.targets.indices.map {
                        .object([("to", .string(flows.targets[$0])), ("people", count(flows.targetTotals[$0]))])
                    })),
                    ("total", count(flows.total)), ("in_session_sector", count(flows.inSessionSector)),
                    ("in_session_sector_share", rate(flows.inSessionSectorShare)),
                ])
            ),
            ("time_to_work_days", .object([("people", count(timeToWork.people)), ("quartiles", quartiles)])),
            ("sessions", .array(sessions.map(activity))), ("sessions_total", activity(sessionTotal)),
            ("partners", .array(partners.map(activity))),
        ])
        var out = ""
        document.write(to: &out, indent: "")
        return out + "\n"
    }
}

/// A JSON value with its object keys in the order given, written with two-space indentation.
enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case int(Int)
    /// A number already formatted.
    case number(String)
    case bool(Bool)
    case null

    func write(to out: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .object(let fields):
            guard !fields.isEmpty else { return out += "{}" }
            out += "{\n"
            for (index, field) in fields.enumerated() {
                out += inner + Self.quoted(field.0) + ": "
                field.1.write(to: &out, indent: inner)
                out += index == fields.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let values):
            guard !values.isEmpty else { return out += "[]" }
            out += "[\n"
            for (index, value) in values.enumerated() {
                out += inner
                value.write(to: &out, indent: inner)
                out += index == values.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .string(let text): out += Self.quoted(text)
        case .int(let value): out += String(value)
        case .number(let text): out += text
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
