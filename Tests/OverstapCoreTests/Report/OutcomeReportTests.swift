import TestRandom
import Testing

@testable import OverstapCore

/// The report model over generated regions: known counts, and no small count recoverable from
/// anything the report prints, across all its tables.
struct OutcomeReportTests {
    static let sectors = ["zorg", "techniek", "logistiek", "horeca", "detailhandel"]
    static let q1 = ReportPeriod("2027-Q1")!

    /// A random region: people from two regions, sessions with one or two of three partners,
    /// enrollments in every state, and outcomes.
    static func region(seed: UInt64) -> ReportInput {
        var random = SeededRandom(seed: seed)
        let day0 = LocalDate(year: 2026, month: 12, day: 1)
        let sessions = (1...Int64(1 + random.next(9))).map { id in
            ReportInput.Session(
                id: id, sector: sectors[random.next(3)], region: random.next(4) == 0 ? "amsterdam" : "midden-utrecht",
                capacity: 5 + random.next(20), startDate: day0.adding(days: random.next(150)), cancelled: random.next(10) == 0,
                partners: random.next(3) == 0 ? ["roc", "hva"] : [["roc", "hva", "aventus"][random.next(3)]])
        }
        var persons: [ReportInput.Person] = []
        var enrollments: [ReportInput.Enrollment] = []
        var outcomes: [ReportInput.PersonOutcome] = []
        for id in 1...Int64(random.next(80) + 1) {
            persons.append(ReportInput.Person(
                id: id, sector: sectors[3 + random.next(2)], region: random.next(5) == 0 ? "amsterdam" : "midden-utrecht",
                importedOn: day0.adding(days: random.next(120))))
            for session in sessions where random.next(3) == 0 {
                let state = EnrollmentState.allCases[random.next(EnrollmentState.allCases.count)]
                enrollments.append(ReportInput.Enrollment(
                    sessionID: session.id, workerID: id, state: state, wasInvited: state != .selected && random.next(2) == 0,
                    wasAnswered: [.accepted, .declined, .attended, .cancelled].contains(state) && random.next(2) == 0,
                    wasAccepted: [.accepted, .attended, .cancelled].contains(state) && random.next(2) == 0))
                if state == .attended && random.next(2) == 0 {
                    let sector: String? = random.next(4) == 0 ? nil : sectors[random.next(3)]
                    outcomes.append(ReportInput.PersonOutcome(
                        workerID: id, outcome: Outcome(result: .foundWork, sector: sector, date: session.startDate.adding(days: random.next(240)))))
                }
            }
        }
        return ReportInput(
            persons: persons, sessions: sessions, enrollments: enrollments, outcomes: outcomes,
            partnerNames: ["roc": "ROC Midden Nederland", "hva": "Hogeschool", "aventus": "Aventus"], sectorOrder: sectors)
    }

    /// Every sum a reader can form from the printed report, with the report's hidden differences.
    static func attack(_ report: OutcomeReport) -> DisclosureAttack {
        var attack = DisclosureAttack()
        func cell(_ figure: OutcomeReport.Figure) -> Int { attack.cell(figure.value, printed: figure.status == .shown) }
        func hidden(_ value: Int) -> Int { attack.cell(value, printed: false) }
        let funnel = report.funnel.map { cell($0.figure) }
        for step in 0..<(funnel.count - 1) {
            let difference = hidden(report.funnel[step].figure.value - report.funnel[step + 1].figure.value)
            attack.sums.append((funnel[step], [funnel[step + 1], difference]))
        }
        let total = funnel[funnel.count - 1]
        let flows = report.flows
        let interior = flows.cells.map { $0.map(cell) }
        let sourceTotals = flows.sourceTotals.map(cell)
        let targetTotals = flows.targetTotals.map(cell)
        for row in interior.indices { attack.sums.append((sourceTotals[row], interior[row])) }
        for column in targetTotals.indices { attack.sums.append((targetTotals[column], interior.map { $0[column] })) }
        if !interior.isEmpty {
            attack.sums.append((total, sourceTotals))
            attack.sums.append((total, targetTotals))
        }
        attack.sums.append((total, [cell(flows.inSessionSector), hidden(flows.total.value - flows.inSessionSector.value)]))
        func row(_ row: OutcomeReport.ActivityRow) -> [Int] {
            let cells = [row.taken, row.invited, row.answered, row.attended, row.noShows].map(cell)
            let unanswered = hidden(row.invited.value - row.answered.value)
            let undecided = hidden(row.taken.value - row.attended.value - row.noShows.value)
            attack.sums.append((cells[1], [cells[2], unanswered]))
            attack.sums.append((cells[0], [cells[3], cells[4], undecided]))
            return cells + [unanswered, undecided]
        }
        let sessions = report.sessions.map(row)
        let totals = row(report.sessionTotal)
        for column in totals.indices { attack.sums.append((totals[column], sessions.map { $0[column] })) }
        for partner in report.partners {
            let cells = row(partner)
            let members = report.sessions.indices.filter { report.sessions[$0].partners.contains(partner.partners[0]) }
            for column in cells.indices { attack.sums.append((cells[column], members.map { sessions[$0][column] })) }
        }
        return attack
    }

