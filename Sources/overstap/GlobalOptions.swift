import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// Options every command accepts; they override the environment and the config file.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: "Config file (default: $OVERSTAP_CONFIG, else config/overstap.yaml if present).")
    var configFile: String?

    @Option(name: .customLong("database-url"), help: "Database, e.g. sqlite:data/overstap.sqlite (overrides database.url).")
    var databaseURL: String?

    /// Loads the configuration with these options on top.
    func loadConfig() async throws -> ConfigLoader.Loaded {
        var overrides: [String: String] = [:]
        if let databaseURL { overrides["database.url"] = databaseURL }
        return try await ConfigLoader().load(configFile: configFile, overrides: overrides)
    }

    /// Opens the service: configuration, catalogues, store and clock.
    func service() async throws -> OverstapService {
        try OverstapService.open(settings: try await loadConfig().settings, clock: try Self.clock())
    }

    /// The system clock, or the instant in `OVERSTAP_NOW` (RFC 3339) for reproducible runs.
    static func clock(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TimeSource {
        guard let text = environment["OVERSTAP_NOW"] else { return .system }
        let whole = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        // RFC 3339 allows fractional seconds; each formatter accepts only one of the two forms.
        guard let instant = whole.date(from: text) ?? fractional.date(from: text) else {
            throw InputError(place: "OVERSTAP_NOW", problem: "'\(text)' is not an RFC 3339 time", fix: "e.g. 2027-01-10T09:00:00+01:00")
        }
        return .fixed(instant)
    }
}

/// `--json` for commands that print data.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of a table.")
    var json = false
}
