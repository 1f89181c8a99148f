import Configuration
import Foundation
import OverstapCore
import SystemPackage
import Yams

/// Builds the layered configuration: command-line options > `OVERSTAP_*` environment > YAML file > defaults.
public struct ConfigLoader: Sendable {
    /// The loaded reader and where its file came from.
    public struct Loaded: Sendable {
        public var reader: ConfigReader
        public var settings: OverstapSettings
        /// The config file in use, if any.
        public var filePath: String?
    }

    public init() {}

    /// Loads the configuration; `overrides` are the declared CLI options by key (`database.url`).
    public func load(
        configFile: String?, overrides: [String: String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Loaded {
        let explicit = configFile ?? environment["OVERSTAP_CONFIG"]
        let filePath: String?
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw InputError(place: configFile == nil ? "OVERSTAP_CONFIG" : "--config", problem: "no file at \(explicit)")
            }
            filePath = explicit
        } else {
            filePath = FileManager.default.fileExists(atPath: "config/overstap.yaml") ? "config/overstap.yaml" : nil
        }
        var providers: [any ConfigProvider] = []
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in overrides { values[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: false) }
        providers.append(InMemoryProvider(name: "command line", values: values))
        providers.append(
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .dynamic { key, _ in
                key.contains("PASSWORD") || key.contains("SECRET")
            }).prefixKeys(with: "overstap"))
        if let filePath {
            try Self.checkYAML(at: filePath)
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(filePath)))
        }
        let reader = ConfigReader(providers: providers)
        let folder = filePath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
        return Loaded(reader: reader, settings: try OverstapSettings(reader: reader, configFolder: folder), filePath: filePath)
    }

    /// Keys in the YAML file that Overstap does not read (probably misspelled).
    public static func unknownKeys(inFile path: String) throws -> [String] {
        let known = Set(OverstapSettings.keys.map(\.name))
        return try flattenedKeys(inFile: path).filter { !known.contains($0) }
    }

    /// Variables the CLI and daemon read besides the settings' own.
    public static let otherEnvironmentVariables = ["OVERSTAP_CONFIG", "OVERSTAP_NOW"]

    /// The variable that sets a key: `database.url` ← `OVERSTAP_DATABASE_URL`.
    public static func environmentVariable(for key: String) -> String {
        "OVERSTAP_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// `OVERSTAP_…` variables that set nothing (probably misspelled), with the likely intended name.
    public static func unknownEnvironmentVariables(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [(name: String, suggestion: String?)] {
        let known = OverstapSettings.keys.map { environmentVariable(for: $0.name) } + otherEnvironmentVariables
        return environment.keys.filter { $0.hasPrefix("OVERSTAP_") && !known.contains($0) }.sorted().map {
            ($0, Spelling.closest(to: $0, among: known))
        }
    }

    static func flattenedKeys(inFile path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) else { return [] }
        var keys: [String] = []
        func walk(_ node: Any, prefix: String) {
            if let mapping = node as? [String: Any] {
                for (key, value) in mapping { walk(value, prefix: prefix.isEmpty ? key : "\(prefix).\(key)") }
            } else {
                keys.append(prefix)
            }
        }
        walk(root, prefix: "")
        return keys.sorted()
    }

    private static func checkYAML(at path: String) throws {
        do {
            _ = try flattenedKeys(inFile: path)
        } catch let error as YamlError {
            throw InputError(place: path, problem: "is not valid YAML: \(error)", fix: "fix the file or point --config elsewhere")
        }
    }
}
