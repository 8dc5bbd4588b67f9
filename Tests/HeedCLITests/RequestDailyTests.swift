import ArgumentParser
import Foundation
import HeedTestSupport
import Testing

@testable import HeedCLI

/// `heed request`'s daily-use options, each run through the parser and the runner against a local peer.
@Suite(.timeLimit(.minutes(1))) struct RequestDailyTests {
    private static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString)-\(name)").path
    }

    /// -X, -H and -d reach the server as given; -d sets the form content type.
    @Test func methodHeadersAndData() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let options = try RequestTestSupport.options(["-X", "PATCH", "-H", "X-One: 1", "-d", "a=b", peer.url("/echo")])
        let result = await RequestRunner.run(options)
        let echoed = RequestTestSupport.text(result.stdout)
        #expect(result.exitCode == 0)
        #expect(echoed.hasPrefix("PATCH /echo HTTP/1.1\r\n"))
        #expect(echoed.contains("X-One: 1\r\n"))
        #expect(echoed.contains("Content-Type: application/x-www-form-urlencoded"))
        #expect(echoed.hasSuffix("\r\n\r\na=b"))
    }

    /// --json sends the body with JSON's Content-Type and Accept, as POST.
    @Test func jsonShorthand() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(try RequestTestSupport.options(["--json", #"{"a":1}"#, peer.url("/j")]))
        let echoed = RequestTestSupport.text(result.stdout)
        #expect(echoed.hasPrefix("POST /j HTTP/1.1\r\n"))
        #expect(echoed.contains("Content-Type: application/json\r\n"))
        #expect(echoed.contains("Accept: application/json\r\n"))
        #expect(echoed.hasSuffix(#"{"a":1}"#))
    }

    /// -d @- and --data-binary @- read standard input; -d strips newlines as curl does.
    @Test func stdinBodies() async throws {
        let peer = try EchoPeer.start(connections: 2)
        defer { peer.finish() }
        let text = await RequestRunner.run(
            try RequestTestSupport.options(["-d", "@-", peer.url()]),
            readStdin: { Array("x\ny\n".utf8) }
        )
        #expect(RequestTestSupport.text(text.stdout).hasSuffix("\r\n\r\nxy"))
        let exact = await RequestRunner.run(
            try RequestTestSupport.options(["--data-binary", "@-", peer.url()]),
            readStdin: { Array("x\ny\n".utf8) }
        )
        #expect(RequestTestSupport.text(exact.stdout).hasSuffix("\r\n\r\nx\ny\n"))
    }

    /// Several URLs go out in order over one connection (the peer accepts only one).
    @Test func severalURLsReuseTheConnection() async throws {
        let peer = try EchoPeer.start(connections: 1, requests: 3)
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options([peer.url("/1"), peer.url("/2"), peer.url("/3")])
        )
        let echoed = RequestTestSupport.text(result.stdout)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let order = ["GET /1 ", "GET /2 ", "GET /3 "].compactMap { echoed.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
    }

    /// --expect always sends Expect: 100-continue and the body after the 100.
    @Test func expectAlways() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["--expect", "always", "-d", "hi", peer.url()])
        )
        let echoed = RequestTestSupport.text(result.stdout)
        #expect(echoed.contains("Expect: 100-continue\r\n"))
        #expect(echoed.hasSuffix("\r\n\r\nhi"))
    }

    /// --fail turns a 404 into exit 22 with no body; without it the 404 is a response (exit 0, body printed).
    @Test func failOnHTTPErrors() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nConnection: close\r\n\r\ngone")
            socket.waitUntilSent()
            socket.close()
        }
        defer { peer.finish() }
        let failing = await RequestRunner.run(try RequestTestSupport.options(["--fail", peer.url("/x")]))
        #expect(failing.exitCode == 22)
        #expect(failing.stdout.isEmpty)
        #expect(failing.stderr == "heed: The server answered 404 Not Found (--fail).\n")
        let plain = await RequestRunner.run(try RequestTestSupport.options([peer.url("/x")]))
        #expect(plain.exitCode == 0 && RequestTestSupport.text(plain.stdout) == "gone")
    }

    /// -o streams into a temporary file and renames it; no temporary file is left behind.
    @Test func outputIsWrittenAtomically() async throws {
        let body = String(repeating: "0123456789", count: 100_000)
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            _ = socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let path = Self.temporaryPath("download.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["-o", path, "-w", "%{size_download}", peer.url()])
        )
        #expect(result.exitCode == 0)
        #expect(RequestTestSupport.text(result.stdout) == "1000000")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == body)
        #expect(!FileManager.default.fileExists(atPath: DownloadFile.temporaryPath(for: path)))
    }

    /// A download cut short leaves the earlier file untouched and no temporary file.
    @Test func failedDownloadLeavesNoHalfFile() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + String(repeating: "x", count: 5000))
            socket.waitUntilSent()
            socket.close()
        }
        defer { peer.finish() }
        let path = Self.temporaryPath("kept.txt")
        try "old".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = await RequestRunner.run(try RequestTestSupport.options(["-o", path, peer.url()]))
        #expect(result.exitCode == 56)
        #expect(result.stderr.hasPrefix("heed: ") && result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(!FileManager.default.fileExists(atPath: DownloadFile.temporaryPath(for: path)))
    }

    /// An output file that cannot be created exits 23.
    @Test func unwritableOutputExits23() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["-o", "/nonexistent-dir/out.txt", peer.url()])
        )
        #expect(result.exitCode == 23)
        #expect(result.stderr.contains("/nonexistent-dir/"))
    }

    /// An unreadable body file is one clear line naming the system's error and exit 26, before any connection.
    @Test func unreadableBodyFileExits26() async throws {
        let port = try ClosedPort()
        for flag in ["-d", "--data-binary", "--json"] {
            let result = await RequestRunner.run(
                try RequestTestSupport.options([flag, "@/nonexistent/body", "http://127.0.0.1:\(port.port)/"])
            )
            #expect(result.exitCode == 26)
            #expect(
                result.stderr
                    == "heed: could not open the body file '/nonexistent/body': ENOENT (No such file or directory)\n"
            )
        }
    }

    /// --max-time ends a request the server never answers with exit 28.
    @Test func maxTimeExits28() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            _ = socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["--max-time", "0.3", "--connect-timeout", "2", peer.url()])
        )
        #expect(result.exitCode == 28)
    }

    /// -v prints the whole report (the timeline) on failure; -s prints nothing; -s -S prints the summary.
    @Test func verboseSilentAndShowError() async throws {
        let peer = try ScriptedPeer(connections: 3) { socket, _ in
            _ = socket.readHead()
            socket.close()
        }
        defer { peer.finish() }
        let verbose = await RequestRunner.run(try RequestTestSupport.options(["-v", peer.url()]))
        let summary = await RequestRunner.run(try RequestTestSupport.options(["-s", "-S", peer.url()]))
        let silent = await RequestRunner.run(try RequestTestSupport.options(["-s", peer.url()]))
        #expect(verbose.exitCode == 52 && summary.exitCode == 52 && silent.exitCode == 52)
        #expect(summary.stderr.filter { $0 == "\n" }.count == 1)
        #expect(verbose.stderr.hasPrefix(summary.stderr))
        #expect(verbose.stderr.filter { $0 == "\n" }.count > 5)
        #expect(silent.stderr.isEmpty)
    }

    /// --report-json writes the diagnosis and the timeline on failure, and the status and notes on success.
    @Test func reportJSON() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            _ = socket.readHead()
            if index == 0 {
                socket.closeWithReset()
            } else {
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                _ = socket.drainToEOF()
                socket.close()
            }
        }
        defer { peer.finish() }
        let path = Self.temporaryPath("report.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let failed = await RequestRunner.run(try RequestTestSupport.options(["--report-json", path, peer.url()]))
        #expect(failed.exitCode != 0)
        let failure = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let failureEntry = try #require(((failure as? [String: Any])?["exchanges"] as? [[String: Any]])?.first)
        #expect(failureEntry["outcome"] as? String == "failure")
        let diagnosis = try #require(failureEntry["diagnosis"] as? [String: Any])
        #expect(diagnosis["summary"] is String && diagnosis["phase"] != nil && diagnosis["causes"] != nil)
        #expect((failureEntry["timeline"] as? [String: Any])?["events"] is [Any])

        let succeeded = await RequestRunner.run(try RequestTestSupport.options(["--report-json", path, peer.url()]))
        #expect(succeeded.exitCode == 0)
        let success = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let successEntry = try #require(((success as? [String: Any])?["exchanges"] as? [[String: Any]])?.first)
        #expect(successEntry["status"] as? Int == 200)
        #expect(successEntry["notes"] is [Any])
        // The streamed response's timeline comes with it (executeWithTimeline).
        #expect((successEntry["timeline"] as? [String: Any])?["events"] is [Any])
    }

    /// Conflicting or empty options are usage errors before anything is sent.
    @Test(arguments: [
        ["-o", "out", "http://127.0.0.1/a", "http://127.0.0.1/b"],
        ["--json", "{}", "-d", "a", "http://127.0.0.1/"],
        ["-o", "", "http://127.0.0.1/"],
        ["--report-json", "", "http://127.0.0.1/"],
    ])
    func conflictingOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { try HeedCommand.parseAsRoot(["request"] + arguments) }
    }
}
