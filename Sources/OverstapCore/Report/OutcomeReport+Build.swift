extension OutcomeReport {
    /// Computes the report for a period (and a worker region, when given) from plain inputs, with
    /// every count from 1 to `minCell - 1` suppressed together with the cells that would reveal it.
    public static func build(_ input: ReportInput, period: ReportPeriod, region: String?, minCell: Int) -> OutcomeReport {
        var builder = Builder(input: input, period: period, region: region)
        return builder.report(minCell: minCell)
    }

    /// How far one enrollment got: 1 placed, 2 invited, 3 answered, 4 accepted, 5 attended.
    static func level(_ enrollment: ReportInput.Enrollment) -> Int {
        let state = enrollment.state
        if state == .attended { return 5 }
        if enrollment.wasAccepted || state == .accepted { return 4 }
        if enrollment.wasAnswered || [EnrollmentState.accepted, .tentative, .declined].contains(state) { return 3 }
        if enrollment.wasInvited || ![EnrollmentState.selected, .cancelled].contains(state) { return 2 }
        return 1
    }

    /// The last day on which work still counts for a first session on `first`.
    static func windowEnd(after first: LocalDate) -> LocalDate {
        if let end = first.adding(months: foundWorkWindowMonths) { return end }
        let start = LocalDate(year: first.year, month: first.month, day: 1).adding(months: foundWorkWindowMonths)!
        return LocalDate(year: start.year, month: start.month, day: LocalDate.daysIn(month: start.month, year: start.year))
    }

    /// Quartiles by nearest rank: the value at rank ⌈p·n⌉ of the sorted list.
    static func quartiles(_ values: [Int]) -> Quartiles? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func rank(_ quarters: Int) -> Int { sorted[max(0, (quarters * sorted.count + 3) / 4 - 1)] }
        return Quartiles(lower: rank(1), median: rank(2), upper: rank(3))
    }
}

/// Counts the report's cells, links them and applies the suppression.
private struct Builder {
    let input: ReportInput
    let period: ReportPeriod
    let region: String?
    var cells = CellSuppression()

    init(input: ReportInput, period: ReportPeriod, region: String?) {
        self.input = input
        self.period = period
        self.region = region
    }

    /// Cell indices of one activity row: the five published counts and two hidden differences.
    struct RowCells {
        var taken = 0, invited = 0, answered = 0, attended = 0, noShows = 0, unanswered = 0, undecided = 0
        var all: [Int] { [taken, invited, answered, attended, noShows, unanswered, undecided] }
    }

    /// Counts of one activity row before suppression.
    struct RowCounts {
        var taken = 0, invited = 0, answered = 0, attended = 0, noShows = 0
        var values: [Int] { [taken, invited, answered, attended, noShows, invited - answered, taken - attended - noShows] }

        static func + (lhs: RowCounts, rhs: RowCounts) -> RowCounts {
            RowCounts(
                taken: lhs.taken + rhs.taken, invited: lhs.invited + rhs.invited, answered: lhs.answered + rhs.answered,
                attended: lhs.attended + rhs.attended, noShows: lhs.noShows + rhs.noShows)
        }
    }

    /// What the people of the period reached, before suppression.
    struct PeopleCounts {
        /// People per funnel step.
        var reached = [Int](repeating: 0, count: OutcomeReport.Stage.allCases.count)
        /// Found work: source sector → target sector → people.
        var flows: [String: [String: Int]] = [:]
        var inSessionSector = 0
        /// Days from first session to work, per person who found work.
        var days: [Int] = []
    }

