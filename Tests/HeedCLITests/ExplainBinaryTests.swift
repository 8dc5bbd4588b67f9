import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct ExplainBinaryTests {
    /// The built `heed` executable beside the test bundle (`.build/debug/heed`).
    private static func heedExecutable() -> URL? {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let packageBuild = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug")
        for directory in [bundleDirectory, bundleDirectory.deletingLastPathComponent(), packageBuild] {
            let candidate = directory.appendingPathComponent("heed")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs the binary and returns its exit status, standard output and standard error.
    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let executable = try #require(Self.heedExecutable(), "build the heed product first (swift build)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    /// `heed explain WSAECONNABORTED` prints the page on stdout and exits 0.
    @Test func explainsThroughTheBinary() throws {
        let result = try Self.run(["explain", "WSAECONNABORTED"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("WSAECONNABORTED (Windows 10053)"))
        #expect(result.output.contains("413 Payload Too Large"))
        #expect(result.error.isEmpty)
    }

    /// An unknown query exits 1 with the diagnosis on stderr; junk input exits non-zero without crashing.
    @Test func failuresExitNonZero() throws {
        let unknown = try Self.run(["explain", "qqqqzzzz"])
        #expect(unknown.status == 1)
        #expect(unknown.output.isEmpty)
        #expect(unknown.error.contains("No socket error matches"))
        let junk = try Self.run(["explain", String(repeating: "junk ", count: 2048)])
        #expect(junk.status != 0 && junk.status < 128)
        #expect(junk.error.contains("bytes long"))
    }
}
