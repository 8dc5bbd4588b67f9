import Testing

@Suite(.timeLimit(.minutes(1))) struct ExplainBinaryTests {
    /// `heed explain WSAECONNABORTED` prints the page on stdout and exits 0.
    @Test func explainsThroughTheBinary() async throws {
        let result = try await HeedBinary.run(["explain", "WSAECONNABORTED"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("WSAECONNABORTED (Windows 10053)"))
        #expect(result.output.contains("413 Payload Too Large"))
        #expect(result.error.isEmpty)
    }

    /// An unknown query exits 1 with the diagnosis on stderr; junk input exits non-zero without crashing.
    @Test func failuresExitNonZero() async throws {
        let unknown = try await HeedBinary.run(["explain", "qqqqzzzz"])
        #expect(unknown.status == 1)
        #expect(unknown.output.isEmpty)
        #expect(unknown.error.contains("No socket error matches"))
        let junk = try await HeedBinary.run(["explain", String(repeating: "junk ", count: 2048)])
        #expect(junk.status != 0 && junk.status < 128)
        #expect(junk.error.contains("bytes long"))
    }
}
