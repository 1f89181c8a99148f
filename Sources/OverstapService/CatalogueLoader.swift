import Foundation
import OverstapCore
import Yams

/// Reads the sector and region catalogues (`sectors.yaml`, `regions.yaml`) from a folder.
public enum CatalogueLoader {
    /// The two closed lists every input is checked against.
    public struct Catalogues: Sendable {
        public var sectors: Catalogue
        public var regions: Catalogue
    }

    private struct File: Decodable {
        struct Item: Decodable {
            var code: String
            var nl: String
            var en: String
        }
        var items: [Item]

        enum CodingKeys: String, CodingKey { case sectors, regions }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            items = try container.decodeIfPresent([Item].self, forKey: .sectors)
                ?? container.decode([Item].self, forKey: .regions)
        }
    }

    /// Loads both catalogues from `folder`.
    public static func load(folder: String) throws(InputError) -> Catalogues {
        Catalogues(
            sectors: try load(path: "\(folder)/sectors.yaml", kind: "sector"),
            regions: try load(path: "\(folder)/regions.yaml", kind: "region"))
    }

    static func load(path: String, kind: String) throws(InputError) -> Catalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                place: path, problem: "cannot read the \(kind) catalogue",
                fix: "run overstap from the repository folder, pass --config config/overstap.yaml, or set catalogues.path")
        }
        do {
            let file = try YAMLDecoder().decode(File.self, from: data)
            return Catalogue(kind: kind, entries: file.items.map { Catalogue.Entry(code: $0.code, dutchName: $0.nl, englishName: $0.en) })
        } catch {
            throw InputError(place: path, problem: "is not a valid \(kind) catalogue: \(error)")
        }
    }
}
