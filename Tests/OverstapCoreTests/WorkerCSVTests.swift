import OverstapCore
import OverstapTestSupport
import Testing

struct WorkerCSVTests {
    let reader = WorkerCSV(sectors: TestCatalogues.sectors, regions: TestCatalogues.regions)
    let header = "email,name,sector,targets,region,languages,availability,available_from,available_until,status,locale"

    func parse(_ text: String) throws(InputErrors) -> [WorkerCSV.Row] {
        try reader.parse(Array(text.utf8), fileName: "workers.csv")
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func aSemicolonFileWithBOMAndDutchDaysImports() throws {
        let text = "\u{FEFF}EMAIL;Name;sector;targets;region;languages;availability;status\r\n"
            + "anouk@example.org;\"Bakker; Anouk\";horeca;zorg|techniek;midden-utrecht;nl|en;di 18:00-21:00|za 09:00-12:30;unemployed\r\n"
        let rows = try parse(text)
        #expect(rows.count == 1)
        let worker = try #require(rows.first?.worker)
        #expect(worker.name == "Bakker; Anouk")
        #expect(worker.targets == ["zorg", "techniek"])
        #expect(worker.availability.map(\.description) == ["di 18:00-21:00", "za 09:00-12:30"])
        #expect(worker.locale == "nl" && worker.status == .unemployed)
    }

    @Test func quotedCommasQuotesAndEnglishDaysImport() throws {
        let rows = try parse(header + "\n"
            + "\"jan@example.org\",\"de Vries, Jan \"\"Jantje\"\"\",reizen,logistiek,amersfoort,en,mon 09:00-17:00,2027-01-01,2027-06-30,at_risk,en\n")
        let worker = try #require(rows.first?.worker)
        #expect(worker.name == "de Vries, Jan \"Jantje\"")
        #expect(worker.availableFrom == LocalDate(year: 2027, month: 1, day: 1))
        #expect(worker.status == .atRisk && worker.locale == "en")
    }

    @Test func everyBadRowIsReportedWithItsPhysicalLine() {
        let text = header + "\n"
            + "ok@example.org,\"Two\nLines\",horeca,zorg,midden-utrecht,nl,di 18:00-21:00,,,unemployed,nl\n"
            + "bad-email,Piet,horeca,zorg,midden-utrecht,nl,di 18:00-21:00,,,unemployed,nl\n"
            + "p@example.org,Piet,kapper,zorg|ruimtevaart,mars,nl,di 18:00-21:00,,,retired,fr\n"
            + "q@example.org,Q,horeca,zorg,midden-utrecht,nl,dinsdag 18:00-21:00,2027-02-30,,unemployed,nl\n"
        let found = problems(text)
        #expect(found.contains { $0.hasPrefix("workers.csv:2: name: contains a line break") })
        #expect(found.contains { $0.hasPrefix("workers.csv:4: email:") })
        #expect(found.contains { $0.hasPrefix("workers.csv:5: sector: unknown sector 'kapper'") && $0.contains("zorg") })
        #expect(found.contains { $0.hasPrefix("workers.csv:5: targets: unknown sector 'ruimtevaart'") })
        #expect(found.contains { $0.hasPrefix("workers.csv:5: region: unknown region 'mars'") })
        #expect(found.contains { $0.hasPrefix("workers.csv:5: status:") })
        #expect(found.contains { $0.hasPrefix("workers.csv:5: locale:") })
        #expect(found.contains { $0.hasPrefix("workers.csv:6: availability:") })
        #expect(found.contains { $0.hasPrefix("workers.csv:6: available_from:") })
        #expect(found.count == 9, "\(found)")
    }

    @Test func unknownColumnsAreRefusedSoNoStrayPersonalDataIsStored() {
        let found = problems("email,name,bsn,sector,targets,region,languages,availability,status\n")
        #expect(found.count == 1 && found[0].contains("bsn") && found[0].contains("unknown column"))
    }

    @Test func missingColumnsAreNamed() {
        #expect(problems("email,name\n").contains { $0.contains("missing column 'availability'") })
    }

    @Test func windows1252IsRefusedWithAHint() {
        var bytes = Array((header + "\nren@example.org,Ren").utf8)
        bytes += [0xE9]  // "é" in Windows-1252
        bytes += Array(",horeca,zorg,midden-utrecht,nl,di 18:00-21:00,,,unemployed,nl\n".utf8)
        #expect {
            try reader.parse(bytes, fileName: "w.csv")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("w.csv:2:") && text.contains("CSV UTF-8")
        }
    }

