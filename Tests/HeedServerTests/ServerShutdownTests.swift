import HTTPTypes
import HeedClient
import HeedCore
import HeedServer
import NIOCore
import Testing

/// What a kept-alive connection gets once the server has stopped taking work.
@Suite(.timeLimit(.minutes(1))) struct ServerShutdownTests {
    /// A request on a connection kept alive across the server's stop gets a 503 with `Connection: close`,
    /// not silence: nothing would run its handler, and nothing would time it out.
    @Test func keptAliveConnectionGets503AfterStop() async throws {
        let server = HeedServer(configuration: HeedServerConfiguration(host: "127.0.0.1", port: 0)) { _ in
            .accept { _, _ in ServerResponse(status: .ok, text: "ok") }
        }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let running = Task {
            try await server.run { address in
                portSink.yield(address.port ?? 0)
                portSink.finish()
            }
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/")
        let (first, second) = try await HTTPClient.withClient { client in
            let first = try await client.execute(request, timeout: .seconds(10))
            // Stop the server; run returns once the listener is closed and no job is running.
            running.cancel()
            try await running.value
            let second = try await client.execute(request, timeout: .seconds(10))
            return (first, second)
        }
        #expect(first.status == .ok)
        #expect(String(buffer: first.body) == "ok")
        #expect(second.status == .serviceUnavailable)
        #expect(second.head.headerFields[.connection]?.lowercased() == "close")
        // The same kept-alive connection answered (no new connection: the listener is gone).
        let reused = second.timeline?.events.contains { event in
            if case .reusedConnection(_, _, _) = event.kind { return true }
            return false
        }
        #expect(reused == true)
    }
}
