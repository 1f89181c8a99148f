import Foundation

/// Paths inside the repository, found from this file's location so tests run from any folder.
public enum Repository {
    /// The repository root.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The default config file, whose folder also holds the catalogues.
    public static var configFile: String { "\(root)/config/overstap.yaml" }

    /// The `config` folder with `sectors.yaml` and `regions.yaml`.
    public static var configFolder: String { "\(root)/config" }

    /// The repository's mail and page templates.
    public static var templatesFolder: String { "\(root)/templates" }
}
