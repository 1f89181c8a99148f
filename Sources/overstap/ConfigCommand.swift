import ArgumentParser
import Configuration
import OverstapCore
import OverstapService

/// `overstap config …`
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration.", subcommands: [Check.self])
}

extension ConfigCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective settings (secrets masked); refuse unknown keys in the file, unknown OVERSTAP_ variables and missing catalogues.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let loaded = try await global.loadConfig()
            print("config file: \(loaded.filePath ?? "(none: built-in defaults)")")
            var table = TextTable(headers: ["KEY", "VALUE"])
            for key in OverstapSettings.keys {
                let value = Self.effectiveValue(of: key, loaded)
                table.rows.append([key.name, key.isSecret && !value.isEmpty ? "********" : value])
            }
            print(table.render())
            var problems: [String] = []
            do {
                let catalogues = try CatalogueLoader.load(folder: loaded.settings.cataloguesPath)
                do { try catalogues.regions.validate(loaded.settings.organiserRegion, place: "organiser.region") } catch {
                    problems.append(error.description)
                }
            } catch {
                problems.append("catalogues.path: \(error)")
            }
            if let file = loaded.filePath {
                problems += try ConfigLoader.unknownKeys(inFile: file).map {
                    "\(file): unknown key '\($0)' (Overstap does not read it; is it misspelled?)"
                }
            }
            problems += ConfigLoader.unknownEnvironmentVariables().map { variable in
                "environment: \(variable.name) is not a setting Overstap reads"
                    + (variable.suggestion.map { "; did you mean \($0)?" } ?? "; unset it or see: overstap config check --help")
            }
            guard problems.isEmpty else { throw CommandFailure(description: problems.joined(separator: "\n")) }
            print("no unknown keys")
        }

        /// The value a key has in effect, including values derived from other keys.
        static func effectiveValue(of key: OverstapSettings.Key, _ loaded: ConfigLoader.Loaded) -> String {
            switch key.name {
            case "catalogues.path": loaded.settings.cataloguesPath
            case "mail.return_path": loaded.settings.mail.returnPath
            case "http.public_url": (try? loaded.settings.publicURL()) ?? "(not set: required, since http.host listens on every address)"
            default: loaded.reader.string(forKey: ConfigKey(key.name), isSecret: key.isSecret) ?? key.defaultValue ?? ""
            }
        }
    }
}
