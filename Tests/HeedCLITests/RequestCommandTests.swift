import ArgumentParser
import Foundation
import HeedClient
import HeedTestSupport
import Testing

@testable import HeedCLI

@Suite struct RequestCommandTests {
    /// curl's option names parse into the same meanings.
    @Test func parsesCurlOptions() throws {
        let command = try #require(
            try HeedCommand.parseAsRoot([
                "request", "-X", "PUT", "-H", "X-One: 1", "--header", "X-Two: 2", "--data-binary", "@/tmp/f",
                "-o", "out", "-s", "-S", "-i", "-w", "%{http_code}", "--max-time", "5", "--connect-timeout", "2",
                "--expect", "never", "http://127.0.0.1:1/x",
            ]) as? RequestCommand
        )
        let options = RequestOptions(command: command)
        #expect(options.method == "PUT")
        #expect(options.headers.map(\.name) == ["X-One", "X-Two"])
        #expect(options.body == .file("/tmp/f"))
        #expect(options.output == "out")
        #expect(options.silent && options.showError && options.include)
        #expect(options.maxTime == 5 && options.connectTimeout == 2)
        #expect(options.expect == .never)
    }

    /// Conflicting or malformed options are usage errors.
    @Test(arguments: [
        ["request", "-d", "a", "--json", "b", "http://127.0.0.1/"],
        ["request", "-u", "alice", "http://127.0.0.1/"],
        ["request", "-H", "no colon", "http://127.0.0.1/"],
        ["request", "--max-time", "-1", "http://127.0.0.1/"],
        ["request", "--expect", "sometimes", "http://127.0.0.1/"],
        ["request"],
    ])
    func rejectsBadUsage(arguments: [String]) {
        #expect(throws: (any Error).self) { try HeedCommand.parseAsRoot(arguments) }
    }

    /// A 413 that arrives while uploading is a response: exit 0, -w reports it, stderr says it came early.
    @Test func earlyRejectionIsAResponse() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 4\r\nConnection: close\r\n\r\nnope")
            socket.waitUntilSent()
            socket.closeWithReset()
        }
        defer { peer.finish() }
        var options = RequestOptions(url: peer.url())
        options.body = .inline([UInt8](repeating: 120, count: 8 * 1024 * 1024))
        options.expect = .never
        options.include = true
        options.writeOut = "\\n%{http_code} %{size_download} %{early_response}"
        let result = await RequestRunner.run(options)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        #expect(result.exitCode == 0)
        #expect(stdout.hasPrefix("HTTP/1.1 413 "))
        #expect(stdout.contains("Content-Length: 4\r\n"))
        #expect(stdout.hasSuffix("nope\n413 4 1"))
        #expect(result.stderr.contains("answered 413"))
    }

    /// No response at all exits 52 with the reason on stderr, as curl's "empty reply".
    @Test func closedWithoutResponseExits52() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.close()
        }
        defer { peer.finish() }
        let result = await RequestRunner.run(RequestOptions(url: peer.url("/")))
        #expect(result.exitCode == 52)
        #expect(result.stderr.contains("without sending any response"))
    }

    /// Malformed URLs and refused connections get curl's exit codes and one clear line.
    @Test func badInputGetsClearErrors() async throws {
        let malformed = await RequestRunner.run(RequestOptions(url: "http://exa mple.com/"))
        #expect(malformed.exitCode == 3)
        #expect(malformed.stderr.contains("not a valid http:// or https:// URL"))

        // Port 1 rather than a ClosedPort: a freed ephemeral port can be handed to a peer of a test running in
        // parallel, which would then get this request as an unexpected extra connection.
        let port = 1
        let refused = await RequestRunner.run(RequestOptions(url: "http://127.0.0.1:\(port)/"))
        #expect(refused.exitCode == 7)
        #expect(refused.stderr.contains("ECONNREFUSED"))

        var silent = RequestOptions(url: "http://127.0.0.1:\(port)/")
        silent.silent = true
        let quiet = await RequestRunner.run(silent)
        #expect(quiet.exitCode == 7 && quiet.stderr.isEmpty)
    }

    /// -o writes the body to a file.
    @Test func outputGoesToFile() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let path = "/tmp/heed-request-test-\(peer.port).txt"
        var options = RequestOptions(url: peer.url("/file"))
        options.output = path
        let result = await RequestRunner.run(options)
        #expect(result.exitCode == 0)
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == "hello")
    }
}
