import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap-fuzz csv`: worker CSV files, valid ones generated and then damaged, through the whole
/// reader (`WorkerCSV`, which runs `CSVReader`).
struct CSVFuzz: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "csv", abstract: "Fuzz the worker CSV reader.")
    @OptionGroup var options: FuzzOptions
    @Option(help: "Folder with sectors.yaml and regions.yaml.") var catalogues = "../config"

    func run() throws {
        let loaded = try CatalogueLoader.load(folder: catalogues)
        let reader = WorkerCSV(sectors: loaded.sectors, regions: loaded.regions)
        let sectors = loaded.sectors.entries.map(\.code)
        let regions = loaded.regions.entries.map(\.code)
        try runFuzz(name: "csv", options: options, input: { random in
            Self.input(sectors: sectors, regions: regions, random: &random)
        }, body: { bytes in
            (try? reader.read(bytes, fileName: "fuzz.csv", skipUnknownColumns: bytes.count % 2 == 0)) != nil
        })
    }

    static let english = WorkerCSV.requiredColumns + WorkerCSV.optionalColumns
    static let dutch = english.map { WorkerCSV.dutchColumns[$0] ?? $0 }
    static let days = ["ma", "di", "wo", "do", "vr", "za", "zo", "mon", "Sun", "DI", "xx"]
    static let statuses = ["unemployed", "at_risk", "werkloos", "baan_in_gevaar", "Werkloos", "BAAN IN GEVAAR", "ontslagen", ""]
    static let languages = ["nl", "en", "pl", "tr", "ar", "NL", "xx", "nld", "", "nl|en|de"]

    /// A generated file (sometimes valid, in either language and delimiter), then damaged 3 times in 4.
    static func input(sectors: [String], regions: [String], random: inout FuzzRandom) -> [UInt8] {
        let delimiter = random.oneIn(2) ? ";" : ","
        var columns = random.oneIn(2) ? english : dutch
        if random.oneIn(4) { columns = Array(columns.prefix(8)) }
        if random.oneIn(5) { columns.insert(["bsn", "telefoon", "taal", "emial", "regoi"][random.below(5)], at: random.below(columns.count + 1)) }
        if random.oneIn(6) { columns.shuffle(using: &random) }
        var lines = [columns.joined(separator: delimiter)]
        for row in 0..<random.below(12) {
            let fields = columns.map { column -> String in
                switch column {
                case "email", "e-mail": row % 7 == 6 ? "geen-adres" : "p\(random.below(20))@example.org"
                case "name", "naam": random.oneIn(10) ? "\"Jansen, \"\"PJ\"\"\"" : "Deelnemer \(row)"
                case "sector": random.oneIn(8) ? "bakkerij" : sectors[random.below(sectors.count)].uppercased()
                case "targets", "doelsectoren": (0...random.below(3)).map { _ in sectors[random.below(sectors.count)] }.joined(separator: "|")
                case "region", "regio": regions[random.below(regions.count)]
                case "languages", "talen": languages[random.below(languages.count)]
                case "availability", "beschikbaarheid":
                    (0...random.below(3)).map { _ in
                        "\(days[random.below(days.count)]) \(random.below(26)):\(random.oneIn(2) ? "00" : "30")-\(random.below(26)):00"
                    }.joined(separator: "|")
                case "available_from", "beschikbaar_vanaf", "available_until", "beschikbaar_tot":
                    random.oneIn(3) ? "" : "\(["2027", "9999", "0000", "20x7"][random.below(4)])-\(random.below(14))-\(random.below(33))"
                case "status": statuses[random.below(statuses.count)]
                case "locale", "correspondentietaal": ["nl", "en", "EN", "de", ""][random.below(5)]
                default: "\(random.next() % 1_000_000_000)"
                }
            }
            lines.append(fields.joined(separator: delimiter))
        }
        let lineEnd = random.oneIn(2) ? "\r\n" : "\n"
        var bytes = Array((random.oneIn(10) ? "\u{FEFF}" : "").utf8) + Array(lines.joined(separator: lineEnd).utf8)
        if random.oneIn(2) { bytes += Array(lineEnd.utf8) }
        if random.oneIn(20) {
            bytes = Array(String(decoding: bytes, as: UTF8.self).utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        }
        return random.below(4) == 0 ? bytes : Mutator.mutate(bytes, extra: [Array(delimiter.utf8)], random: &random)
    }
}
