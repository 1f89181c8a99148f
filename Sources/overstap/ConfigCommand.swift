import ArgumentParser
import Configuration
import OverstapService

/// `overstap config …`
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Inspect the configuration.", subcommands: [Check.self])
}

extension ConfigCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective settings (secrets masked) and refuse unknown keys in the file.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let loaded = try await global.loadConfig()
            print("config file: \(loaded.filePath ?? "(none: built-in defaults)")")
            var table = TextTable(headers: ["KEY", "VALUE"])
            for key in OverstapSettings.keys {
                let value = key.name == "catalogues.path"
                    ? loaded.settings.cataloguesPath
                    : key.name == "http.public_url"
                    ? ((try? loaded.settings.publicURL()) ?? "(not set: required, since http.host listens on every address)")
                    : loaded.reader.string(forKey: ConfigKey(key.name), isSecret: key.isSecret) ?? key.defaultValue ?? ""
                table.rows.append([key.name, key.isSecret && !value.isEmpty ? "********" : value])
            }
            print(table.render())
            guard let file = loaded.filePath else { return }
            let unknown = try ConfigLoader.unknownKeys(inFile: file)
            guard unknown.isEmpty else {
                throw CommandFailure(description: unknown.map {
                    "\(file): unknown key '\($0)' (Overstap does not read it; is it misspelled?)"
                }.joined(separator: "\n"))
            }
            print("no unknown keys")
        }
    }
}
