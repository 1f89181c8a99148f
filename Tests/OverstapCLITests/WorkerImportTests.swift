import Foundation
import OverstapTestSupport
import Testing

/// Builds worker CSV files line by line.
struct WorkerFile {
    static let header = "email,name,sector,targets,region,languages,availability,status"

    /// A valid row for the default header.
    static func row(_ email: String, name: String = "Anouk de Vries", sector: String = "horeca", availability: String = "di 18:00-21:00", status: String = "unemployed") -> String {
        "\(email),\(name),\(sector),zorg|techniek,midden-utrecht,nl,\(availability),\(status)"
    }
}

struct WorkerImportTests {
    let cli = CLI()

    /// Writes a CSV file into the working folder and imports it.
    private func importFile(_ name: String, _ contents: String, dryRun: Bool = false) throws -> (path: String, result: CLI.Result) {
        try importFile(name, bytes: Array(contents.utf8), dryRun: dryRun)
    }

    /// Writes raw bytes into the working folder and imports them.
    private func importFile(_ name: String, bytes: [UInt8], dryRun: Bool = false) throws -> (path: String, result: CLI.Result) {
        let path = try cli.directory.write(name, bytes: bytes)
        return (path, try cli.run(["worker", "import", path] + (dryRun ? ["--dry-run"] : [])))
    }

    @Test func aSemicolonFileWithAByteOrderMarkAndDutchWeekdaysIsImported() throws {
        let csv = """
            \u{FEFF}Email;Name;Sector;Targets;Region;Languages;Availability;Available_From;Available_Until;Status;Locale
            anouk@example.nl;Anouk de Vries;horeca;zorg|onderwijs;midden-utrecht;nl|en;di 18:00-21:00|za 09:00-12:30;2027-02-01;2027-06-30;unemployed;nl
            tomasz@example.nl;Tomasz Kowalski;reizen;logistiek;amersfoort;pl|en;vr 09:00-17:00;;;at_risk;en

            """
        let (_, result) = try importFile("semicolon.csv", csv)
        expectSuccess(result)
        #expect(result.stdout == "imported 2 workers: 2 new, 0 updated\n")
        let workers = try cli.workers()
        #expect(workers.compactMap { $0["email"] as? String } == ["anouk@example.nl", "tomasz@example.nl"])
        let anouk = try #require(workers.first)
        #expect(anouk["name"] as? String == "Anouk de Vries")
        #expect(anouk["sector"] as? String == "horeca")
        #expect(anouk["targets"] as? [String] == ["zorg", "onderwijs"])
        #expect(anouk["languages"] as? [String] == ["nl", "en"])
        #expect(anouk["availability"] as? [String] == ["di 18:00-21:00", "za 09:00-12:30"])
        #expect(anouk["available_from"] as? String == "2027-02-01")
        #expect(anouk["available_until"] as? String == "2027-06-30")
        #expect(anouk["status"] as? String == "unemployed")
        #expect(workers.last?["status"] as? String == "at_risk")
        #expect(workers.last?["locale"] as? String == "en")
        #expect(workers.last?["available_from"] == nil)
    }

    @Test func quotedCommasDoubledQuotesEnglishWeekdaysAndCRLFAreRead() throws {
        let lines = [
            WorkerFile.header,
            #"piet@example.nl,"Jansen, Piet ""PJ""",detailhandel,logistiek,rijnmond,nl,"mon 09:00-17:00|Sun 10:00-12:00",at_risk"#,
            WorkerFile.row("sanne@example.nl", name: "Sanne Visser"),
        ]
        let (_, result) = try importFile("crlf.csv", lines.joined(separator: "\r\n") + "\r\n")
        expectSuccess(result)
        let workers = try cli.workers()
        #expect(workers.count == 2)
        #expect(workers.first?["name"] as? String == #"Jansen, Piet "PJ""#)
        #expect(workers.first?["availability"] as? [String] == ["ma 09:00-17:00", "zo 10:00-12:00"])
        #expect(workers.last?["name"] as? String == "Sanne Visser", "no carriage return is left on the last field")
        #expect(workers.last?["status"] as? String == "unemployed")
    }

    @Test func aDryRunReportsButWritesNothing() throws {
        let csv = [WorkerFile.header, WorkerFile.row("a@example.nl"), WorkerFile.row("b@example.nl")].joined(separator: "\n")
        let (_, result) = try importFile("dry.csv", csv, dryRun: true)
        expectSuccess(result)
        #expect(result.stdout == "would import 2 workers: 2 new, 0 updated\n")
        #expect(try cli.workers().isEmpty)
    }

