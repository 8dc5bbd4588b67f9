// swift-tools-version:6.2
import PackageDescription

// A separate package, so that Heed's own build and CI do not build Vapor.
// Build and test it with `scripts/test-vapor.sh` from the repository root.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "HeedVapor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HeedVapor", targets: ["HeedVapor"])
    ],
    dependencies: [
        .package(name: "Heed", path: "../.."),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "HeedVapor",
            dependencies: [
                .product(name: "HeedCore", package: "Heed"),
                .product(name: "HeedServer", package: "Heed"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HeedVaporTests",
            dependencies: [
                "HeedVapor",
                .product(name: "HeedTestSupport", package: "Heed"),
                .product(name: "HeedCore", package: "Heed"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
