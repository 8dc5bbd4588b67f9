import HTTPTypes
import HeedCore
import HeedTestSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeedClient

/// A request whose task is cancelled before its exchange starts sends nothing, throws the client's
/// "cancelled" error and leaves its connection to the pool.
@Suite struct RequestCancellationTests {
    /// `request` run by a task that is cancelled before it calls `execute`.
    static func cancelledBeforeExecute(
        _ client: HTTPClient,
        _ request: HTTPRequest
    ) async -> Result<HTTPClientResponse, any Error> {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(request, timeout: .seconds(10))
        }
        return await task.result
    }

    /// The task is cancelled before `execute`: no connection is opened, no request head is sent, and the error is
    /// the client's "cancelled", naming the request.
    @Test func cancelledBeforeExecuteSendsNothing() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        defer { server.close() }
        let request = ConnectionPoolTests.get(server)
        let result = try await HTTPClient.withClient(configuration: ConnectionPoolTests.configuration(limit: 1)) {
            await Self.cancelledBeforeExecute($0, request)
        }
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected the client's cancellation error, got \(result)")
            return
        }
        #expect(error.shortDescription == "cancelled")
        #expect(error.exchangeFailure?.reason == .cancelled)
        #expect(error.description.contains("GET http://\(server.authority)/"), "\(error.description)")
        #expect(server.requests.isEmpty)
        #expect(server.connectionsAccepted == 0)
    }

    /// With one connection allowed per host, a cancelled request between two others leaves the slot and the pooled
    /// connection alone: the next request reuses the connection, and the server saw only the two requests.
    @Test func requestAfterACancelledOneReusesThePool() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        defer { server.close() }
        let request = ConnectionPoolTests.get(server)
        try await HTTPClient.withClient(configuration: ConnectionPoolTests.configuration(limit: 1)) { client in
            let first = try await client.execute(request, timeout: .seconds(10))
            #expect(String(buffer: first.body) == "ok")
            let cancelled = await Self.cancelledBeforeExecute(client, request)
            guard case .failure(let error as HTTPClientError) = cancelled else {
                Issue.record("expected the client's cancellation error, got \(cancelled)")
                return
            }
            #expect(error.shortDescription == "cancelled")
            let third = try await client.execute(request, timeout: .seconds(10))
            #expect(String(buffer: third.body) == "ok")
        }
        #expect(server.requests.count == 2)
        #expect(server.connectionsAccepted == 1)
    }

    /// A cancellation that reaches the exchange after `start` was queued but before it ran: `start` sends nothing,
    /// and the exchange fails as cancelled before start (the client then gives the connection back to the pool).
    @Test func startAfterCancellationSendsNothing() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false)
        // What the task's cancellation handler does: mark, then queue `cancel` (which finds no exchange yet).
        exchange.markCancelled()
        harness.handler.cancel(exchange)
        harness.handler.start(exchange)
        try harness.expectNothingWritten()
        guard case .failure(ClientExchange.Failure.cancelledBeforeStart) = harness.result(of: exchange.response) else {
            Issue.record("expected the exchange to fail as cancelled before start")
            return
        }
        #expect(harness.channel.isActive)
        // The connection is still free for the next exchange.
        let next = harness.exchange(method: .GET, hasBody: false)
        harness.handler.start(next)
        try harness.expectHead()
        try harness.expectEnd()
    }
}