    @Test(arguments: 0..<150)
    func noSmallCountOfAGeneratedRegionCanBeRecovered(seed: Int) {
        let input = Self.region(seed: UInt64(seed))
        for region in [nil, "midden-utrecht"] {
            let report = OutcomeReport.build(input, period: Self.q1, region: region, minCell: 5)
            let attack = Self.attack(report)
            #expect(attack.recoveredSmallCells(minCell: 5).isEmpty, "seed \(seed) region \(region ?? "all")")
            for index in attack.values.indices where attack.printed[index] {
                #expect(attack.values[index] == 0 || attack.values[index] >= 5, "a small count is printed (seed \(seed))")
            }
            #expect(report.flows.total == report.funnel.last?.figure, "found work is one cell in the funnel and the flows")
        }
    }

    @Test func theSameInputGivesTheSameBytesInEveryFormat() {
        let input = Self.region(seed: 42)
        let first = OutcomeReport.build(input, period: Self.q1, region: nil, minCell: 5)
        let second = OutcomeReport.build(input, period: Self.q1, region: nil, minCell: 5)
        let time = "2027-04-01T09:00:00+02:00"
        #expect(first.html(generatedAt: time) == second.html(generatedAt: time))
        #expect(first.json(generatedAt: time) == second.json(generatedAt: time))
        #expect(first.csv() == second.csv())
        #expect(first.text(generatedAt: time) == second.text(generatedAt: time))
    }

    /// One session, one partner: 12 people invited, 11 answered, 10 accepted, 9 attended, 1 no-show.
    static func oneSession() -> ReportInput {
        let date = LocalDate(year: 2027, month: 2, day: 2)
        var enrollments: [ReportInput.Enrollment] = []
        var outcomes: [ReportInput.PersonOutcome] = []
        for id in Int64(1)...12 {
            let state: EnrollmentState = id <= 9 ? .attended : id == 10 ? .noShow : id == 11 ? .declined : .invited
            enrollments.append(ReportInput.Enrollment(
                sessionID: 1, workerID: id, state: state, wasInvited: true, wasAnswered: id <= 11, wasAccepted: id <= 10))
            if id <= 7 {
                outcomes.append(ReportInput.PersonOutcome(
                    workerID: id, outcome: Outcome(result: .foundWork, sector: "zorg", date: date.adding(days: Int(id) * 10))))
            }
        }
        // Work before the session, or more than six months after it, does not count.
        outcomes.append(ReportInput.PersonOutcome(workerID: 8, outcome: Outcome(result: .foundWork, sector: "zorg", date: date.adding(days: -1))))
        outcomes.append(ReportInput.PersonOutcome(workerID: 9, outcome: Outcome(result: .foundWork, sector: "zorg", date: LocalDate(year: 2027, month: 8, day: 3))))
        let persons = (Int64(1)...14).map {
            ReportInput.Person(id: $0, sector: "horeca", region: "midden-utrecht", importedOn: LocalDate(year: 2027, month: 1, day: 5))
        }
        return ReportInput(
            persons: persons,
            sessions: [ReportInput.Session(id: 1, sector: "zorg", region: "midden-utrecht", capacity: 20, startDate: date, cancelled: false, partners: ["roc"])],
            enrollments: enrollments, outcomes: outcomes, partnerNames: ["roc": "ROC"], sectorOrder: sectors)
    }

    @Test func theFunnelCountsEachStepAndHidesWhatASmallDifferenceWouldReveal() {
        let report = OutcomeReport.build(Self.oneSession(), period: Self.q1, region: nil, minCell: 5)
        #expect(report.funnel.map(\.figure.value) == [14, 12, 12, 11, 10, 9, 7])
        // Never placed 2, unanswered 1, declined 1, no-show 1, attended without work 2: each small
        // difference hides a neighbouring step. Found work stays printed: the flows give it anyway.
        #expect(report.funnel.map(\.figure.status) == [.shown, .complementary, .shown, .complementary, .complementary, .complementary, .shown])
        #expect(report.timeToWork.quartiles == OutcomeReport.Quartiles(lower: 20, median: 40, upper: 60))
        #expect(report.flows.inSessionSectorShare == 1)
        let session = report.sessions[0]
        #expect(session.noShows.status == .small)
        #expect(session.noShowRate == nil, "a rate needs every count it is made of")
        #expect(report.partners[0].noShows.status == .small, "the partner row equals the session row, so it is hidden alike")
    }

    @Test(arguments: [("2027", "2027-01-01", "2027-12-31"), ("2027-Q2", "2027-04-01", "2027-06-30"), ("2028-02", "2028-02-01", "2028-02-29")])
    func periodsAreWholeYearsQuartersOrMonths(text: String, first: String, last: String) throws {
        let period = try #require(ReportPeriod(text))
        #expect(period.first.description == first)
        #expect(period.last.description == last)
    }

    @Test(arguments: ["2027-01-01..2027-02-01", "2027-Q5", "2027-13", "27", "2027-W05", ""])
    func freeRangesAndOtherPeriodsAreRefused(text: String) {
        #expect(ReportPeriod(text) == nil)
    }
}