    @Test func reimportingUpdatesByEmailIgnoringCaseAndKeepsTheFirstOrder() throws {
        let first = [WorkerFile.header, WorkerFile.row("a@example.nl", name: "Eerste A"), WorkerFile.row("b@example.nl", name: "Eerste B")]
        expectSuccess(try importFile("first.csv", first.joined(separator: "\n")).result)
        let second = [
            WorkerFile.header, WorkerFile.row("B@Example.NL", name: "Tweede B"), WorkerFile.row("c@example.nl", name: "Nieuwe C"),
            WorkerFile.row("a@example.nl", name: "Tweede A"),
        ]
        let (_, dry) = try importFile("second.csv", second.joined(separator: "\n"), dryRun: true)
        #expect(dry.stdout == "would import 3 workers: 1 new, 2 updated\n")
        let (_, result) = try importFile("second.csv", second.joined(separator: "\n"))
        expectSuccess(result)
        #expect(result.stdout == "imported 3 workers: 1 new, 2 updated\n")
        let workers = try cli.workers()
        #expect(workers.compactMap { $0["name"] as? String } == ["Tweede A", "Tweede B", "Nieuwe C"])
    }

    @Test(arguments: ["\n", "\r\n"])
    func everyBadRowIsReportedWithItsPhysicalLineAndNothingIsWritten(lineEnd: String) throws {
        let lines = [
            WorkerFile.header,  // line 1
            WorkerFile.row("goed@example.nl"),  // line 2
            "meer@example.nl,\"Twee\(lineEnd)regels\",horeca,zorg,midden-utrecht,nl,di 18:00-21:00,unemployed",  // lines 3-4
            WorkerFile.row("geen-adres"),  // line 5
            WorkerFile.row("bakker@example.nl", sector: "bakkerij"),  // line 6
            WorkerFile.row("laat@example.nl", availability: "wo 25:00-26:00"),  // line 7
            WorkerFile.row("status@example.nl", status: "ontslagen"),  // line 8
            WorkerFile.row("GOED@example.nl"),  // line 9
            "kort@example.nl,Kort",  // line 10
        ]
        let (path, result) = try importFile("bad.csv", lines.joined(separator: lineEnd) + lineEnd)
        expectRefused(result, mentioning: [
            "\(path):3: name: contains a line break",
            "\(path):5: email: 'geen-adres' is not an e-mail address",
            "\(path):6: sector: unknown sector 'bakkerij'",
            "\(path):7: availability: '25:00-26:00' is not a time range",
            "\(path):8: status: 'ontslagen' is not a status", "use werkloos or baan_in_gevaar",
            "\(path):9: email: 'GOED@example.nl' already appears on line 2",
            "\(path):10: has 2 fields but the header has 8",
        ])
        #expect(!result.stderr.contains("\(path):4:"), "line 4 continues the record of line 3")
        #expect(try cli.workers().isEmpty)
    }

    @Test func anUnknownColumnSuchAsABSNIsRefused() throws {
        let csv = "email,name,sector,targets,region,languages,availability,status,bsn\n"
            + WorkerFile.row("a@example.nl") + ",123456782\n"
        let (path, result) = try importFile("bsn.csv", csv)
        expectRefused(result, mentioning: ["\(path):1: bsn", "unknown column", "no stray personal data"])
        #expect(try cli.workers().isEmpty)
    }

    @Test func aMissingColumnIsNamed() throws {
        let (path, result) = try importFile("missing.csv", "email,name\na@example.nl,Anouk\n")
        expectRefused(result, mentioning: ["\(path):1", "missing column 'sector'", "missing column 'availability'"])
    }

    @Test func aWindows1252FileIsRefusedWithAHintToSaveAsUTF8() throws {
        var bytes = Array((WorkerFile.header + "\n" + WorkerFile.row("a@example.nl") + "\n").utf8)
        bytes += Array("jose@example.nl,Jos".utf8) + [0xE9] + Array(" Mart".utf8) + [0xED] + Array("nez,horeca,zorg,midden-utrecht,nl,di 18:00-21:00,unemployed\n".utf8)
        let (path, result) = try importFile("excel.csv", bytes: bytes)
        expectRefused(result, mentioning: ["\(path):3", "not UTF-8", "CSV UTF-8"])
        #expect(try cli.workers().isEmpty)
    }

    @Test func anUnclosedQuoteNamesTheLineWhereTheFieldStarts() throws {
        let csv = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl") + "\n" + "b@example.nl,\"Open,horeca\n"
        let (path, result) = try importFile("open.csv", csv)
        expectRefused(result, mentioning: ["\(path):3", "never closed"])
    }

    @Test func aDuplicateEmailInOneFileIsRefused() throws {
        let csv = [WorkerFile.header, WorkerFile.row("a@example.nl"), WorkerFile.row("b@example.nl"), WorkerFile.row("A@EXAMPLE.NL")]
        let (path, result) = try importFile("dup.csv", csv.joined(separator: "\n"))
        expectRefused(result, mentioning: ["\(path):4: email: 'A@EXAMPLE.NL' already appears on line 2", "one row per person"])
        #expect(try cli.workers().isEmpty)
    }

    @Test func anEmptyOrMissingFileIsRefused() throws {
        let (path, empty) = try importFile("empty.csv", "")
        expectRefused(empty, mentioning: [path, "the file is empty", "email,name,sector"])
        let missing = cli.directory.file("nowhere.csv")
        expectRefused(try cli.run(["worker", "import", missing]), mentioning: [missing, "cannot open the file"])
        expectRefused(try cli.run(["worker", "import", cli.directory.path]), mentioning: [cli.directory.path, "is a folder"])
    }
}
