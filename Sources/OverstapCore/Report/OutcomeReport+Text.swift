extension OutcomeReport {
    /// The report as plain text for a terminal, `generatedAt` printed as given.
    public func text(generatedAt: String) -> String {
        var out = "Overstap report \(period.label) (\(period.first) to \(period.last)), \(regionLabel)\n"
        out += "generated at \(generatedAt)\n\(legend)\n\n"

        out += "FUNNEL: people whose first session falls in the period\n"
        out += Self.table(
            ["STEP", "PEOPLE", "MEANING"], funnel.map { [$0.stage.rawValue, display($0.figure), Self.stageMeaning[$0.stage] ?? ""] },
            numeric: [1])

        out += "\nSECTOR FLOWS: people who found work, by the sector they came from (rows) and of the work (columns)\n"
        if flows.sources.isEmpty {
            out += "nobody found work yet\n"
        } else {
            var rows = flows.sources.indices.map { [flows.sources[$0]] + flows.cells[$0].map(display) + [display(flows.sourceTotals[$0])] }
            rows.append(["total"] + flows.targetTotals.map(display) + [display(flows.total)])
            out += Self.table(["FROM \\ TO"] + flows.targets + ["TOTAL"], rows, numeric: Set(1...(flows.targets.count + 1)))
        }
        out += "found work in the sector of a session they attended: \(display(flows.inSessionSector)) "
            + "(\(Self.percent(flows.inSessionSectorShare)) of \(display(flows.total)))\n"

        out += "\nTIME FROM FIRST SESSION TO WORK\n"
        if let quartiles = timeToWork.quartiles {
            out += "\(display(timeToWork.people)) people: lower quartile \(quartiles.lower) days, median \(quartiles.median) days, "
                + "upper quartile \(quartiles.upper) days\n"
        } else {
            out += "not shown: fewer than \(minCell) people found work (\(display(timeToWork.people)))\n"
        }

        let headers = ["SEATS", "TAKEN", "FILL", "INVITED", "ANSWERED", "ANSWER RATE", "ATTENDED", "NO-SHOWS", "NO-SHOW RATE"]
        func counts(_ row: ActivityRow) -> [String] {
            [String(row.seats), display(row.taken), Self.percent(row.fill), display(row.invited), display(row.answered),
             Self.percent(row.answerRate), display(row.attended), display(row.noShows), Self.percent(row.noShowRate)]
        }
        out += "\nSESSIONS: sessions whose first meeting falls in the period\n"
        var sessionRows = sessions.map { [$0.key, $0.date?.description ?? "", $0.sector ?? "", $0.partners.joined(separator: ", ")] + counts($0) }
        sessionRows.append(["total", "", "", ""] + counts(sessionTotal))
        out += Self.table(["SESSION", "DATE", "SECTOR", "PARTNERS"] + headers, sessionRows, numeric: Set(4...12))

        out += "\nPARTNERS: the same sessions, per education partner\n"
        out += partners.isEmpty ? "no sessions\n"
            : Self.table(["PARTNER", "NAME"] + headers, partners.map { [$0.key, $0.partners.first ?? ""] + counts($0) }, numeric: Set(2...10))
        return out
    }

    /// Columns padded to their widest cell, numbers right-aligned, no trailing spaces.
    static func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int>) -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                line += column == 0 ? "" : "  "
                line += numeric.contains(column) ? padding + cell : cell + padding
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }.joined()
    }
}
