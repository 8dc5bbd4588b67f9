import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

/// Responses that break the rules at their edges: bytes after a complete response, a body that runs until the
/// connection closes but ends in a reset, a status code below 100, and a consumer that reads slowly.
@Suite struct ResponseHandlingTests {
    /// Bytes after a complete response cannot be the start of the next one: the connection closes and the next
    /// request goes out on a new one (before, it went out on the broken connection, whose decoder then refused
    /// everything, and the request came back as a reset).
    @Test func bytesAfterACompleteResponseRetireTheConnection() async throws {
        let heads = PeerReports<(connection: Int, head: String)>()
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            for _ in 0..<4 {
                guard let head = socket.readHead() else { return }
                heads.send((index, head))
                let extra = index == 0 ? "XYZ" : ""
                guard socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\(extra)") else { return }
            }
        }
        defer { peer.finish() }
        let bodies = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            // On the connection's event loop, so that the first response's continuation runs after the loop has
            // read all of it, the stray bytes included: no race with the next request.
            try await client.withEventLoopAffinity {
                let first = try await client.execute(Loopback.request(peer, method: .get, path: "/first"))
                let second = try await client.execute(Loopback.request(peer, method: .post, path: "/second"))
                return [String(buffer: first.body), String(buffer: second.body)]
            }
        }
        #expect(bodies == ["ok", "ok"])
        let first = try #require(await heads.next())
        let second = try #require(await heads.next())
        #expect(first.connection == 0 && first.head.hasPrefix("GET /first"))
        #expect(second.connection == 1 && second.head.hasPrefix("POST /second"), "\(second)")
    }

    /// A body without a length runs until the connection closes; ended by a reset instead of a close it may be
    /// short, so the request fails as truncated rather than returning a short body as if it were whole.
    @Test func closeDelimitedBodyEndedByAResetFails() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            let body = String(repeating: "b", count: 1000)
            guard socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n\(body)") else { return }
            socket.waitUntilSent()
            socket.closeWithReset()
        }
        defer { peer.finish() }
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
                try await client.execute(Loopback.request(peer, method: .get, path: "/"))
            }
        }
        #expect(error?.shortDescription == "response-truncated", "\(String(describing: error))")
    }

    /// A status code below 100 is no answer: a protocol violation, and the request is not sent again (before, the
    /// client looked for a head it never kept and reported "the server refused the request's expectation twice").
    @Test func statusBelow100IsAViolation() async throws {
        let requests = PeerReports<String>()
        let peer = try ScriptedPeer(connections: 3) { socket, _ in
            guard let head = socket.readHead() else { return }
            requests.send(head)
            _ = socket.write("HTTP/1.1 042 Odd\r\nContent-Length: 0\r\n\r\n")
            _ = socket.drainToEOF()
        }
        defer { peer.finish() }
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
                try await client.execute(Loopback.request(peer, method: .get, path: "/"))
            }
        }
        #expect(error?.shortDescription == "protocol-violation", "\(String(describing: error))")
        #expect(error?.description.contains("status code 42") == true, "\(String(describing: error))")
        #expect(await requests.next() != nil)
        #expect(await requests.next(within: .milliseconds(200)) == nil, "the request was sent again")
    }

    /// A consumer that reads slowly holds the connection's reading back; that silence is its own, and the read
    /// timeout does not count it against the server (before: the request failed with a read timeout).
    @Test func slowConsumerIsNoReadTimeout() async throws {
        let size = 8 * 1024 * 1024
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            guard socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n") else { return }
            _ = socket.write([UInt8](repeating: 7, count: size))
            _ = socket.drainToEOF()
        }
        defer { peer.finish() }
        var configuration = Loopback.configuration()
        // A second, not less: the peer's thread may be descheduled for hundreds of milliseconds on a loaded machine
        // while the client is reading (not paused), and that silence would rightly be the server's.
        configuration.readIdleTimeout = .seconds(1)
        let received = try await HTTPClient.withClient(configuration: configuration) { client in
            try await client.execute(Loopback.request(peer, method: .get, path: "/")) { response in
                var total = 0
                var paused = false
                for try await part in response.body {
                    total += part.readableBytes
                    if !paused {
                        // The slow consumer itself: it stops reading for three read timeouts.
                        paused = true
                        try await Task.sleep(for: .seconds(3))
                    }
                }
                return total
            }
        }
        #expect(received == size)
    }

    /// A server that closes every connection as soon as it accepts it: the request fails as closed without a
    /// response, whether the close arrived before the exchange started or during it (before, the first case
    /// ended in "the HTTP client was shut down").
    @Test func serverClosingEveryConnectionAtOnce() async throws {
        let peer = try ScriptedPeer(connections: 3) { socket, _ in socket.close() }
        defer { peer.finish() }
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
                try await client.execute(Loopback.request(peer, method: .get, path: "/"))
            }
        }
        #expect(error?.shortDescription == "closed-without-response", "\(String(describing: error))")
    }
}
