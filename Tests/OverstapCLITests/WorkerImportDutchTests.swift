import Foundation
import OverstapTestSupport
import Testing

/// A worker CSV as a Dutch municipality exports it: Dutch column names and status values, codes in
/// any letter case, columns we must not store, and the mistakes people make in such files.
struct WorkerImportDutchTests {
    let cli = CLI()

    private func importFile(_ name: String, _ contents: String, _ extra: [String] = []) throws -> (path: String, result: CLI.Result) {
        let path = try cli.directory.write(name, contents)
        return (path, try cli.run(["worker", "import", path] + extra))
    }

    @Test func dutchColumnsStatusesAndCodesInAnyCaseAreImportedCanonically() throws {
        let csv = """
            E-mail;Naam;Sector;Doelsectoren;Regio;Talen;Beschikbaarheid;Beschikbaar_vanaf;Beschikbaar_tot;Status;Correspondentietaal
            anouk@example.nl;Anouk de Vries;Horeca;ZORG|Techniek;Midden-Utrecht;NL|En;DI 18:00-21:00;2027-02-01;2027-06-30;Werkloos;EN
            tomasz@example.nl;Tomasz Kowalski;reizen;logistiek;AMERSFOORT;pl;vr 09:00-17:00;;;baan_in_gevaar;nl

            """
        let (_, result) = try importFile("gemeente.csv", csv)
        expectSuccess(result)
        #expect(result.stdout == "imported 2 workers: 2 new, 0 updated\n")
        let workers = try cli.workers()
        let anouk = try #require(workers.first)
        #expect(anouk["sector"] as? String == "horeca")
        #expect(anouk["targets"] as? [String] == ["zorg", "techniek"])
        #expect(anouk["region"] as? String == "midden-utrecht")
        #expect(anouk["languages"] as? [String] == ["nl", "en"])
        #expect(anouk["availability"] as? [String] == ["di 18:00-21:00"])
        #expect(anouk["status"] as? String == "unemployed")
        #expect(anouk["locale"] as? String == "en")
        #expect(anouk["available_until"] as? String == "2027-06-30")
        #expect(workers.last?["region"] as? String == "amersfoort")
        #expect(workers.last?["status"] as? String == "at_risk")
    }

    @Test func aMisspeltColumnGetsTheNameItProbablyMeant() throws {
        let csv = "emial,naam,sector,doelsectoren,regoi,talen,beschikbaarheid,status\n"
            + "a@example.nl,Anouk,horeca,zorg,midden-utrecht,nl,di 18:00-21:00,werkloos\n"
        let (path, result) = try importFile("typo.csv", csv)
        expectRefused(result, mentioning: [
            "\(path):1: emial: unknown column", "did you mean 'email'?",
            "\(path):1: regoi: unknown column", "did you mean 'regio'?", "--skip-unknown-columns",
        ])
        #expect(!result.stderr.contains("remove it"), "a near miss is not told to remove the column")
    }

    @Test func taalIsRefusedAsAmbiguousWithBothMeaningsNamed() throws {
        let csv = "e-mail,naam,sector,doelsectoren,regio,talen,beschikbaarheid,status,taal\n"
            + "a@example.nl,Anouk,horeca,zorg,midden-utrecht,nl,di 18:00-21:00,werkloos,nl\n"
        let (path, result) = try importFile("taal.csv", csv)
        expectRefused(result, mentioning: ["\(path):1: taal", "'talen'", "'correspondentietaal'"])
    }

    @Test func skipUnknownColumnsLeavesOutBSNAndPhoneUnreadAndNamesThem() throws {
        let csv = "bsn,e-mail,naam,telefoon,sector,doelsectoren,regio,talen,beschikbaarheid,status\n"
            + "123456782,a@example.nl,Anouk,\"06 12345678\",horeca,zorg,midden-utrecht,nl,di 18:00-21:00,werkloos\n"
        let (_, refused) = try importFile("export.csv", csv)
        expectRefused(refused, mentioning: ["bsn: unknown column", "telefoon: unknown column"])
        let (_, result) = try importFile("export.csv", csv, ["--skip-unknown-columns"])
        expectSuccess(result)
        #expect(result.stdout == "skipped 2 columns unread: bsn, telefoon\nimported 1 worker: 1 new, 0 updated\n")
        #expect(try cli.workers().count == 1)
        #expect(try !cli.database.holds("123456782"), "the BSN never reaches the database")
        #expect(try !cli.database.holds("06 12345678"), "nor the phone number")
    }

