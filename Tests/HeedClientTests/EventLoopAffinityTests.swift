import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

/// `HTTPClient.withEventLoopAffinity`: the task runs on an event loop, its connections open on that
/// loop, and the pool hands it a connection of that loop when one is idle.
@Suite struct EventLoopAffinityTests {
    /// The local address of the connection an exchange went out on, from its timeline.
    static func localAddress(_ response: HTTPClientResponse) -> String? {
        for event in response.timeline?.events ?? [] {
            switch event.kind {
            case .connected(let local, _), .reusedConnection(let local, _, _): return local
            default: continue
            }
        }
        return nil
    }

    /// The local address of the pooled connection an exchange reused; `nil` if it opened a new one.
    static func reusedAddress(_ response: HTTPClientResponse) -> String? {
        for event in response.timeline?.events ?? [] {
            if case .reusedConnection(let local, _, _) = event.kind { return local }
        }
        return nil
    }

    static func get(_ server: HTTPTestServer) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: "http", authority: server.authority, path: "/")
    }

    /// Code inside runs on the chosen loop before and after each request, and every request of a
    /// sequence goes out on one keep-alive connection.
    @Test func bodyRunsOnTheLoopAndKeepsOneConnection() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        let loop = group.next()
        let addresses = try await HTTPClient.withClient(eventLoopGroup: group) { client in
            try await client.withEventLoopAffinity(on: loop) {
                var addresses: [String?] = []
                for _ in 0..<20 {
                    #expect(loop.inEventLoop)
                    let response = try await client.execute(Self.get(server), timeout: .seconds(5))
                    #expect(loop.inEventLoop)
                    #expect(String(buffer: response.body) == "ok")
                    addresses.append(Self.localAddress(response))
                }
                return addresses
            }
        }
        await server.shutdown()
        try await group.shutdownGracefully()
        #expect(addresses.count == 20)
        #expect(addresses.allSatisfy { $0 != nil && $0 == addresses.first })
        #expect(server.requests.count == 20)
    }

    /// With an idle connection on each of two loops, a task on either loop gets its own loop's
    /// connection, whichever went idle last.
    @Test func poolPrefersAConnectionOfTheCallersLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        let request = Self.get(server)
        let (first, second, reuses) = try await HTTPClient.withClient(eventLoopGroup: group) { client in
            // Task A holds its connection (loop 0) until task B has opened its own (loop 1).
            let (holding, holds) = AsyncStream.makeStream(of: Void.self)
            let (opened, signal) = AsyncStream.makeStream(of: Void.self)
            async let a: String? = client.withEventLoopAffinity(on: loops[0]) {
                try await client.execute(request) { response in
                    holds.yield()
                    for await _ in opened { break }
                    for try await _ in response.body {}
                    return nil
                }
            }
            for await _ in holding { break }
            let b = try await client.withEventLoopAffinity(on: loops[1]) {
                try await client.execute(request, timeout: .seconds(5))
            }
            signal.yield()
            signal.finish()
            _ = try await a
            // Both connections are idle now; loop 0's went idle last. Ask from loop 1, then loop 0.
            var reuses: [String?] = []
            for loop in [loops[1], loops[0], loops[1]] {
                let response = try await client.withEventLoopAffinity(on: loop) {
                    try await client.execute(request, timeout: .seconds(5))
                }
                reuses.append(Self.reusedAddress(response))
            }
            return (Self.localAddress(b), reuses[1], reuses)
        }
        await server.shutdown()
        try await group.shutdownGracefully()
        let connectionOfLoop1 = try #require(first)
        #expect(reuses[0] == connectionOfLoop1)
        #expect(reuses[2] == connectionOfLoop1)
        // The other pooled connection (task A's), not a new one.
        #expect(second != nil)
        #expect(second != connectionOfLoop1)
    }

    /// On the loop, an upload still hears an early 413 (reset or lingering close) and a streamed response body
    /// still streams: the exchange works the same with the caller on the connection's thread.
    @Test(arguments: [false, true])
    func earlyRejectionAndStreamingOnTheLoop(linger: Bool) async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            _ = socket.readHead()
            if index == 0 {
                socket.write(Loopback.rejection(size: 4 * 1024 * 1024))
                if linger {
                    socket.shutdownWrite()
                    socket.drainToEOF()
                    socket.close()
                } else {
                    socket.waitUntilSent()
                    socket.closeWithReset()
                }
            } else {
                let body = [UInt8](repeating: UInt8(ascii: "s"), count: 1024 * 1024)
                socket.write(Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
                socket.drainToEOF()
                socket.close()
            }
        }
        defer { peer.finish() }
        let (rejection, streamed) = try await HTTPClient.withClient(configuration: Loopback.configuration()) {
            client in
            try await client.withEventLoopAffinity {
                let rejection = try await client.execute(
                    Loopback.request(peer),
                    body: .bytes(Loopback.body(32 * 1024 * 1024)),
                    timeout: .seconds(20)
                )
                let streamed = try await client.execute(Loopback.request(peer, method: .get, path: "/big")) {
                    response in
                    var total = 0
                    for try await part in response.body { total += part.readableBytes }
                    return total
                }
                return (rejection, streamed)
            }
        }
        #expect(rejection.status.code == 413)
        #expect(rejection.body.readableBytes == 4 * 1024 * 1024)
        #expect(rejection.requestBodyStoppedEarly)
        #expect(rejection.requestBodyBytesSent < 32 * 1024 * 1024)
        #expect(streamed == 1024 * 1024)
    }
}
