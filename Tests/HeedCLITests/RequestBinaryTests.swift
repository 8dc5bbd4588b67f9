import Foundation
import HeedTestSupport
import Testing

/// The built `heed` binary: the progress bar in a pseudo-terminal, stdin bodies, exit codes, the short forms.
@Suite(.timeLimit(.minutes(1))) struct RequestBinaryTests {
    private static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString)-\(name)").path
    }

    /// A peer that serves `size` bytes to each of `connections` connections.
    private static func downloadPeer(size: Int, connections: Int = 1) throws -> ScriptedPeer {
        try ScriptedPeer(connections: connections) { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n")
            socket.write([UInt8](repeating: UInt8(ascii: "z"), count: size))
            _ = socket.drainToEOF()
            socket.close()
        }
    }

    /// On a terminal, a download draws carriage-return progress lines on stderr ending at 100%.
    @Test func downloadProgressOnATerminal() async throws {
        let peer = try Self.downloadPeer(size: 3_000_000)
        defer { peer.finish() }
        let path = Self.temporaryPath("progress.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await HeedBinary.runInTerminal(["get", "-o", path, peer.url("/big")])
        #expect(run.status == 0)
        #expect(run.output.contains("\rdown "))
        #expect(run.output.contains("down 3 MB of 3 MB 100%"))
        #expect(run.output.contains("(200)"))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 3_000_000)
    }

    /// On a terminal, an upload the server rejects early shows the moment it answered.
    @Test func earlyAnswerIsVisibleInTheProgress() async throws {
        // A small receive buffer and no reading: the client cannot have sent the whole body when the 413 arrives.
        let peer = try ScriptedPeer(receiveBuffer: 64 * 1024) { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope")
            socket.waitUntilSent()
            socket.closeWithReset()
        }
        defer { peer.finish() }
        let body = Self.temporaryPath("upload.bin")
        try Data(repeating: 120, count: 8_000_000).write(to: URL(fileURLWithPath: body))
        defer { try? FileManager.default.removeItem(atPath: body) }
        let run = try await HeedBinary.runInTerminal([
            "post", "--expect", "never", "--data-binary", "@\(body)", "-o", "/dev/null", peer.url(),
        ])
        #expect(run.status == 0)
        #expect(run.output.contains("up: server answered 413 after "))
        #expect(run.output.contains("of 8 MB — upload stopped"))
    }

    /// With output piped, no progress is drawn; -s keeps a terminal quiet too.
    @Test func noProgressWhenPipedOrSilent() async throws {
        let peer = try Self.downloadPeer(size: 100_000, connections: 2)
        defer { peer.finish() }
        let piped = try await HeedBinary.run(["get", peer.url()])
        #expect(piped.status == 0)
        #expect(piped.output.count == 100_000)
        #expect(piped.error.isEmpty)
        let path = Self.temporaryPath("quiet.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let silent = try await HeedBinary.runInTerminal(["get", "-s", "-o", path, peer.url()])
        #expect(silent.status == 0)
        #expect(!silent.output.contains("\r"))
    }

    /// --no-progress keeps a terminal quiet; -i with -o writes the head into the file before the body.
    @Test func noProgressFlagAndIncludeIntoFile() async throws {
        let peer = try Self.downloadPeer(size: 1000)
        defer { peer.finish() }
        let path = Self.temporaryPath("with-head.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try await HeedBinary.runInTerminal(["get", "--no-progress", "-i", "-o", path, peer.url()])
        #expect(run.status == 0)
        #expect(!run.output.contains("\r"))
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.hasPrefix("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nzzz"))
        #expect(written.utf8.count == "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".utf8.count + 1000)
    }

    /// `heed post -d @-` sends standard input; `heed put` presets PUT.
    @Test func shortFormsAndStdin() async throws {
        let peer = try EchoPeer.start(connections: 2)
        defer { peer.finish() }
        let posted = try await HeedBinary.run(
            ["post", peer.url("/p"), "--data-binary", "@-"],
            input: Array("from stdin".utf8)
        )
        #expect(posted.status == 0)
        #expect(posted.output.hasPrefix("POST /p HTTP/1.1\r\n"))
        #expect(posted.output.hasSuffix("\r\n\r\nfrom stdin"))
        let put = try await HeedBinary.run(["put", "-d", "x=1", peer.url("/q")])
        #expect(put.output.hasPrefix("PUT /q HTTP/1.1\r\n"))
    }

    /// Bad usage (`-I` with a body among it) exits 2 with one clear error; a malformed URL exits 3; --fail exits 22.
    @Test func exitCodes() async throws {
        let usage = try await HeedBinary.run(["request", "-d", "a", "--json", "{}", "http://127.0.0.1:1/"])
        #expect(usage.status == 2)
        #expect(usage.error.hasPrefix("Error: Give the body once"))
        let shortUsage = try await HeedBinary.run(["get", "-H", "no colon", "http://127.0.0.1:1/"])
        #expect(shortUsage.status == 2)
        for command in ["request", "get"] {
            let headWithBody = try await HeedBinary.run([command, "-I", "-d", "a", "http://127.0.0.1:1/"])
            #expect(headWithBody.status == 2, "\(command): \(headWithBody.error)")
            #expect(headWithBody.error.hasPrefix("Error: -I/--head sends HEAD"), "\(headWithBody.error)")
        }
        let malformed = try await HeedBinary.run(["get", "http://exa mple/"])
        #expect(malformed.status == 3)
        #expect(malformed.error.filter { $0 == "\n" }.count == 1)
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
            _ = socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let failed = try await HeedBinary.run(["get", "--fail", peer.url()])
        #expect(failed.status == 22)
    }
}