    @Test func aLanguageCodeOutsideISO639IsRefused() throws {
        let csv = WorkerFile.header + "\n" + "a@example.nl,Anouk,horeca,zorg,midden-utrecht,nl|xx,di 18:00-21:00,unemployed\n"
        let (path, result) = try importFile("xx.csv", csv)
        expectRefused(result, mentioning: ["\(path):2: languages: 'xx' is not an ISO 639-1 language code"])
    }

    @Test func aWindowWhoseEndIsBeforeItsStartSaysSo() throws {
        let csv = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl", availability: "di 21:00-18:00") + "\n"
        let (path, result) = try importFile("window.csv", csv)
        expectRefused(result, mentioning: [
            "\(path):2: availability: in 'di 21:00-18:00' the end 18:00 is before the start 21:00", "past midnight",
        ])
    }

    @Test func aDryRunOfOneWorkerSaysWorkerAndCreatesNoDatabase() throws {
        let csv = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl") + "\n"
        let (_, result) = try importFile("one.csv", csv, ["--dry-run"])
        expectSuccess(result)
        #expect(result.stdout == "would import 1 worker: 1 new, 0 updated\n")
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
        #expect(!FileManager.default.fileExists(atPath: cli.directory.file("data")))
    }

    @Test func aUTF16FileIsCalledUTF16() throws {
        let text = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl") + "\n"
        let littleEndian: [UInt8] = text.utf16.flatMap { (unit: UInt16) -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let withMark: [UInt8] = [0xFF, 0xFE] + littleEndian
        for bytes in [withMark, littleEndian] {
            let path = try cli.directory.write("unicode.csv", bytes: bytes)
            let result = try cli.run(["worker", "import", path])
            expectRefused(result, mentioning: ["\(path):1", "UTF-16", "CSV UTF-8"])
            #expect(!result.stderr.contains("Windows-1252"))
        }
    }

    @Test func aNameLongerThanATitleIsRefused() throws {
        let long = String(repeating: "a", count: 5_000)
        let csv = WorkerFile.header + "\n" + WorkerFile.row("a@example.nl", name: long) + "\n"
        let (path, result) = try importFile("long.csv", csv)
        expectRefused(result, mentioning: ["\(path):2: name: is longer than 200 characters"])
        #expect(try cli.workers().isEmpty)
    }

    @Test func codesTypedInAnyCaseAreStoredAsTheCatalogueSpellsThem() throws {
        let partner = try cli.run([
            "partner", "add", "--name", "ROC Midden", "--email", "planning@roc-midden.example.org", "--slug", "roc-midden", "--region", "Midden-Utrecht",
        ])
        expectSuccess(partner)
        #expect(try cli.run(["partner", "list", "--json"]).stdout.contains("\"region\" : \"midden-utrecht\""))
        let draft = SessionDraft().with("--sector", "ZORG").with("--audience", "Horeca,DETAILHANDEL").with("--region", "MIDDEN-utrecht")
        let id = try cli.createSession(draft)
        let session = try #require(try cli.sessions(["--region", "Midden-Utrecht"]).first)
        #expect(session["sector"] as? String == "zorg")
        #expect(session["audience"] as? [String] == ["horeca", "detailhandel"])
        #expect(session["region"] as? String == "midden-utrecht")
        let csv = WorkerFile.header + "\n" + "a@example.nl,Anouk,HORECA,Zorg,Midden-Utrecht,NL,DI 18:00-21:00,Unemployed\n"
        expectSuccess(try importFile("w.csv", csv).result)
        expectSuccess(try cli.run(["match", "--commit", "--region", "Midden-Utrecht"]))
        #expect(try cli.showSession(id).enrollments.count == 1, "the worker's codes meet the session's")
    }
}