    /// Counts the funnel, the flows and the days to work of the people whose first session (or,
    /// never placed, whose import) falls in the period.
    func countPeople(_ persons: [ReportInput.Person], sessionsByID: [Int64: ReportInput.Session]) -> PeopleCounts {
        var enrollmentsOf: [Int64: [ReportInput.Enrollment]] = [:]
        for enrollment in input.enrollments {
            guard let session = sessionsByID[enrollment.sessionID], !session.cancelled else { continue }
            enrollmentsOf[enrollment.workerID, default: []].append(enrollment)
        }
        var workOf: [Int64: [Outcome]] = [:]
        for recorded in input.outcomes where recorded.outcome.result == .foundWork {
            workOf[recorded.workerID, default: []].append(recorded.outcome)
        }
        var counts = PeopleCounts()
        for person in persons {
            let rows = enrollmentsOf[person.id] ?? []
            let first = rows.compactMap { sessionsByID[$0.sessionID]?.startDate }.min()
            guard period.contains(first ?? person.importedOn) else { continue }
            var level = rows.map(OutcomeReport.level).max() ?? 0
            if level == 5, let first {
                let end = OutcomeReport.windowEnd(after: first)
                let work = (workOf[person.id] ?? []).filter { first <= $0.date && $0.date <= end }
                    .min { ($0.date, $0.sector ?? "") < ($1.date, $1.sector ?? "") }
                if let work {
                    level = 6
                    counts.flows[person.sector, default: [:]][work.sector ?? OutcomeReport.unrecordedSector, default: 0] += 1
                    counts.days.append(first.days(until: work.date))
                    let attendedSectors = rows.filter { $0.state == .attended }.compactMap { sessionsByID[$0.sessionID]?.sector }
                    if let sector = work.sector, attendedSectors.contains(sector) { counts.inSessionSector += 1 }
                }
            }
            for stage in 0...level { counts.reached[stage] += 1 }
        }
        return counts
    }

    /// The sessions whose first meeting falls in the period (with a region: in it, or with one of
    /// its workers), by date, and per session the counts of the population's enrollments.
    func countSessions(population: Set<Int64>) -> (sessions: [ReportInput.Session], counts: [Int64: RowCounts]) {
        let enrolledSessions = Set(input.enrollments.filter { population.contains($0.workerID) }.map(\.sessionID))
        let sessions = input.sessions
            .filter { !$0.cancelled && period.contains($0.startDate) && (region == nil || $0.region == region || enrolledSessions.contains($0.id)) }
            .sorted { ($0.startDate, $0.id) < ($1.startDate, $1.id) }
        var counts: [Int64: RowCounts] = [:]
        for enrollment in input.enrollments where population.contains(enrollment.workerID) {
            var row = counts[enrollment.sessionID] ?? RowCounts()
            let level = OutcomeReport.level(enrollment)
            if enrollment.state.holdsSeat { row.taken += 1 }
            if level >= 2 { row.invited += 1 }
            if level >= 3 { row.answered += 1 }
            if enrollment.state == .attended { row.attended += 1 }
            if enrollment.state == .noShow { row.noShows += 1 }
            counts[enrollment.sessionID] = row
        }
        return (sessions, counts)
    }

