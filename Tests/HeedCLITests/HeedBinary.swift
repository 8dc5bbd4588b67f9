import Foundation
import NIOPosix
import Testing

/// Runs the built `heed` executable: with pipes, or inside a pseudo-terminal through python3's `pty` module.
enum HeedBinary {
    /// What one run printed and how it ended.
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// The built `heed` executable (`.build/debug/heed`).
    /// `HEED_BINARY`, if set, names another build to run (checking that a test fails on older code).
    static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["HEED_BINARY"] { return URL(fileURLWithPath: path) }
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let packageBuild = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug")
        for directory in [bundleDirectory, bundleDirectory.deletingLastPathComponent(), packageBuild] {
            let candidate = directory.appendingPathComponent("heed")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BinaryError.notBuilt
    }

    /// Threads for the tests' blocking work, started once for the test process.
    ///
    /// Not NIO's shared pool: Heed's client reads file bodies there, and with two cores that pool has two
    /// threads, so a few seconds of blocking work in one test stalled another test's file upload.
    private static let blockingPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    /// Runs blocking work (waiting for a child process) on the tests' own thread pool, never on a cooperative
    /// thread: the tests run in parallel on two cores, and a blocked cooperative thread stalls every other test.
    static func offCooperativePool<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await Self.blockingPool.runIfActive(work)
    }

    /// Runs `heed arguments` with its output piped, feeding `input` to its standard input.

    static func run(_ arguments: [String], input: [UInt8] = []) async throws -> Run {
        try await Self.offCooperativePool { try Self.runBlocking(arguments, input: input) }
    }

    static func runInTerminal(_ arguments: [String]) async throws -> Run {
        try await Self.offCooperativePool { try Self.runInTerminalBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String], input: [UInt8]) throws -> Run {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = arguments
        let (stdin, stdout) = (Pipe(), Pipe())
        // Standard error goes to a file so a full stdout pipe and a full stderr pipe cannot block each other.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        let stderr = try FileHandle(forWritingTo: errorPath)
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        try stderr.close()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = try Data(contentsOf: errorPath)
        return Run(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self)
        )
    }

    /// Runs `heed arguments` with stdin, stdout and stderr on one pseudo-terminal and returns everything it drew
    /// there (bounded: 30 s).
    private static func runInTerminalBlocking(_ arguments: [String]) throws -> Run {
        let script = """
            import os, pty, select, sys, time
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            out = b''
            deadline = time.time() + 30
            while time.time() < deadline:
                ready, _, _ = select.select([fd], [], [], 1)
                if not ready:
                    continue
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                out += data
            _, status = os.waitpid(pid, 0)
            sys.stdout.buffer.write(out)
            sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, try Self.executable().path] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self), error: "")
    }

    enum BinaryError: Error { case notBuilt }
}
