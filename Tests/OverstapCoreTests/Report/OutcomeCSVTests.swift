import Testing

@testable import OverstapCore

/// The follow-up list: English or Dutch columns and results, every problem located, all or nothing.
struct OutcomeCSVTests {
    static let sectors = Catalogue(
        kind: "sector", entries: ["zorg", "techniek"].map { Catalogue.Entry(code: $0, dutchName: $0, englishName: $0) })
    let reader = OutcomeCSV(sectors: sectors, today: LocalDate(year: 2027, month: 6, day: 1))

    @Test func dutchColumnsAndResultsAreRead() throws {
        let rows = try reader.parse(Array("e-mail;uitkomst;sector;datum\na@example.nl;werk_gevonden;Zorg;2027-05-01\nb@example.nl;In opleiding;;\n".utf8), fileName: "f.csv")
        #expect(rows.map(\.outcome) == [
            Outcome(result: .foundWork, sector: "zorg", date: LocalDate(year: 2027, month: 5, day: 1)),
            Outcome(result: .inTraining, sector: nil, date: LocalDate(year: 2027, month: 6, day: 1)),
        ])
        #expect(rows.map(\.line) == [2, 3])
    }

    @Test func everyProblemIsNamedWithItsLineAndColumn() {
        let file = "email,resultaat,sector,datum\nx,found_work,zorg,2027-05-01\nb@example.nl,hired,mijnbouw,2027-07-01\nc@example.nl,stopped,,2027-02-30\n"
        #expect {
            try reader.parse(Array(file.utf8), fileName: "f.csv")
        } throws: { error in
            let places = (error as? InputErrors)?.problems.map(\.place) ?? []
            return places == ["f.csv:2: email", "f.csv:3: resultaat", "f.csv:3: sector", "f.csv:3: datum", "f.csv:4: datum"]
        }
    }

    @Test func aFreeTextColumnIsRefused() {
        #expect {
            try reader.parse(Array("email,result,notes\na@example.nl,stopped,ziek\n".utf8), fileName: "f.csv")
        } throws: { error in
            (error as? InputErrors)?.problems.first?.place == "f.csv:1: notes"
        }
    }
}