    mutating func report(minCell: Int) -> OutcomeReport {
        let sessionsByID = Dictionary(input.sessions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let persons = input.persons.filter { region == nil || $0.region == region }
        let people = countPeople(persons, sessionsByID: sessionsByID)
        let reached = people.reached
        let flowCounts = people.flows
        let (sessions, counts) = countSessions(population: Set(persons.map(\.id)))

        // Funnel: each step and the hidden difference to the next.
        let funnelCells = reached.map { cells.cell($0) }
        for step in 0..<(funnelCells.count - 1) {
            let dropped = cells.cell(reached[step] - reached[step + 1], published: false)
            cells.relate(total: funnelCells[step], parts: [funnelCells[step + 1], dropped])
        }
        let foundWork = funnelCells[funnelCells.count - 1]

        // Sector flows: source × target, their totals, and the found-work total shared with the funnel.
        let order = Dictionary(input.sectorOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func sorted(_ codes: Set<String>) -> [String] {
            codes.sorted { (order[$0] ?? Int.max, $0) < (order[$1] ?? Int.max, $1) }
        }
        let sources = sorted(Set(flowCounts.keys))
        let targets = sorted(Set(flowCounts.values.flatMap(\.keys)))
        var flowCells: [[Int]] = sources.map { _ in targets.map { _ in 0 } }
        for (row, source) in sources.enumerated() {
            for (column, target) in targets.enumerated() { flowCells[row][column] = cells.cell(flowCounts[source]?[target] ?? 0) }
        }
        var sourceTotals: [Int] = []
        for source in sources { sourceTotals.append(cells.cell(targets.reduce(0) { $0 + (flowCounts[source]?[$1] ?? 0) })) }
        var targetTotals: [Int] = []
        for target in targets { targetTotals.append(cells.cell(sources.reduce(0) { $0 + (flowCounts[$1]?[target] ?? 0) })) }
        for row in sources.indices { cells.relate(total: sourceTotals[row], parts: flowCells[row]) }
        for column in targets.indices { cells.relate(total: targetTotals[column], parts: flowCells.map { $0[column] }) }
        if !sources.isEmpty {
            cells.relate(total: foundWork, parts: sourceTotals)
            cells.relate(total: foundWork, parts: targetTotals)
        }
        let sameSector = cells.cell(people.inSessionSector)
        cells.relate(total: foundWork, parts: [sameSector, cells.cell(reached[reached.count - 1] - people.inSessionSector, published: false)])

        // Per session, per partner and in total, each column summing the sessions.
        var sessionCells: [RowCells] = []
        for session in sessions { sessionCells.append(rowCells(counts[session.id] ?? RowCounts())) }
        let totalCells = rowCells(sessions.reduce(RowCounts()) { $0 + (counts[$1.id] ?? RowCounts()) })
        relateColumns(total: totalCells, parts: sessionCells)
        let partnerSlugs = Set(sessions.flatMap(\.partners)).sorted()
        var partnerRows: [(slug: String, cells: RowCells, seats: Int)] = []
        for slug in partnerSlugs {
            let members = sessions.indices.filter { sessions[$0].partners.contains(slug) }
            let partner = rowCells(members.reduce(RowCounts()) { $0 + (counts[sessions[$1].id] ?? RowCounts()) })
            relateColumns(total: partner, parts: members.map { sessionCells[$0] })
            partnerRows.append((slug, partner, members.reduce(0) { $0 + sessions[$1].capacity }))
        }

        let final = cells
        let status = final.protect(minCell: minCell)
        func figure(_ cell: Int) -> OutcomeReport.Figure { OutcomeReport.Figure(value: final.value(cell), status: status[cell]) }
        func row(_ key: String, _ row: RowCells, seats: Int, date: LocalDate?, sector: String?, partners: [String]) -> OutcomeReport.ActivityRow {
            OutcomeReport.ActivityRow(
                key: key, date: date, sector: sector, partners: partners, seats: seats, taken: figure(row.taken),
                invited: figure(row.invited), answered: figure(row.answered), attended: figure(row.attended), noShows: figure(row.noShows))
        }
        func name(_ slug: String) -> String { input.partnerNames[slug] ?? slug }

        let found = figure(foundWork)
        let quartiles = found.status == .shown && found.value >= minCell ? OutcomeReport.quartiles(people.days) : nil
        return OutcomeReport(
            period: period, region: region, minCell: minCell,
            funnel: zip(OutcomeReport.Stage.allCases, funnelCells).map { OutcomeReport.FunnelStep(stage: $0, figure: figure($1)) },
            flows: OutcomeReport.Flows(
                sources: sources, targets: targets, cells: flowCells.map { $0.map(figure) }, sourceTotals: sourceTotals.map(figure),
                targetTotals: targetTotals.map(figure), total: found, inSessionSector: figure(sameSector)),
            sessions: zip(sessions, sessionCells).map { session, cells in
                row(String(session.id), cells, seats: session.capacity, date: session.startDate, sector: session.sector, partners: session.partners.map(name))
            },
            partners: partnerRows.map { row($0.slug, $0.cells, seats: $0.seats, date: nil, sector: nil, partners: [name($0.slug)]) },
            sessionTotal: row("total", totalCells, seats: sessions.reduce(0) { $0 + $1.capacity }, date: nil, sector: nil, partners: []),
            timeToWork: OutcomeReport.TimeToWork(people: found, quartiles: quartiles))
    }

    /// Adds the cells of one activity row, with its two hidden differences and their relations.
    mutating func rowCells(_ counts: RowCounts) -> RowCells {
        let values = counts.values
        var row = RowCells()
        row.taken = cells.cell(values[0])
        row.invited = cells.cell(values[1])
        row.answered = cells.cell(values[2])
        row.attended = cells.cell(values[3])
        row.noShows = cells.cell(values[4])
        row.unanswered = cells.cell(values[5], published: false)
        row.undecided = cells.cell(values[6], published: false)
        cells.relate(total: row.invited, parts: [row.answered, row.unanswered])
        cells.relate(total: row.taken, parts: [row.attended, row.noShows, row.undecided])
        return row
    }

    /// Records that every column of `total` sums the same column of `parts`.
    mutating func relateColumns(total: RowCells, parts: [RowCells]) {
        for (column, cell) in total.all.enumerated() {
            cells.relate(total: cell, parts: parts.map { $0.all[column] })
        }
    }
}
