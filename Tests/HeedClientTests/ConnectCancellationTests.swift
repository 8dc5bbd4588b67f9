import HTTPTypes
import HeedClient
import HeedTestSupport
import Testing

/// Cancelling a request while its TCP connect is under way ends the connect at once, with the client's
/// "cancelled" error, rather than when the connect timeout fires.
@Suite struct ConnectCancellationTests {
    #if os(Linux)
    /// The connect is under way (the kernel dropped its SYN) when the task is cancelled: the request fails with
    /// "cancelled" well before the 10 s connect timeout, and nothing waits for it.
    @Test func cancellingDuringTheTCPConnectEndsIt() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        let before = try #require(FullBacklogListener.listenOverflows())
        var configuration = Loopback.configuration()
        configuration.connectTimeout = .seconds(10)
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(listener.port)", path: "/")
        let task = Task {
            try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(request, timeout: .seconds(30))
            }
        }
        // The client's SYN was dropped: its connect is under way (a drop by another test would only cancel early).
        #expect(await ConnectionPoolTests.eventually { (FullBacklogListener.listenOverflows() ?? before) > before })
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        let result = await task.result
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected the client's cancellation error, got \(result)")
            return
        }
        #expect(error.shortDescription == "cancelled", "\(error)")
        #expect(error.detail.contains("GET http://127.0.0.1:\(listener.port)/"), "\(error.detail)")
        #expect(clock.now - cancelledAt < .seconds(5))
    }
    #endif
}
