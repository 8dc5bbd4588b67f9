import Foundation
import HeedTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `heed` binary's output path: the body streams to a pipe, failed writes and reads exit 23 and 26, `-w`
/// prints `000` when no response arrives, and Ctrl-C leaves no temporary file.
@Suite(.timeLimit(.minutes(1))) struct RequestOutputTests {
    /// Byte `index` of the test bodies: a pattern that shows a lost, repeated or reordered piece.
    private static func pattern(_ range: Range<Int>) -> [UInt8] { range.map { UInt8(truncatingIfNeeded: $0 % 251) } }

    /// A peer that serves `size` pattern bytes, then waits for the client to close.
    private static func downloadPeer(size: Int) throws -> ScriptedPeer {
        try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n")
            socket.write(Self.pattern(0..<size))
            _ = socket.drainToEOF()
            socket.close()
        }
    }

    /// A started `heed` process: its exit is awaited with a bound, and its stderr goes to a file.
    private final class Child: @unchecked Sendable {
        let process = Process()
        let exited = DispatchSemaphore(value: 0)
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString).err")

        /// Starts `executable arguments` with the given standard input and output.
        init(executable: URL, _ arguments: [String], stdin: Any? = nil, stdout: Any) throws {
            self.process.executableURL = executable
            self.process.arguments = arguments
            _ = FileManager.default.createFile(atPath: self.errorPath.path, contents: nil)
            let stderr = try FileHandle(forWritingTo: self.errorPath)
            if let stdin { self.process.standardInput = stdin }
            self.process.standardOutput = stdout
            self.process.standardError = stderr
            self.process.terminationHandler = { [exited] _ in exited.signal() }
            try self.process.run()
            try stderr.close()
        }

        /// Waits (bounded: 20 s) for the exit; a process still running then is killed and the test fails.
        func waitForExit() async throws -> (reason: Process.TerminationReason, status: Int32, error: String) {
            let exited = try await HeedBinary.offCooperativePool { self.exited.wait(timeout: .now() + 20) == .success }
            if !exited {
                kill(self.process.processIdentifier, SIGKILL)
                self.exited.wait()
            }
            #expect(exited, "heed did not exit within 20 s")
            let error = String(decoding: (try? Data(contentsOf: self.errorPath)) ?? Data(), as: UTF8.self)
            try? FileManager.default.removeItem(at: self.errorPath)
            return (self.process.terminationReason, self.process.terminationStatus, error)
        }
    }

    /// Without -o and with stdout a pipe, the body reaches the pipe as it arrives: the peer holds back everything
    /// after the first KiB until the test has read that KiB from heed's stdout. All 20 MiB arrive, exact and in
    /// order (before, the body was collected in memory and printed at the end, up to a 256 MiB limit).
    @Test func bodyStreamsToAPipeAsItArrives() async throws {
        let size = 20 * 1024 * 1024
        let firstKiBRead = ConditionFlag()
        let peerGaveUpWaiting = ConditionFlag()
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n")
            socket.write(Self.pattern(0..<1024))
            if !firstKiBRead.wait(seconds: 10) { peerGaveUpWaiting.set() }
            socket.write(Self.pattern(1024..<size))
            _ = socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let stdout = Pipe()
        let child = try Child(
            executable: try HeedBinary.executable(),
            ["get", "--max-time", "30", peer.url()],
            stdout: stdout
        )
        let received: [UInt8] = try await HeedBinary.offCooperativePool {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            let descriptor = stdout.fileHandleForReading.fileDescriptor
            // Bounded: heed's --max-time ends the stream, and every read returns data or the end.
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                received += chunk[0..<count]
                if received.count >= 1024 { firstKiBRead.set() }
            }
            return received
        }
        let end = try await child.waitForExit()
        #expect(end.reason == .exit && end.status == 0, "\(end.error)")
        #expect(!peerGaveUpWaiting.wait(seconds: 0), "the first KiB did not reach stdout before the rest was sent")
        #expect(received.count == size)
        #expect(received == Self.pattern(0..<size))
    }

    /// Standard output on a full disk (/dev/full): exit 23 with curl's sentence, not a crash.
    @Test func fullStandardOutputExits23() async throws {
        let peer = try Self.downloadPeer(size: 1000)
        defer { peer.finish() }
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let child = try Child(executable: try HeedBinary.executable(), ["get", peer.url()], stdout: full)
        try full.close()
        let end = try await child.waitForExit()
        #expect(end.reason == .exit)
        #expect(end.status == 23)
        #expect(end.error.contains("Failure writing output"))
    }

    /// A reader that goes away early (`heed get URL | head -c1`): exit 23, never a signal or a trap.
    @Test func closedPipeExits23() async throws {
        let peer = try Self.downloadPeer(size: 4 * 1024 * 1024)
        defer { peer.finish() }
        let stdout = Pipe()
        let child = try Child(executable: try HeedBinary.executable(), ["get", peer.url()], stdout: stdout)
        try stdout.fileHandleForReading.close()
        let end = try await child.waitForExit()
        #expect(end.reason == .exit)
        #expect(end.status == 23)
        #expect(end.error.contains("Failure writing output"))
    }

    /// `-d @-` with standard input closed: exit 26 ("Failure reading input"), not a trap.
    @Test func closedStandardInputExits26() async throws {
        let port = try ClosedPort().port
        let child = try Child(
            executable: URL(fileURLWithPath: "/bin/sh"),
            [
                "-c", "exec \"$0\" \"$@\" <&-", try HeedBinary.executable().path, "post", "-d", "@-",
                "http://127.0.0.1:\(port)/",
            ],
            stdout: FileHandle.nullDevice
        )
        let end = try await child.waitForExit()
        #expect(end.reason == .exit)
        #expect(end.status == 26)
        #expect(end.error.contains("Failure reading input"))
    }

    /// With no response, -w still prints, with `%{http_code}` `000` (health checks read it).
    @Test func writeOutPrintsWhenNoResponseArrives() async throws {
        let port = try ClosedPort().port
        let run = try await HeedBinary.run([
            "get", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/",
        ])
        #expect(run.status == 7)
        #expect(run.output == "000")
    }

    /// Ctrl-C during an `-o FILE` download: the process dies by SIGINT (as curl) and leaves neither FILE nor its
    /// temporary file.
    @Test func interruptRemovesTheTemporaryFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stop = ConditionFlag()
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
            socket.write(Self.pattern(0..<1000))
            stop.wait(seconds: 20)
            socket.close()
        }
        defer {
            stop.set()
            peer.finish()
        }
        let target = directory.appendingPathComponent("out").path
        let child = try Child(
            executable: try HeedBinary.executable(),
            ["get", "-s", "-o", target, peer.url()],
            stdout: FileHandle.nullDevice
        )
        // Waits (bounded: 10 s) until the first 1000 bytes are in the temporary file.
        let written = try await HeedBinary.offCooperativePool {
            for _ in 0..<2000 {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
                if let name = names.first(where: { $0.hasPrefix(".out.heed-tmp-") }),
                    let size = try? FileManager.default.attributesOfItem(
                        atPath: directory.appendingPathComponent(name).path
                    )[.size]
                        as? Int,
                    size >= 1000
                {
                    return true
                }
                usleep(5000)
            }
            return false
        }
        #expect(written)
        kill(child.process.processIdentifier, SIGINT)
        let end = try await child.waitForExit()
        #expect(end.reason == .uncaughtSignal && end.status == SIGINT)
        #expect((try FileManager.default.contentsOfDirectory(atPath: directory.path)) == [])
    }
}
