import Foundation
import HeedTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `heed serve` as a process: SIGTERM and SIGINT stop it gracefully.
@Suite(.timeLimit(.minutes(1))) struct ServeBinaryTests {
    /// A started `heed serve`: its URL's port, and its exit, awaited with a bound.
    private final class Server: @unchecked Sendable {
        // @unchecked: the process is started in init and only waited for and signalled afterwards.
        let process = Process()
        let exited = DispatchSemaphore(value: 0)
        let output = Pipe()

        init(_ arguments: [String]) throws {
            self.process.executableURL = try HeedBinary.executable()
            self.process.arguments = ["serve", "--port", "0", "--quiet"] + arguments
            self.process.standardOutput = self.output
            self.process.standardError = FileHandle.nullDevice
            self.process.terminationHandler = { [exited] _ in exited.signal() }
            try self.process.run()
        }

        /// The port of the URL on the first line of stdout, or nil if heed exits first.
        func port() async throws -> Int? {
            let descriptor = self.output.fileHandleForReading.fileDescriptor
            let line = try await HeedBinary.offCooperativePool { () -> String in
                var line: [UInt8] = []
                var byte: UInt8 = 0
                // Bounded: the line is short, and heed's exit ends the pipe.
                while line.count < 200, read(descriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
                    line.append(byte)
                }
                return String(decoding: line, as: UTF8.self)
            }
            return line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: ["/"])) }
        }

        /// Waits (bounded: 20 s) for the exit; a process still running then is killed.
        func waitForExit() async throws -> (reason: Process.TerminationReason, status: Int32) {
            let exited = try await HeedBinary.offCooperativePool { self.exited.wait(timeout: .now() + 20) == .success }
            if !exited {
                kill(self.process.processIdentifier, SIGKILL)
                self.exited.wait()
            }
            #expect(exited, "heed serve did not exit within 20 s")
            return (self.process.terminationReason, self.process.terminationStatus)
        }
    }

    /// An upload accepted (100 Continue) before SIGTERM or SIGINT still completes with 201 after it, and is stored;
    /// then heed exits with status 0. The signal used to end the process at once, upload and all.
    @Test(arguments: [SIGTERM, SIGINT])
    func signalLetsTheUploadInProgressFinish(signal number: Int32) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Server(["--dir", directory.path])
        let port = try #require(try await server.port())
        let size = 100_000
        let socket = try #require(try await HeedBinary.offCooperativePool { ScriptedSocket.connect(port: port) })
        let interim = try await HeedBinary.offCooperativePool { () -> String? in
            socket.write(
                "PUT /up.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(size)\r\nExpect: 100-continue\r\n\r\n"
            )
            return socket.readHead()
        }
        #expect(interim?.hasPrefix("HTTP/1.1 100") == true)

        kill(server.process.processIdentifier, number)
        let response = try await HeedBinary.offCooperativePool { () -> String? in
            socket.write([UInt8](repeating: UInt8(ascii: "u"), count: size))
            return socket.readHead()
        }
        socket.close()
        let end = try await server.waitForExit()

        #expect(response?.hasPrefix("HTTP/1.1 201") == true, "\(String(describing: response))")
        #expect(end.reason == .exit && end.status == 0)
        let stored = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("up.bin").path)
        #expect(stored?[.size] as? Int == size)
    }

    /// A stop of an idle server returns at once, well before the grace period (10 s by default), with status 0.
    @Test func sigtermStopsAnIdleServerAtOnce() async throws {
        let server = try Server(["--dir", "/tmp"])
        _ = try #require(try await server.port())
        let start = ContinuousClock.now
        kill(server.process.processIdentifier, SIGTERM)
        let end = try await server.waitForExit()
        #expect(end.reason == .exit && end.status == 0)
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
