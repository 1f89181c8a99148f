extension OutcomeReport {
    /// The report as one self-contained HTML page: inline style, charts as inline SVG, no
    /// scripts, fonts, images or links to anything outside it; readable on a phone and in print.
    public func html(generatedAt: String) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Overstap report \(HTMLText.escape(period.label))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <main>
            <h1>Overstap report \(HTMLText.escape(period.label))</h1>
            <p class="meta">\(period.first) to \(period.last) · \(HTMLText.escape(regionLabel)) · generated at \(HTMLText.escape(generatedAt))</p>
            <p class="legend">\(HTMLText.escape(legend))</p>

            """
        out += "<section>\n<h2>Funnel</h2>\n<p>People whose first session falls in the period.</p>\n"
        out += barChart(
            title: "Funnel: people per step",
            bars: funnel.map { (label: String($0.stage.rawValue.map { $0 == "_" ? " " : $0 }), figure: $0.figure) },
            scale: funnel.first?.figure.shown ?? 0)
        out += Self.htmlTable(
            ["Step", "People", "Meaning"], funnel.map { [$0.stage.rawValue, display($0.figure), Self.stageMeaning[$0.stage] ?? ""] },
            numeric: [1])
        out += "</section>\n"

        out += "<section>\n<h2>Sector flows</h2>\n<p>People who found work, from the sector they came from to the sector of the work.</p>\n"
        if flows.sources.isEmpty {
            out += "<p>Nobody found work yet.</p>\n"
        } else {
            var bars: [(label: String, figure: Figure)] = []
            for (row, source) in flows.sources.enumerated() {
                for (column, target) in flows.targets.enumerated() where flows.cells[row][column].value > 0 {
                    bars.append(("\(source) → \(target)", flows.cells[row][column]))
                }
            }
            out += barChart(title: "Sector flows: people per flow", bars: bars, scale: bars.compactMap(\.figure.shown).max() ?? 0)
            var rows = flows.sources.indices.map { [flows.sources[$0]] + flows.cells[$0].map(display) + [display(flows.sourceTotals[$0])] }
            rows.append(["total"] + flows.targetTotals.map(display) + [display(flows.total)])
            out += Self.htmlTable(["From \\ to"] + flows.targets + ["Total"], rows, numeric: Set(1...(flows.targets.count + 1)))
        }
        out += "<p>Found work in the sector of a session they attended: \(HTMLText.escape(display(flows.inSessionSector))) "
            + "(\(Self.percent(flows.inSessionSectorShare)) of \(HTMLText.escape(display(flows.total)))).</p>\n"
        out += "</section>\n"

        out += "<section>\n<h2>Time from first session to work</h2>\n"
        if let quartiles = timeToWork.quartiles {
            out += "<p>\(HTMLText.escape(display(timeToWork.people))) people: lower quartile \(quartiles.lower) days, "
                + "median \(quartiles.median) days, upper quartile \(quartiles.upper) days.</p>\n"
        } else {
            out += "<p>Not shown: fewer than \(minCell) people found work (\(HTMLText.escape(display(timeToWork.people)))).</p>\n"
        }
        out += "</section>\n"

        let headers = ["Seats", "Taken", "Fill", "Invited", "Answered", "Answer rate", "Attended", "No-shows", "No-show rate"]
        func counts(_ row: ActivityRow) -> [String] {
            [String(row.seats), display(row.taken), Self.percent(row.fill), display(row.invited), display(row.answered),
             Self.percent(row.answerRate), display(row.attended), display(row.noShows), Self.percent(row.noShowRate)]
        }
        out += "<section>\n<h2>Sessions</h2>\n<p>Sessions whose first meeting falls in the period.</p>\n"
        out += fillChart()
        var sessionRows = sessions.map { [$0.key, $0.date?.description ?? "", $0.sector ?? "", $0.partners.joined(separator: ", ")] + counts($0) }
        sessionRows.append(["total", "", "", ""] + counts(sessionTotal))
        out += Self.htmlTable(["Session", "Date", "Sector", "Partners"] + headers, sessionRows, numeric: Set(4...12))
        out += "</section>\n"

        out += "<section>\n<h2>Partners</h2>\n<p>The same sessions, per education partner.</p>\n"
        out += partners.isEmpty ? "<p>No sessions.</p>\n"
            : Self.htmlTable(["Partner", "Name"] + headers, partners.map { [$0.key, $0.partners.first ?? ""] + counts($0) }, numeric: Set(2...10))
        out += "</section>\n</main>\n</body>\n</html>\n"
        return out
    }

    /// Horizontal bars scaled to `scale`, each under its label; a hidden count gets a dashed box
    /// and its `<5` or `x` instead of a bar.
    private func barChart(title: String, bars: [(label: String, figure: Figure)], scale: Int) -> String {
        var svg = Self.chartStart(title: title, rows: bars.count)
        for (index, bar) in bars.enumerated() {
            let y = index * Self.chartRow
            svg += "<text x=\"0\" y=\"\(y + 16)\" class=\"label\">\(HTMLText.escape(bar.label))</text>\n"
            let width = bar.figure.shown.map { scale > 0 ? max($0 > 0 ? 2 : 0, $0 * Self.chartBar / scale) : 0 } ?? 0
            let shape = bar.figure.shown == nil ? "width=\"24\" height=\"18\" class=\"hidden\"" : "width=\"\(width)\" height=\"18\" class=\"bar\""
            svg += "<rect x=\"0\" y=\"\(y + 22)\" \(shape)/>\n"
            svg += "<text x=\"\(max(width, 24) + 6)\" y=\"\(y + 36)\" class=\"value\">\(HTMLText.escape(display(bar.figure)))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Seats taken per seat offered, one bar per session on a 0–100% track.
    private func fillChart() -> String {
        guard !sessions.isEmpty else { return "<p>No sessions.</p>\n" }
        var svg = Self.chartStart(title: "Fill per session", rows: sessions.count)
        for (index, row) in sessions.enumerated() {
            let y = index * Self.chartRow
            let label = "#\(row.key) \(row.date?.description ?? "") \(row.sector ?? "")"
            svg += "<text x=\"0\" y=\"\(y + 16)\" class=\"label\">\(HTMLText.escape(label))</text>\n"
            svg += "<rect x=\"0\" y=\"\(y + 22)\" width=\"\(Self.chartBar)\" height=\"18\" class=\"track\"/>\n"
            if let fill = row.fill {
                svg += "<rect x=\"0\" y=\"\(y + 22)\" width=\"\(Int((min(fill, 1) * Double(Self.chartBar)).rounded()))\" height=\"18\" class=\"bar\"/>\n"
            }
            let value = row.fill == nil ? display(row.taken) : Self.percent(row.fill)
            svg += "<text x=\"\(Self.chartBar + 6)\" y=\"\(y + 36)\" class=\"value\">\(HTMLText.escape(value))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Height of one labelled bar, and the longest bar, in the charts' own units.
    private static let chartRow = 46
    private static let chartBar = 300

    private static func chartStart(title: String, rows: Int) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 380 \(max(1, rows) * chartRow)\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\">\n"
            + "<title>\(HTMLText.escape(title))</title>\n"
    }

    /// A table inside a box that scrolls sideways on a narrow screen, so the page itself never does.
    private static func htmlTable(_ headers: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        var out = "<div class=\"table\"><table>\n<thead><tr>"
        for (column, header) in headers.enumerated() { out += "<th\(numeric.contains(column) ? " class=\"n\"" : "")>\(HTMLText.escape(header))</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for (column, cell) in row.enumerated() { out += "<td\(numeric.contains(column) ? " class=\"n\"" : "")>\(HTMLText.escape(cell))</td>" }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }


    private static let style = """
        *{box-sizing:border-box}
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;line-height:1.45}
        main{max-width:60rem;margin:0 auto;padding:1rem}
        h1{font-size:1.5rem;margin:0 0 .25rem}
        h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccc}
        .meta,.legend{color:#444;font-size:.9rem}
        section{break-inside:avoid-page}
        .chart{display:block;width:100%;height:auto;max-width:30rem;margin:.5rem 0}
        .chart text{font-size:15px;fill:#1a1a1a}
        .chart .bar{fill:#2f6f9f}
        .chart .track{fill:#e6eef4}
        .chart .hidden{fill:none;stroke:#888;stroke-dasharray:3 2}
        .table{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
        th,td{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;white-space:nowrap}
        th{background:#f3f3f3}
        .n{text-align:right;font-variant-numeric:tabular-nums}
        @media print{main{max-width:none;padding:0}.table{overflow:visible}table{font-size:8pt}
        .chart .bar{fill:#555}.chart .track{fill:#eee}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """
}
