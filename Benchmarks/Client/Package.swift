// swift-tools-version:6.2
// Client benchmarks: early-response latency on the teardown scenarios, and (later) request rates and transfer
// speeds against AsyncHTTPClient and URLSession. A separate package so the main build stays lean.
// Run: swift run -c release --package-path Benchmarks/Client early-response
import PackageDescription

let package = Package(
    name: "HeedClientBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Heed", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .executableTarget(
            name: "early-response",
            dependencies: [
                .product(name: "HeedClient", package: "Heed"),
                .product(name: "HeedScenarios", package: "Heed"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        )
    ]
)
