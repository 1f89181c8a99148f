import OverstapCore
import OverstapService
import OverstapTestSupport
import Testing

struct ConfigTests {
    @Test func optionsBeatEnvironmentWhichBeatsTheFile() async throws {
        let directory = TemporaryDirectory()
        let file = try directory.write("c.yaml", "database:\n  url: \"sqlite:from-file.sqlite\"\ncatalogues:\n  path: \"\(Repository.configFolder)\"\n")
        let fromFile = try await ConfigLoader().load(configFile: file, overrides: [:], environment: [:])
        #expect(fromFile.settings.databaseURL == "sqlite:from-file.sqlite")
        let environment = ["OVERSTAP_DATABASE_URL": "sqlite:from-env.sqlite"]
        let fromEnvironment = try await ConfigLoader().load(configFile: file, overrides: [:], environment: environment)
        #expect(fromEnvironment.settings.databaseURL == "sqlite:from-env.sqlite")
        let fromOption = try await ConfigLoader().load(
            configFile: file, overrides: ["database.url": "sqlite:from-option.sqlite"], environment: environment)
        #expect(fromOption.settings.databaseURL == "sqlite:from-option.sqlite")
        #expect(fromOption.settings.cataloguesPath == Repository.configFolder)
    }

    @Test func theShippedConfigHasOnlyKnownKeys() throws {
        #expect(try ConfigLoader.unknownKeys(inFile: Repository.configFile).isEmpty)
    }

    @Test func misspelledKeysAreFound() throws {
        let directory = TemporaryDirectory()
        let file = try directory.write("c.yaml", "organiser:\n  emial: x@example.org\ntimezone: Europe/Amsterdam\n")
        #expect(try ConfigLoader.unknownKeys(inFile: file) == ["organiser.emial"])
    }

    @Test func badValuesNameTheKey() async throws {
        let directory = TemporaryDirectory()
        let file = try directory.write("c.yaml", "organiser:\n  email: \"not an address\"\n")
        await #expect { try await ConfigLoader().load(configFile: file, overrides: [:], environment: [:]) } throws: {
            "\($0)".hasPrefix("organiser.email")
        }
        await #expect { try await ConfigLoader().load(configFile: directory.file("missing.yaml"), overrides: [:], environment: [:]) } throws: {
            "\($0)".contains("--config: no file at")
        }
    }

    @Test func theShippedCataloguesHaveTheThirtyFiveRegions() throws {
        let catalogues = try CatalogueLoader.load(folder: Repository.configFolder)
        #expect(catalogues.regions.entries.count == 35)
        for code in ["achterhoek", "midden-utrecht", "rijnmond", "twente", "groot-amsterdam", "zaanstreek-waterland"] {
            #expect(catalogues.regions.contains(code))
        }
        for code in ["zorg", "techniek", "logistiek", "horeca", "detailhandel", "onderwijs", "ict", "bouw", "cultuur", "reizen"] {
            #expect(catalogues.sectors.contains(code))
        }
    }
}
