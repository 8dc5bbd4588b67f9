import HTTPTypes
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

@testable import HeedClient

/// The connection pool on loopback: the per-host limit and waiting for a connection, the retry on a fresh
/// connection after a stale one, and shutdown.
@Suite struct ConnectionPoolTests {
    static func get(_ server: HTTPTestServer) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: "http", authority: server.authority, path: "/")
    }

    static func key(_ server: HTTPTestServer) -> ConnectionKey {
        ConnectionKey(scheme: "http", host: "127.0.0.1", port: server.port)
    }

    static func configuration(limit: Int) -> HTTPClient.Configuration {
        var configuration = Loopback.configuration()
        configuration.maxConnectionsPerHost = limit
        return configuration
    }

    /// Whether `condition` holds within `timeout`; it is checked every 2 ms (for states that raise no event of
    /// their own, such as a request queued in the pool).
    static func eventually(within timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return condition()
    }

    /// A server that holds every response until the test lets it go (one `send` per response, bounded by 10 s).
    static func holdingServer(_ release: PeerReports<Void>) async throws -> HTTPTestServer {
        try await HTTPTestServer.answeringLater { request in
            _ = await release.next(within: .seconds(10))
            return .init(text: "c\(request.connection)")
        }
    }

    // MARK: - The limit

    /// 50 concurrent GETs with a limit of 4, against a server that holds the responses until the other 46 wait in
    /// the pool: the server sees 4 connections and every GET succeeds.
    @Test func concurrentRequestsStayWithinTheLimit() async throws {
        let release = PeerReports<Void>()
        let server = try await Self.holdingServer(release)
        defer { server.close() }
        let statuses = try await HTTPClient.withClient(configuration: Self.configuration(limit: 4)) { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await client.execute(Self.get(server), timeout: .seconds(20)).status.code }
                }
                let saturated = await Self.eventually {
                    server.requests.count == 4 && client.pool.waitingCount(for: Self.key(server)) == 46
                }
                #expect(saturated, "\(server.requests.count) requests at the server")
                for _ in 0..<50 { release.send(()) }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(client.pool.waitingCount(for: Self.key(server)) == 0)
                return statuses
            }
        }
        #expect(statuses == Array(repeating: 200, count: 50))
        #expect(server.connectionsAccepted <= 4)
    }

    /// With one connection busy and a limit of 1, a request whose deadline passes while it waits fails with a
    /// timeout that names the limit, without connecting.
    @Test func aWaiterFailsAtItsDeadline() async throws {
        let release = PeerReports<Void>()
        let server = try await Self.holdingServer(release)
        defer { server.close() }
        try await HTTPClient.withClient(configuration: Self.configuration(limit: 1)) { client in
            async let first = client.execute(Self.get(server), timeout: .seconds(10))
            #expect(await Self.eventually { server.requests.count == 1 })
            let error = await ClientFailureTests.error {
                try await client.execute(Self.get(server), timeout: .milliseconds(200))
            }
            #expect(error?.shortDescription == "connection-pool-timeout")
            #expect(error?.isTimeout == true)
            #expect(error?.description.contains("the only connection allowed to 127.0.0.1:\(server.port)") == true)
            // The timeline shows the wait, and nothing sent.
            let kinds = error?.timeline?.events.map(\.kind) ?? []
            #expect(kinds.contains(.waitingForConnection(limit: 1)), "\(kinds)")
            #expect(!kinds.contains { if case .connecting = $0 { true } else { false } })
            release.send(())
            let status = try await first.status.code
            #expect(status == 200)
        }
        #expect(server.connectionsAccepted == 1)
    }

    /// A waiting request whose task is cancelled fails at once and leaves no trace: the next request gets the
    /// connection when it comes back.
    @Test func aCancelledWaiterLeavesNoTrace() async throws {
        let release = PeerReports<Void>()
        let server = try await Self.holdingServer(release)
        defer { server.close() }
        let key = Self.key(server)
        try await HTTPClient.withClient(configuration: Self.configuration(limit: 1)) { client in
            async let first = client.execute(Self.get(server), timeout: .seconds(10))
            #expect(await Self.eventually { server.requests.count == 1 })
            let cancelled = Task { try await client.execute(Self.get(server), timeout: .seconds(10)) }
            #expect(await Self.eventually { client.pool.waitingCount(for: key) == 1 })
            cancelled.cancel()
            let error = await ClientFailureTests.error { try await cancelled.value }
            #expect(error?.shortDescription == "cancelled")
            #expect(error?.description.contains("cancelled while it waited") == true)
            #expect(client.pool.waitingCount(for: key) == 0)
            async let next = client.execute(Self.get(server), timeout: .seconds(10))
            #expect(await Self.eventually { client.pool.waitingCount(for: key) == 1 })
            release.send(())
            release.send(())
            let statuses = [try await first.status.code, try await next.status.code]
            #expect(statuses == [200, 200])
        }
        #expect(server.connectionsAccepted == 1)
        #expect(server.requests.count == 2)
    }

    /// With a limit of 1 and a server that closes every connection after its response, a waiting request gets the
    /// slot when the connection closes, and connects.
    @Test func aClosedConnectionGivesItsSlotToAWaiter() async throws {
        let release = PeerReports<Void>()
        let server = try await HTTPTestServer.answeringLater { request in
            _ = await release.next(within: .seconds(10))
            return .init(headers: [("Connection", "close")], text: "c\(request.connection)")
        }
        defer { server.close() }
        let bodies = try await HTTPClient.withClient(configuration: Self.configuration(limit: 1)) { client in
            async let first = client.execute(Self.get(server), timeout: .seconds(10))
            #expect(await Self.eventually { server.requests.count == 1 })
            async let second = client.execute(Self.get(server), timeout: .seconds(10))
            #expect(await Self.eventually { client.pool.waitingCount(for: Self.key(server)) == 1 })
            release.send(())
            release.send(())
            return [String(buffer: try await first.body), String(buffer: try await second.body)]
        }
        #expect(bodies == ["c0", "c1"])
        #expect(server.connectionsAccepted == 2)
    }

    // MARK: - Retries

    /// The server answers the first request on each connection and closes the connection when the next one
    /// arrives on it. After two concurrent GETs (two pooled connections), a third GET hits a closed connection and
    /// is retried on a new connection, not on the other pooled one (which the server would close as well).
    @Test func aStaleConnectionIsRetriedOnAFreshConnection() async throws {
        let release = PeerReports<Void>()
        let server = try await HTTPTestServer.answeringLater { request in
            guard request.requestsBefore == 0 else { return .closeWithoutAnswer }
            // The first two GETs are held until both arrived, so that they open two connections.
            if request.connection < 2 { _ = await release.next(within: .seconds(10)) }
            return .init(text: "c\(request.connection)")
        }
        defer { server.close() }
        let third = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            async let first = client.execute(Self.get(server), timeout: .seconds(10))
            async let second = client.execute(Self.get(server), timeout: .seconds(10))
            #expect(await Self.eventually { server.requests.count == 2 })
            release.send(())
            release.send(())
            let bodies = [String(buffer: try await first.body), String(buffer: try await second.body)]
            #expect(bodies.sorted() == ["c0", "c1"])
            return try await client.execute(Self.get(server), timeout: .seconds(10))
        }
        #expect(third.status.code == 200)
        #expect(String(buffer: third.body) == "c2")
        #expect(server.connectionsAccepted == 3)
    }

    // MARK: - Shutdown

    /// A request waiting for a connection when the client's scope ends fails with `shutdown`; the request under
    /// way completes.
    @Test func waitersFailAtShutdown() async throws {
        let release = PeerReports<Void>()
        let server = try await Self.holdingServer(release)
        defer { server.close() }
        let (first, waiting) = try await HTTPClient.withClient(configuration: Self.configuration(limit: 1)) { client in
            let first = Task { try await client.execute(Self.get(server), timeout: .seconds(10)) }
            #expect(await Self.eventually { server.requests.count == 1 })
            let waiting = Task { try await client.execute(Self.get(server), timeout: .seconds(10)) }
            #expect(await Self.eventually { client.pool.waitingCount(for: Self.key(server)) == 1 })
            return (first, waiting)
        }
        let error = await ClientFailureTests.error { try await waiting.value }
        #expect(error?.shortDescription == HTTPClientError.shutdown.shortDescription)
        #expect(error?.description == HTTPClientError.shutdown.description)
        release.send(())
        #expect(try await first.value.status.code == 200)
        #expect(server.connectionsAccepted == 1)
    }

    /// A client that escaped its `withClient` scope refuses requests with `shutdown`, without connecting.
    @Test func aClientUsedAfterItsScopeThrowsShutdown() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        defer { server.close() }
        let escaped = try await HTTPClient.withClient(configuration: Loopback.configuration()) { $0 }
        let error = await ClientFailureTests.error { try await escaped.execute(Self.get(server), timeout: .seconds(5)) }
        #expect(error == .shutdown)
        #expect(error?.description.contains("withClient scope ended") == true)
        #expect(server.connectionsAccepted == 0)
    }

    /// Shutdown cancels the idle sweep (armed by the pooled connection, 60 s ahead), which kept the pool alive.
    @Test func shutdownCancelsTheIdleSweep() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        defer { server.close() }
        weak var pool: ConnectionPool?
        try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            let response = try await client.execute(Self.get(server), timeout: .seconds(5))
            #expect(response.status.code == 200)
            pool = client.pool
        }
        #expect(await Self.eventually(within: .seconds(5)) { pool == nil })
    }
}
