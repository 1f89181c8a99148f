import Foundation
import OverstapTestSupport
import Testing

/// `overstap worker outcome` and the parts of `overstap report` that need no sessions.
struct OutcomeCommandTests {
    let cli = CLI()

    init() throws {
        let csv = [
            WorkerFile.header, WorkerFile.row("anouk@example.nl", name: "Anouk de Vries"), WorkerFile.row("daan@example.nl", name: "Daan Bakker"),
        ]
        expectSuccess(try cli.run(["worker", "import", try cli.directory.write("workers.csv", csv.joined(separator: "\n"))]))
    }

    func history(_ email: String) throws -> [[String: Any]] {
        let result = try cli.run(["worker", "outcome", email, "--json"])
        expectSuccess(result)
        return try #require(try result.json() as? [[String: Any]])
    }

    @Test func outcomesAreAddedAndTheHistoryKept() throws {
        expectSuccess(try cli.run(["worker", "outcome", "anouk@example.nl", "--result", "in_training", "--sector", "zorg", "--date", "2027-01-04"]))
        let found = try cli.run(["worker", "outcome", "ANOUK@example.nl", "--result", "werk_gevonden", "--sector", "Zorg"])
        expectSuccess(found)
        #expect(found.stdout == "recorded found_work in zorg on 2027-01-10 for ANOUK@example.nl\n")

        let rows = try history("anouk@example.nl")
        #expect(rows.map { $0["result"] as? String } == ["in_training", "found_work"])
        #expect(rows.map { $0["date"] as? String } == ["2027-01-04", "2027-01-10"])
        let text = try cli.run(["worker", "outcome", "anouk@example.nl"])
        expectSuccess(text)
        #expect(text.stdout.contains("2027-01-04  in_training  zorg"))
    }

    @Test func aWrongOutcomeIsRefusedNamingTheOption() throws {
        expectRefused(
            try cli.run(["worker", "outcome", "anouk@example.nl", "--result", "hired"]),
            mentioning: ["--result: 'hired' is not a result", "found_work", "werk_gevonden"])
        expectRefused(
            try cli.run(["worker", "outcome", "anouk@example.nl", "--result", "found_work", "--sector", "mijnbouw"]),
            mentioning: ["--sector: unknown sector 'mijnbouw'", "zorg"])
        expectRefused(
            try cli.run(["worker", "outcome", "anouk@example.nl", "--result", "found_work", "--date", "2027-02-01"]),
            mentioning: ["--date: 2027-02-01 is in the future"])
        expectRefused(try cli.run(["worker", "outcome", "niemand@example.nl", "--result", "stopped"]), mentioning: ["no worker 'niemand@example.nl'"])
        expectRefused(try cli.run(["worker", "outcome", "anouk@example.nl", "--sector", "zorg"]), status: 2, mentioning: ["--sector and --date need --result"])
        #expect(try history("anouk@example.nl").isEmpty)
    }

    @Test func aDutchFollowUpListIsImported() throws {
        let file = try cli.directory.write("opvolging.csv", """
            e-mail;uitkomst;sector;datum
            anouk@example.nl;in_opleiding;zorg;2026-12-01
            anouk@example.nl;werk_gevonden;zorg;2027-01-08
            daan@example.nl;zoekend;;

            """)
        let result = try cli.run(["worker", "outcome", "--import", file])
        expectSuccess(result)
        #expect(result.stdout == "recorded 3 outcomes for 2 people\n")
        #expect(try history("daan@example.nl").map { $0["date"] as? String } == ["2027-01-10"])
    }

    @Test func aListWithOneBadRowStoresNothingAndNamesEveryProblem() throws {
        let file = try cli.directory.write("follow-up.csv", """
            email,result,sector,date
            anouk@example.nl,found_work,zorg,2027-01-02
            onbekend@example.nl,stopped,,2027-01-02
            daan@example.nl,found_work,mijnbouw,2027-01-02

            """)
        expectRefused(
            try cli.run(["worker", "outcome", "--import", file]),
            mentioning: ["\(file):4: sector: unknown sector 'mijnbouw'"])
        let unknown = try cli.directory.write("unknown.csv", "email,result\nanouk@example.nl,stopped\nonbekend@example.nl,stopped\n")
        expectRefused(
            try cli.run(["worker", "outcome", "--import", unknown]),
            mentioning: ["\(unknown):3: email: no worker 'onbekend@example.nl'", "overstap worker import"])
        #expect(try history("anouk@example.nl").isEmpty, "all rows or none")
    }

    @Test func aRemovedWorkerLeavesNoOutcomeBehind() throws {
        expectSuccess(try cli.run(["worker", "outcome", "anouk@example.nl", "--result", "found_work", "--sector", "zorg"]))
        expectSuccess(try cli.run(["worker", "remove", "anouk@example.nl"]))
        let dump = try cli.run(["report", "--period", "2027", "--format", "csv"])
        expectSuccess(dump)
        #expect(try DatabaseShell.rows("SELECT COUNT(*) FROM outcome", in: cli.database) == ["0"])
        #expect(dump.stdout.contains("funnel,imported,people,<5"), "one person is left")
    }

    @Test func onlyFixedPeriodsAreOffered() throws {
        expectRefused(
            try cli.run(["report", "--period", "2027-01-01..2027-03-31"]),
            mentioning: ["--period: '2027-01-01..2027-03-31' is not a year, quarter or month", "2027-Q1"])
        expectRefused(try cli.run(["report", "--region", "atlantis"]), mentioning: ["--region: unknown region 'atlantis'"])
        expectRefused(try cli.run(["report", "--format", "pdf"]), status: 2, mentioning: ["pdf"])
    }

    @Test func theHelpExplainsTheCommands() throws {
        let report = try cli.run(["report", "--help"])
        #expect(report.status == 0)
        for text in ["--period", "2027-Q1", "report.min_cell", "--format", "html", "--output", "docs/report.md"] {
            #expect(report.stdout.contains(text), "report --help lacks \(text)")
        }
        let outcome = try cli.run(["worker", "outcome", "--help"])
        #expect(outcome.status == 0)
        for text in ["--result", "found_work", "--import", "uitkomst", "no free-text"] {
            #expect(outcome.stdout.contains(text), "worker outcome --help lacks \(text)")
        }
    }

    @Test func aReportIsWrittenToAFile() throws {
        let path = cli.directory.file("rapport.html")
        let result = try cli.run(["report", "--period", "2027-Q1", "--format", "html", "--output", path])
        expectSuccess(result)
        #expect(result.stdout == "wrote the html report for 2027-Q1 to \(path)\n")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("generated at 2027-01-10T09:00:00+01:00"))
        expectRefused(
            try cli.run(["report", "--output", cli.directory.file("no/such/folder/r.txt")]), mentioning: ["--output: cannot write"])
    }

    @Test func theThresholdIsASetting() throws {
        let ten = try cli.run(["report", "--period", "2027", "--format", "csv"], env: ["OVERSTAP_REPORT_MIN_CELL": "10"])
        expectSuccess(ten)
        #expect(ten.stdout.contains("funnel,imported,people,<10\r\n"))
        #expect(ten.stdout.contains("report,min_cell,value,10\r\n"))
        expectRefused(
            try cli.run(["report"], env: ["OVERSTAP_REPORT_MIN_CELL": "1"]),
            mentioning: ["report.min_cell: '1' is not a whole number of at least 2"])
    }
}
