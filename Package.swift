// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Overstap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "overstap", targets: ["overstap"]),
        .library(name: "ICalendar", targets: ["ICalendar"]),
        .library(name: "Mail", targets: ["Mail"]),
        .library(name: "FlowSolver", targets: ["FlowSolver"]),
        .library(name: "OverstapService", targets: ["OverstapService", "OverstapStore", "OverstapCore"]),
        .library(name: "OverstapHTTP", targets: ["OverstapHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibical",
            pkgConfig: "libical",
            providers: [.apt(["libical-dev"])]
        ),
        .target(
            name: "ICalendar",
            dependencies: ["CLibical"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Mail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "FlowSolver",
            swiftSettings: strictSettings
        ),
        .target(
            name: "OverstapCore",
            dependencies: [
                "FlowSolver",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OverstapStore",
            dependencies: [
                "OverstapCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OverstapService",
            dependencies: [
                "OverstapCore",
                "OverstapStore",
                "ICalendar",
                "Mail",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OverstapHTTP",
            dependencies: [
                "OverstapService",
                "OverstapCore",
                "OverstapStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "overstap",
            dependencies: [
                "OverstapService",
                "OverstapHTTP",
                "Mail",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                "OverstapCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "OverstapTestSupport",
            dependencies: [
                "OverstapCore", "OverstapStore", "OverstapService",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/OverstapTestSupport",
            exclude: ["smtp_server.py", "browser_rsvp.py"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TestRandom",
            path: "Tests/TestRandom",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ICalendarTests",
            dependencies: ["ICalendar", "TestRandom"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MailTests",
            dependencies: [
                "Mail",
                "ICalendar",
                "OverstapCore",
                "OverstapTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OverstapCoreTests",
            dependencies: ["OverstapCore", "FlowSolver", "OverstapTestSupport", "TestRandom"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "FlowSolverTests",
            dependencies: ["FlowSolver", "TestRandom"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OverstapStoreTests",
            dependencies: [
                "OverstapStore", "OverstapCore", "OverstapTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OverstapServiceTests",
            dependencies: [
                "OverstapService", "OverstapCore", "OverstapStore", "ICalendar", "OverstapTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OverstapHTTPTests",
            dependencies: [
                "OverstapHTTP", "OverstapService", "OverstapCore", "OverstapStore", "OverstapTestSupport", "ICalendar",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "OverstapCLITests",
            dependencies: ["OverstapTestSupport", "TestRandom"],
            swiftSettings: strictSettings
        ),
    ]
)
