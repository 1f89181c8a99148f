import OverstapCore

/// Small sector and region catalogues for tests that do not read the YAML files.
public enum TestCatalogues {
    /// A few sectors, including every one the tests use.
    public static let sectors = Catalogue(
        kind: "sector",
        entries: ["zorg", "techniek", "logistiek", "horeca", "detailhandel", "onderwijs", "ict", "reizen", "cultuur"].map {
            Catalogue.Entry(code: $0, dutchName: $0, englishName: $0)
        })

    /// A few regions.
    public static let regions = Catalogue(
        kind: "region",
        entries: ["midden-utrecht", "amersfoort", "rijnmond", "twente", "groot-amsterdam"].map {
            Catalogue.Entry(code: $0, dutchName: $0, englishName: $0)
        })
}
