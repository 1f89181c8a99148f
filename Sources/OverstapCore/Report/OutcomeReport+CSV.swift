extension OutcomeReport {
    /// The report as one long CSV table (`table,row,column,value`), suppressed counts written as
    /// `<5` or `x` the way published statistics write them, unavailable rates left empty.
    public func csv() -> String {
        var lines = [["table", "row", "column", "value"]]
        func add(_ table: String, _ row: String, _ column: String, _ value: String) { lines.append([table, row, column, value]) }
        add("report", "period", "label", period.label)
        add("report", "period", "first_day", period.first.description)
        add("report", "period", "last_day", period.last.description)
        add("report", "region", "code", region ?? "")
        add("report", "min_cell", "value", String(minCell))
        for step in funnel { add("funnel", step.stage.rawValue, "people", display(step.figure)) }
        for (row, source) in flows.sources.enumerated() {
            for (column, target) in flows.targets.enumerated() { add("sector_flows", source, target, display(flows.cells[row][column])) }
            add("sector_flows", source, "total", display(flows.sourceTotals[row]))
        }
        for (column, target) in flows.targets.enumerated() { add("sector_flows", "total", target, display(flows.targetTotals[column])) }
        add("sector_flows", "total", "total", display(flows.total))
        add("sector_flows", "in_session_sector", "people", display(flows.inSessionSector))
        add("sector_flows", "in_session_sector", "share", Self.decimal(flows.inSessionSectorShare) ?? "")
        add("time_to_work", "days", "people", display(timeToWork.people))
        add("time_to_work", "days", "lower_quartile", timeToWork.quartiles.map { String($0.lower) } ?? "")
        add("time_to_work", "days", "median", timeToWork.quartiles.map { String($0.median) } ?? "")
        add("time_to_work", "days", "upper_quartile", timeToWork.quartiles.map { String($0.upper) } ?? "")
        func activity(_ table: String, _ row: ActivityRow) {
            if let date = row.date { add(table, row.key, "date", date.description) }
            if let sector = row.sector { add(table, row.key, "sector", sector) }
            if !row.partners.isEmpty { add(table, row.key, table == "partners" ? "name" : "partners", row.partners.joined(separator: "|")) }
            add(table, row.key, "seats", String(row.seats))
            add(table, row.key, "taken", display(row.taken))
            add(table, row.key, "fill", Self.decimal(row.fill) ?? "")
            add(table, row.key, "invited", display(row.invited))
            add(table, row.key, "answered", display(row.answered))
            add(table, row.key, "answer_rate", Self.decimal(row.answerRate) ?? "")
            add(table, row.key, "attended", display(row.attended))
            add(table, row.key, "no_shows", display(row.noShows))
            add(table, row.key, "no_show_rate", Self.decimal(row.noShowRate) ?? "")
        }
        for row in sessions { activity("sessions", row) }
        activity("sessions", sessionTotal)
        for row in partners { activity("partners", row) }
        return lines.map { $0.map(Self.csvField).joined(separator: ",") + "\r\n" }.joined()
    }

    /// A field quoted when it holds a delimiter, quote or line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else { return text }
        return "\"" + text.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}
