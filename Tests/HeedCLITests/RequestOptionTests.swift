import ArgumentParser
import Foundation
import HeedClient
import HeedTestSupport
import Testing

@testable import HeedCLI

#if canImport(Glibc)
import Glibc
#endif

/// curl's option handling and request building in `heed request`: credentials, the everyday short options, `-H`
/// removal, repeated `-d`, scheme-less URLs and `-x ""`, each run through the parser and the runner.
@Suite(.timeLimit(.minutes(1))) struct RequestOptionTests {
    private static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString)-\(name)").path
    }

    // MARK: - Credentials

    /// `http://u:p@host/` and `-u u:p` both send Basic credentials; an explicit -H Authorization wins.
    @Test func credentialsFromTheURLAndUser() async throws {
        let peer = try EchoPeer.start(connections: 4)
        defer { peer.finish() }
        let inURL = await RequestRunner.run(try RequestTestSupport.options(["http://u:p@127.0.0.1:\(peer.port)/a"]))
        #expect(inURL.exitCode == 0, "\(inURL.stderr)")
        #expect(RequestTestSupport.head(inURL.stdout).contains("\r\nAuthorization: Basic dTpw"))
        #expect(RequestTestSupport.head(inURL.stdout).hasPrefix("GET /a HTTP/1.1\r\n"))

        let user = await RequestRunner.run(try RequestTestSupport.options(["-u", "u:p", peer.url("/b")]))
        #expect(RequestTestSupport.head(user.stdout).contains("\r\nAuthorization: Basic dTpw"))

        // Percent-decoded as curl: u@x:p:q is dUB4OnA6cQ==.
        let encoded = await RequestRunner.run(
            try RequestTestSupport.options(["http://u%40x:p%3Aq@127.0.0.1:\(peer.port)/"])
        )
        #expect(RequestTestSupport.head(encoded.stdout).contains("\r\nAuthorization: Basic dUB4OnA6cQ=="))

        let explicit = await RequestRunner.run(
            try RequestTestSupport.options(["-u", "u:p", "-H", "Authorization: Bearer t", peer.url("/c")])
        )
        let head = RequestTestSupport.head(explicit.stdout)
        #expect(head.contains("\r\nAuthorization: Bearer t"))
        #expect(!head.contains("Basic"))
    }

    /// The URL's password reaches neither the error nor the -v report, for a refused and for a malformed URL.
    @Test func thePasswordIsNeverPrinted() async throws {
        let refused = await RequestRunner.run(try RequestTestSupport.options(["-v", "http://u:s3cr3t@127.0.0.1:1/"]))
        #expect(refused.exitCode == 7)
        #expect(!refused.stderr.isEmpty && !refused.stderr.contains("s3cr3t"))

        let malformed = await RequestRunner.run(
            try RequestTestSupport.options(["-v", "http://u:s3cr3t@127.0.0.1:99999/"])
        )
        #expect(malformed.exitCode == 3)
        #expect(!malformed.stderr.isEmpty && !malformed.stderr.contains("s3cr3t"))
    }

    /// `-u user` without a password is a usage error rather than a prompt.
    @Test func userWithoutPasswordIsRefused() {
        #expect(throws: (any Error).self) { try RequestTestSupport.options(["-u", "alice", "http://127.0.0.1:1/"]) }
    }

    // MARK: - Short options

    /// -m, -A and -e mean what they mean in curl.
    @Test func everydayShortOptions() async throws {
        #expect(try RequestTestSupport.options(["-m", "2.5", "http://127.0.0.1:1/"]).maxTime == 2.5)
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["-A", "agent/7", "-e", "http://from/", peer.url("/")])
        )
        let head = RequestTestSupport.head(result.stdout)
        #expect(head.contains("\r\nUser-Agent: agent/7"))
        #expect(head.contains("\r\nReferer: http://from/"))
        #expect(!head.contains("heed/"))
    }

    /// -I sends HEAD and prints the response head only (with -X, see RequestCurlEdgeTests).
    @Test func headPrintsTheResponseHead() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let options = try RequestTestSupport.options(["-I", peer.url("/h")])
        #expect(options.method == "HEAD")
        let result = await RequestRunner.run(options)
        let printed = RequestTestSupport.text(result.stdout)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(printed.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(printed.hasSuffix("\r\n\r\n"))
        #expect(!printed.contains("HEAD /h"))
    }

    // MARK: - Header removal

    /// `-H 'Name:'` removes the field, Heed's defaults included; `-H 'Name;'` sends it empty.
    @Test func headerRemovalAndEmptyHeaders() async throws {
        let peer = try EchoPeer.start(connections: 2)
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options([
                "-H", "User-Agent:", "-H", "Content-Type:", "-H", "X-Empty;", "-d", "a=1", peer.url(),
            ])
        )
        let head = RequestTestSupport.head(result.stdout).lowercased()
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(!head.contains("user-agent"))
        #expect(!head.contains("content-type"))
        #expect(head.contains("\r\nx-empty:"))

        let added = await RequestRunner.run(
            try RequestTestSupport.options(["-H", "X-Gone: 1", "-H", "X-Gone:", peer.url()])
        )
        #expect(!RequestTestSupport.head(added.stdout).lowercased().contains("x-gone"))
    }

    /// `-H 'Expect:'` stops the automatic `Expect: 100-continue` of a 2 MiB body.
    @Test func expectRemoval() async throws {
        let path = Self.temporaryPath("big")
        try Data(repeating: 0x61, count: 2 * 1024 * 1024).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["--data-binary", "@\(path)", "-H", "Expect:", peer.url()])
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(RequestTestSupport.head(result.stdout).contains("Content-Length: 2097152"))
        #expect(!RequestTestSupport.head(result.stdout).lowercased().contains("expect"))
    }

    // MARK: - Bodies, URLs and transport

    /// Repeated -d and --data-binary pieces are joined with '&'.
    @Test func repeatedDataIsJoined() async throws {
        let peer = try EchoPeer.start(connections: 2)
        defer { peer.finish() }
        let result = await RequestRunner.run(try RequestTestSupport.options(["-d", "a=1", "-d", "b=2", peer.url()]))
        #expect(RequestTestSupport.text(result.stdout).hasSuffix("\r\n\r\na=1&b=2"))
        let mixed = await RequestRunner.run(
            try RequestTestSupport.options(["-d", "a=1", "--data-binary", "c\n3", peer.url()])
        )
        #expect(RequestTestSupport.text(mixed.stdout).hasSuffix("\r\n\r\na=1&c\n3"))
    }

    /// A URL without a scheme is http://, as in curl.
    @Test func urlWithoutScheme() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(try RequestTestSupport.options(["127.0.0.1:\(peer.port)/x"]))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(RequestTestSupport.text(result.stdout).hasPrefix("GET /x HTTP/1.1\r\n"))
    }

    /// The built binary: `heed get 127.0.0.1:PORT/` is http://, and -v on a refused URL never shows its password.
    @Test func binaryTakesSchemeLessURLsAndHidesPasswords() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let run = try await HeedBinary.run(["get", "127.0.0.1:\(peer.port)/bin"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.hasPrefix("GET /bin HTTP/1.1\r\n"))
        let refused = try await HeedBinary.run(["get", "-v", "u:s3cr3t@127.0.0.1:1/"])
        #expect(refused.status == 7)
        #expect(!refused.error.isEmpty && !refused.error.contains("s3cr3t"))
    }

    /// `-x ""` turns the proxy off even with http_proxy set (here to a port nothing listens on).
    @Test func emptyProxyDisablesTheEnvironmentsProxy() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        var options = try RequestTestSupport.options(["-x", "", peer.url("/direct")])
        options.transport.environment = ["http_proxy": "http://127.0.0.1:1"]
        let result = await RequestRunner.run(options)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(RequestTestSupport.text(result.stdout).hasPrefix("GET /direct HTTP/1.1\r\n"))
    }

    /// The CLI has no read-idle timeout (as curl): only --max-time bounds a slow server.
    @Test func noReadIdleTimeout() throws {
        var configuration = HTTPClient.Configuration()
        #expect(configuration.readIdleTimeout != nil)
        try RequestTestSupport.options(["http://127.0.0.1:1/"]).apply(to: &configuration)
        #expect(configuration.readIdleTimeout == nil)
    }

    /// --data-binary @FILE follows a symbolic link, and streams a FIFO of unknown length (chunked).
    @Test func symlinkAndFIFOBodies() async throws {
        let server = try await HTTPTestServer { request in
            .init(
                text: "\(request.header("Transfer-Encoding") ?? "-")|" + String(decoding: request.body, as: UTF8.self)
            )
        }
        defer { server.close() }
        let file = Self.temporaryPath("target")
        let link = Self.temporaryPath("link")
        let fifo = Self.temporaryPath("fifo")
        try Data("linked body".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(mkfifo(fifo, 0o600) == 0)
        defer {
            for path in [file, link, fifo] { try? FileManager.default.removeItem(atPath: path) }
        }
        let linked = await RequestRunner.run(
            try RequestTestSupport.options(["--data-binary", "@\(link)", server.url("/")])
        )
        #expect(RequestTestSupport.text(linked.stdout) == "-|linked body", "\(linked.stderr)")

        let written = DispatchSemaphore(value: 0)
        let writer = Thread {
            // Opening a FIFO for writing waits for a reader: heed, or the cleanup below if heed never opens it.
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data("piped body".utf8))
                try? handle.close()
            }
            written.signal()
        }
        writer.start()
        // --expect never: a body of unknown length otherwise waits a second for a 100 Continue this server never sends.
        let piped = await RequestRunner.run(
            try RequestTestSupport.options(["--expect", "never", "--data-binary", "@\(fifo)", server.url("/")])
        )
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(written.wait(timeout: .now() + 10) == .success)
        if reader >= 0 { close(reader) }
        #expect(RequestTestSupport.text(piped.stdout) == "chunked|piped body", "\(piped.stderr)")
    }
}
