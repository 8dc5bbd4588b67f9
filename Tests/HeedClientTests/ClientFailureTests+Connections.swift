import Foundation
import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

/// Keep-alive reuse, stale keep-alive connections, and request bodies of unknown length or from a file, on loopback.
@Suite struct ClientConnectionTests {
    /// Serves `count` requests on a connection, answering each with `c<connection>r<request>`.
    static func serve(_ socket: ScriptedSocket, connection: Int, count: Int) {
        for request in 1...count {
            guard socket.readHead() != nil else { return }
            socket.write(ClientFailureTests.response("c\(connection)r\(request)"))
        }
    }

    /// Two requests in a row share one keep-alive connection.
    @Test func keepAliveReuse() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            Self.serve(socket, connection: index, count: 2)
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let bodies = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            var bodies: [String] = []
            for _ in 0..<2 {
                let response = try await client.execute(ClientFailureTests.get(peer), timeout: .seconds(5))
                bodies.append(String(buffer: response.body))
            }
            return bodies
        }
        #expect(bodies == ["c0r1", "c0r2"])
    }

    /// The server closes a keep-alive connection as the next GET arrives: the GET is retried on a new connection.
    @Test func staleKeepAliveGetIsRetried() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            Self.serve(socket, connection: index, count: 1)
            if index == 0 {
                _ = socket.readHead()  // the second request, which this connection will never answer
            } else {
                socket.drainToEOF()
            }
            socket.close()
        }
        defer { peer.finish() }
        let bodies = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            let first = try await client.execute(ClientFailureTests.get(peer), timeout: .seconds(5))
            let second = try await client.execute(ClientFailureTests.get(peer), timeout: .seconds(5))
            return [String(buffer: first.body), String(buffer: second.body)]
        }
        #expect(bodies == ["c0r1", "c1r1"])
    }

    /// The same with a POST whose streamed body cannot be produced again: it is not retried.
    @Test func staleKeepAlivePostWithStreamIsNotRetried() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            Self.serve(socket, connection: index, count: 1)
            if index == 0 {
                _ = socket.readHead()
                socket.discard(5)
            } else {
                socket.drainToEOF()
            }
            socket.close()
        }
        defer { peer.finish() }
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
                let first = try await client.execute(ClientFailureTests.get(peer), timeout: .seconds(5))
                #expect(String(buffer: first.body) == "c0r1")
                let (parts, continuation) = AsyncStream<ByteBuffer>.makeStream()
                continuation.yield(ByteBuffer(string: "hello"))
                continuation.finish()
                return try await client.execute(
                    Loopback.request(peer),
                    body: .stream(parts, length: 5),
                    timeout: .seconds(5)
                )
            }
        }
        #expect(error?.shortDescription == "closed-without-response")
        #expect(error?.exchangeFailure?.bodyBytesSent == 5)
        #expect(error?.description.contains("POST") == true)
    }

    // MARK: - Bodies

    /// A streamed body of unknown length goes out chunked; the peer decodes the chunks and answers the byte count.
    @Test func chunkedBodyOfUnknownLength() async throws {
        let heads = PeerReports<String>()
        let peer = try ScriptedPeer { socket, _ in
            heads.send(socket.readHead() ?? "")
            var total = 0
            var chunks = 0
            while let line = socket.readLine(),
                let size = line.split(separator: ";").first.flatMap({ Int($0, radix: 16) })
            {
                if size == 0 {
                    _ = socket.readLine()  // the empty line after the (absent) trailers
                    break
                }
                total += socket.read(size).count
                chunks += 1
                guard socket.readLine() == "" else { break }
            }
            socket.write(ClientFailureTests.response("\(total) in \(chunks)", close: true))
            socket.close()
        }
        defer { peer.finish() }
        let (parts, continuation) = AsyncStream<ByteBuffer>.makeStream()
        for size in [1000, 2000, 3] { continuation.yield(Loopback.body(size)) }
        continuation.finish()
        let response = try await HTTPClient.withClient(configuration: Loopback.configuration()) {
            try await $0.execute(Loopback.request(peer), body: .stream(parts), timeout: .seconds(5))
        }
        #expect(String(buffer: response.body) == "3003 in 3")
        #expect(response.requestBodyBytesSent == 3003)
        let head = try #require(await heads.next()).lowercased()
        #expect(head.contains("transfer-encoding: chunked"))
        #expect(!head.contains("content-length"))
    }

    /// A file body is sent whole with its Content-Length; the peer receives exactly the file's bytes.
    @Test func fileBody() async throws {
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heed-body-\(UUID()).bin").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let received = PeerReports<(head: String, body: [UInt8])>()
        let peer = try ScriptedPeer { socket, _ in
            let head = socket.readHead() ?? ""
            let body = socket.read(bytes.count)
            received.send((head, body))
            socket.write(ClientFailureTests.response("ok", close: true))
            socket.close()
        }
        defer { peer.finish() }
        let body = try await HTTPClientRequestBody.file(path: path)
        #expect(body.length == Int64(bytes.count))
        let response = try await HTTPClient.withClient(configuration: Loopback.configuration()) {
            try await $0.execute(Loopback.request(peer), body: body, timeout: .seconds(5))
        }
        #expect(String(buffer: response.body) == "ok")
        #expect(response.requestBodyBytesSent == Int64(bytes.count))
        let report = try #require(await received.next())
        #expect(report.head.contains("Content-Length: \(bytes.count)"))
        #expect(report.body == bytes)
    }

    /// A file whose reads fail while it is sent (a directory took its name after its size was read: it opens, and
    /// `pread` fails with EISDIR) fails the request with a sentence naming the file and the system's error.
    @Test func fileBodyReadFails() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heed-body-\(UUID()).bin").path
        try Data("12345".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let body = try await HTTPClientRequestBody.file(path: path)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        do {
            let response = try await HTTPClient.withClient(configuration: Loopback.configuration()) {
                try await $0.execute(Loopback.request(peer), body: body, timeout: .seconds(5))
            }
            Issue.record("expected a read failure, got \(response.status)")
        } catch let error as HTTPClientError {
            #expect(error.shortDescription == "request-body-source-failed")
            #expect(
                error.description.contains("could not read the body file '\(path)': EISDIR (Is a directory)"),
                "\(error.description)"
            )
        }
    }

    /// A file that cannot be opened is refused before anything is sent, naming the path and the system's error:
    /// ENOENT for a missing one, ENOTDIR for a path through a regular file.
    @Test func unopenableFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heed-body-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/file.txt"))
        let cases = [
            (directory + "/missing.bin", "ENOENT (No such file or directory)"),
            (directory + "/file.txt/body.bin", "ENOTDIR (Not a directory)"),
        ]
        for (path, systemError) in cases {
            do {
                _ = try await HTTPClientRequestBody.file(path: path)
                Issue.record("expected an error for \(path)")
            } catch let error as HTTPClientError {
                #expect(
                    error.description.contains("could not open the body file '\(path)': \(systemError)"),
                    "\(error.description)"
                )
            }
        }
    }
}
