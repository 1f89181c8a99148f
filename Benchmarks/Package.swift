// swift-tools-version: 6.2
import PackageDescription

/// Benchmarks live in their own package so the product's build and CI stay lean.
let package = Package(
    name: "OverstapBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Overstap", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
    ],
    targets: [
        .executableTarget(
            name: "overstap-bench",
            dependencies: [
                .product(name: "OverstapService", package: "Overstap"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        .executableTarget(
            name: "overstap-fuzz",
            dependencies: [
                .product(name: "OverstapService", package: "Overstap"),
                .product(name: "ICalendar", package: "Overstap"),
                .product(name: "Mail", package: "Overstap"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
        .executableTarget(
            name: "framing-differential",
            dependencies: [
                .product(name: "OverstapHTTP", package: "Overstap"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
