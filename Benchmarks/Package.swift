// swift-tools-version:6.2
// Peers for scripts/bench-server.sh: a raw NIOHTTP1 hello-world server and a Hummingbird one.
// A separate package so the main package stays lean; build with `swift build -c release` here.
import PackageDescription

let package = Package(
    name: "HeedServerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(name: "Heed", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "nio-hello",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "hummingbird-hello",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
        // The docs/lingering-close.md example: Hummingbird with Heed's LingeringCloseHandler.
        .executableTarget(
            name: "hummingbird-lingering",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HeedServer", package: "Heed"),
            ]
        ),
    ]
)