    @Test func duplicateAddressesIgnoringCaseAreRefused() {
        let row = ",N,horeca,zorg,midden-utrecht,nl,di 18:00-21:00,,,unemployed,nl\n"
        let found = problems(header + "\nA@Example.org" + row + "a@example.org" + row)
        #expect(found == ["workers.csv:3: email: 'a@example.org' already appears on line 2; keep one row per person"])
    }

    @Test func namesWithLineBreaksAreRefused() {
        let found = problems(header + "\nx@example.org,\"Evil\r\nBcc: y@example.org\",horeca,zorg,midden-utrecht,nl,di 18:00-21:00,,,unemployed,nl\n")
        #expect(found.count == 1 && found[0].contains("name: contains a line break"))
    }

    @Test func untilBeforeFromIsRefused() {
        let found = problems(header + "\nx@example.org,X,horeca,zorg,midden-utrecht,nl,di 18:00-21:00,2027-05-01,2027-04-01,unemployed,nl\n")
        #expect(found.count == 1 && found[0].contains("available_until"))
    }

    @Test func anEmptyFileSaysWhatTheHeaderShouldBe() {
        #expect(problems("").first?.contains("email,name,sector") == true)
    }
}

struct EmailAddressTests {
    @Test func usableAddressesPass() {
        for address in ["a@example.org", "first.last+tag@sub.example.nl", "o'brien@example.ie"] {
            #expect(EmailAddress.problem(with: address) == nil)
        }
    }

    @Test func brokenOrDangerousAddressesAreRefused() {
        for address in ["", "no-at", "a@b", "a@@b.nl", "a b@example.org", "a@example.org\r\nBcc: x@y.nl", "<a@b.nl>", "@example.org", "a@-x.nl"] {
            #expect(EmailAddress.problem(with: address) != nil)
        }
    }
}

struct WorkerCSVSpellingTests {
    @Test func everyDutchColumnNameStandsForItsEnglishColumn() {
        for (english, dutch) in WorkerCSV.dutchColumns {
            #expect(WorkerCSV.column(named: dutch) == english)
            #expect(WorkerCSV.column(named: dutch.uppercased()) == english)
            #expect(WorkerCSV.column(named: english) == english)
        }
        #expect(WorkerCSV.column(named: "Beschikbaar vanaf") == "available_from")
        #expect(WorkerCSV.column(named: "taal") == nil)
    }

    @Test func statusesAreReadInBothLanguages() {
        #expect(WorkerStatus(input: "Werkloos") == .unemployed)
        #expect(WorkerStatus(input: "baan in gevaar") == .atRisk)
        #expect(WorkerStatus(input: "AT-RISK") == .atRisk)
        #expect(WorkerStatus(input: "ontslagen") == nil)
    }

    @Test func slipsOfTheKeyboardFindTheIntendedName() {
        let columns = ["email", "regio", "beschikbaarheid", "talen"]
        #expect(Spelling.closest(to: "emial", among: columns) == "email")
        #expect(Spelling.closest(to: "Regoi", among: columns) == "regio")
        #expect(Spelling.closest(to: "beschikbaarheden", among: columns) == "beschikbaarheid")
        #expect(Spelling.closest(to: "bsn", among: columns) == nil)
        #expect(Spelling.closest(to: "telefoon", among: columns) == nil)
    }

    @Test func languageCodesAreTheISO6391List() {
        #expect(LanguageCode.iso639_1.count == 184)
        #expect(["nl", "en", "pl", "tr", "ar", "ti"].allSatisfy(LanguageCode.isValid))
        #expect(!LanguageCode.isValid("xx"))
        #expect(!LanguageCode.isValid("nld"))
        #expect(!LanguageCode.isValid("NL"), "codes are lower-cased before the check")
    }

    @Test func catalogueCodesMatchInAnyCaseAndComeBackCanonical() throws {
        #expect(try TestCatalogues.sectors.validate("ZORG", place: "x") == "zorg")
        #expect(TestCatalogues.sectors.canonical("Horeca") == "horeca")
        #expect(throws: InputError.self) { try TestCatalogues.sectors.validate("bakkerij", place: "x") }
    }
}
