import ArgumentParser
import Foundation
import HeedTestSupport
import Testing

@testable import HeedCLI

/// Where `heed request` follows curl at the edges: `-I` with `-X`, `-H 'Host:'`, and a body file that fails to read
/// while it is sent.
@Suite(.timeLimit(.minutes(1))) struct RequestCurlEdgeTests {
    // MARK: - -I with -X

    /// `-X POST -I -d a=1` sends POST with its body and reads the answer as HEAD's, as curl: the head is printed and
    /// the 1000-byte body that the response announces but never sends is not waited for.
    @Test func headWithMethodSendsTheMethod() async throws {
        let server = try await HTTPTestServer { _ in .init(headers: [("Content-Length", "1000")], body: []) }
        defer { server.close() }
        let options = try RequestTestSupport.options([
            "-m", "10", "-X", "POST", "-I", "-d", "a=1", "-w", "%{size_download}", server.url("/h"),
        ])
        #expect(options.method == "POST")
        let result = await RequestRunner.run(options)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(server.requests.map(\.method) == ["POST"])
        #expect(server.requests.map { RequestTestSupport.text($0.body) } == ["a=1"])
        #expect(RequestTestSupport.text(result.stdout) == "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0")
    }

    /// `-X GET -I` sends GET and prints the head only, leaving the body the server does send unread.
    @Test func headWithGetLeavesTheBodyUnread() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "the body") }
        defer { server.close() }
        let result = await RequestRunner.run(try RequestTestSupport.options(["-X", "GET", "-I", server.url("/g")]))
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(server.requests.map(\.method) == ["GET"])
        let printed = RequestTestSupport.text(result.stdout)
        #expect(printed.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(printed.hasSuffix("\r\n\r\n"))
        #expect(!printed.contains("the body"))
    }

    /// `-I` with a body and no `-X` is a usage error (exit 2), as in curl ("You asked for both HEAD and POST"): a HEAD
    /// request has no body. With `-X` the method is named and the body goes with it.
    @Test(arguments: [
        ["-d", "a=1"], ["--data-binary", "@body.bin"], ["--json", "{}"], ["-d", "a", "--data-binary", "b"],
    ])
    func headWithBodyIsAUsageError(_ body: [String]) throws {
        let url = "http://127.0.0.1:1/"
        let error = #expect(throws: (any Error).self) { try HeedCommand.parseAsRoot(["request", "-I"] + body + [url]) }
        if let error {
            #expect(HeedCommand.exitCode(for: error) == .validationFailure)
            #expect(
                HeedCommand.message(for: error).contains("-I/--head sends HEAD"),
                "\(HeedCommand.message(for: error))"
            )
        }
        let named = try RequestTestSupport.options(["-I", "-X", "PUT"] + body + [url])
        #expect(named.method == "PUT" && named.body != nil && named.skipsResponseBody)
    }

    /// `heed get -I` with a body is refused as `heed request -I` is; `heed post -I` and `heed put -I` keep their
    /// method, as an `-X` would, and send the body; a later `-X` still wins.
    @Test func shortCommandsHeadWithBody() throws {
        let url = "http://127.0.0.1:1/"
        #expect(throws: (any Error).self) { try GetCommand.requestCommand(["-I", "-d", "x", url]) }
        let post = RequestOptions(command: try PostCommand.requestCommand(["-I", "-d", "x", url]))
        #expect(post.method == "POST" && post.skipsResponseBody && post.body == .inline(Array("x".utf8)))
        let put = RequestOptions(command: try PutCommand.requestCommand(["-I", "--data-binary", "y", url]))
        #expect(put.method == "PUT" && put.body == .inline(Array("y".utf8)))
        let patch = RequestOptions(command: try PutCommand.requestCommand(["-I", "-X", "PATCH", "-d", "z", url]))
        #expect(patch.method == "PATCH")
        let getWithMethod = RequestOptions(
            command: try GetCommand.requestCommand(["-X", "POST", "-I", "-d", "x", url])
        )
        #expect(getWithMethod.method == "POST")
    }

    /// `heed get -I` sends HEAD, as `heed request -I` does; `heed post -I` keeps POST, as `-X POST -I`; an `-X`
    /// wins over the preset.
    @Test func shortCommandsWithHead() throws {
        let url = "http://127.0.0.1:1/"
        let get = RequestOptions(command: try GetCommand.requestCommand(["-I", url]))
        #expect(get.method == "HEAD" && get.headOnly && !get.skipsResponseBody)
        let post = RequestOptions(command: try PostCommand.requestCommand(["-I", url]))
        #expect(post.method == "POST" && post.skipsResponseBody)
        #expect(RequestOptions(command: try GetCommand.requestCommand([url])).method == "GET")
        #expect(RequestOptions(command: try GetCommand.requestCommand(["-X", "PUT", url])).method == "PUT")
    }

    // MARK: - Host

    /// `-H 'Host:'` sends no Host field at all, as curl, and -v says the request is not valid HTTP/1.1.
    @Test func hostRemoval() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["-v", "-H", "Host:", peer.url("/nohost")])
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        let head = RequestTestSupport.head(result.stdout)
        #expect(head.hasPrefix("GET /nohost HTTP/1.1\r\n"))
        #expect(!head.lowercased().contains("\r\nhost:"), "\(head)")
        #expect(result.stderr.contains("without a Host field"), "\(result.stderr)")
    }

    /// `-H 'Host: other.example'` replaces the URL's authority: one Host field, the given one, and no note.
    @Test func hostReplacement() async throws {
        let peer = try EchoPeer.start()
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try RequestTestSupport.options(["-v", "-H", "Host: other.example", peer.url("/")])
        )
        #expect(result.exitCode == 0, "\(result.stderr)")
        let hosts = RequestTestSupport.head(result.stdout).split(separator: "\r\n").filter {
            $0.lowercased().hasPrefix("host:")
        }
        #expect(hosts == ["Host: other.example"])
        #expect(!result.stderr.contains("Host field"))
    }

    // MARK: - Body file read failures

    /// A `--data-binary @file` whose reads fail while it is sent fails with the read's own error and exit 26. The
    /// peer makes the reads fail: on the request head (sent with Expect: 100-continue, before the body is opened) it
    /// puts a directory in the file's place, then answers 100 Continue; the body opens the directory and `pread`
    /// fails with EISDIR.
    @Test func bodyFileReadFailure() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heed-\(UUID().uuidString)").path
        try Data("12345".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (result, swapped) = try await RequestTestSupport.sendBodyFile(path) {
            (try? FileManager.default.removeItem(atPath: path)) != nil
                && (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)) != nil
        }
        #expect(swapped == true)
        #expect(result.exitCode == 26, "\(result.stderr)")
        #expect(
            result.stderr.contains("could not read the body file '\(path)': EISDIR (Is a directory)"),
            "\(result.stderr)"
        )
    }
}
