// swift-tools-version:6.2
// Client benchmarks, in a separate package so the main build stays lean:
// - early-response: early-response latency on the teardown scenarios;
// - client-bench: request rates and transfer speeds of Heed's client against AsyncHTTPClient, URLSession,
//   curl and a raw loopback socket, all against bench-server, in one run (see docs/performance.md).
// Run: scripts/bench-client.sh (or swift run -c release --package-path Benchmarks/Client early-response)
import PackageDescription

let package = Package(
    name: "HeedClientBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Heed", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
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
        ),
        .executableTarget(
            name: "bench-server",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        .executableTarget(
            name: "bench-heed",
            dependencies: [
                "BenchSupport",
                .product(name: "HeedClient", package: "Heed"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .executableTarget(
            name: "bench-ahc",
            dependencies: [
                "BenchSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "bench-urlsession",
            dependencies: ["BenchSupport"]
        ),
        .executableTarget(
            name: "client-bench",
            dependencies: ["BenchSupport"]
        ),
    ]
)
