import Glibc

/// Runs one client through a list of scenarios and collects the verdicts.
public enum Grader {
    /// Grades `client` against `scenarios`, one after the other.
    /// - Parameters:
    ///   - client: The client under test.
    ///   - scenarios: The scenarios to run, in order.
    ///   - progress: Called after each run, for live output.
    /// - Returns: Every run, in order.
    /// - Throws: ``ScenarioError`` if a peer or the body file cannot be set up (never for a client's failure).
    public static func grade(
        _ client: some ClientUnderTest,
        scenarios: [Scenario] = Scenario.all,
        progress: (ScenarioRun) -> Void = { _ in }
    ) async throws(ScenarioError) -> GradeReport {
        var files: [Int: String] = [:]
        defer {
            for path in files.values { _ = unlink(path) }
        }
        var runs: [ScenarioRun] = []
        for scenario in scenarios {
            let size = scenario.request.bodySize
            if files[size] == nil { files[size] = try Self.writeBodyFile(size: size) }
            let run = try await ScenarioRunner.run(scenario, client: client, bodyFile: files[size])
            progress(run)
            runs.append(run)
        }
        return GradeReport(client: client.name, runs: runs)
    }

    /// Writes `size` bytes of `x` to a new file under the temporary directory and returns its path.
    static func writeBodyFile(size: Int) throws(ScenarioError) -> String {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(directory)/heed-body-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard fd >= 0 else {
            throw ScenarioError.bodyFileFailed(path: path, reason: ErrnoInfo(code: errno).message)
        }
        defer { close(fd) }
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 16)
        var written = 0
        while written < size {
            let count = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, size - written)) }
            guard count > 0 else {
                let reason = ErrnoInfo(code: errno).message
                _ = unlink(path)
                throw ScenarioError.bodyFileFailed(path: path, reason: reason)
            }
            written += count
        }
        return path
    }
}
