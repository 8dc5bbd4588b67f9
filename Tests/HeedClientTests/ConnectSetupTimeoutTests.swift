import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A peer that accepts TCP and then says nothing: connection setup after the TCP connect (proxy tunnel, TLS
/// handshake) must end by the connect timeout, the request deadline or the caller's cancellation, and close.
@Suite struct ConnectSetupTimeoutTests {
    /// A listener that accepts one connection, reads what the client sends and never writes.
    struct SilentPeer {
        let peer: ScriptedPeer
        /// The size of the client's first write (its ClientHello, or its CONNECT), once it arrives.
        let firstBytes = PeerReports<Int>()
        /// Whether the client closed the connection (EOF) before the peer's 10 s socket timeout.
        let closed = PeerReports<Bool>()

        init() throws {
            let firstBytes = self.firstBytes
            let closed = self.closed
            self.peer = try ScriptedPeer { socket, _ in
                closed.send(Self.readUntilEOF(socket.descriptor, firstBytes: firstBytes))
                socket.close()
            }
        }

        /// Reads until the client closes (`true`), or an error or the socket's 10 s timeout (`false`).
        private static func readUntilEOF(_ descriptor: Int32, firstBytes: PeerReports<Int>) -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var first = true
            for _ in 0..<10_000 {
                let got = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard got > 0 else { return got == 0 }
                if first { firstBytes.send(got) }
                first = false
            }
            return false
        }
    }

    /// The outcome of a request started in its own task, which a test can cancel and waits for within a bound.
    struct Running {
        let task: Task<Void, Never>
        private let outcome = PeerReports<Result<Void, any Error>>()
        private let started = ContinuousClock.now

        init(_ configuration: HTTPClient.Configuration, _ request: HTTPRequest, timeout: Duration? = nil) {
            let outcome = self.outcome
            self.task = Task {
                do {
                    _ = try await HTTPClient.withClient(configuration: configuration) { client in
                        try await client.execute(request, timeout: timeout)
                    }
                    outcome.send(.success(()))
                } catch {
                    outcome.send(.failure(error))
                }
            }
        }

        /// The request's error and how long it took; records an issue if it succeeded or still runs after
        /// `bound` (the hang being fixed: the old code never ended, the watchdog turns that into a failure).
        /// The upper bounds in these tests are generous (a loaded 2-core machine runs the suite in parallel): what
        /// they check is that setup ends, and well before the 10 s a hang's socket timeout or the 10 s connect
        /// timeout would take; the lower bounds check it did not end before its limit.
        func error(within bound: Duration = .seconds(9)) async -> (error: HTTPClientError, elapsed: Duration)? {
            guard let result = await self.outcome.next(within: bound) else {
                Issue.record("the request still ran after \(bound)")
                return nil
            }
            let elapsed = ContinuousClock.now - self.started
            guard case .failure(let error) = result, let clientError = error as? HTTPClientError else {
                Issue.record("expected an HTTPClientError, got \(result)")
                return nil
            }
            return (clientError, elapsed)
        }
    }

    static func configuration(connectTimeout: Duration) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = connectTimeout
        configuration.readIdleTimeout = .seconds(30)
        return configuration
    }

    static func request(_ authority: String) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: "https", authority: authority, path: "/")
    }

    static func timeouts(in error: HTTPClientError) -> [TimeoutKind] {
        (error.timeline?.events ?? []).compactMap { event in
            if case .timeoutFired(let kind) = event.kind { return kind }
            return nil
        }
    }

    /// An https:// server that accepts and never answers the ClientHello: the request fails after the 1 s connect
    /// timeout with an error that names the TLS handshake and the address, and the connection is closed.
    @Test func silentTLSServerEndsAtTheConnectTimeout() async throws {
        let silent = try SilentPeer()
        defer { silent.peer.finish() }
        let running = Running(
            Self.configuration(connectTimeout: .seconds(1)),
            Self.request("127.0.0.1:\(silent.peer.port)")
        )
        let (error, elapsed) = try #require(await running.error())
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(8), "took \(elapsed)")
        #expect(error.shortDescription == "tls-handshake-timeout")
        #expect(error.isTimeout)
        #expect(
            error.description
                == "The TLS handshake with 127.0.0.1:\(silent.peer.port) did not finish within 1 s (the connect timeout): "
                + "the server accepted the connection but did not complete the handshake; no request was sent."
        )
        #expect(Self.timeouts(in: error) == [.tlsHandshake])
        #expect(error.diagnosis?.rule == "setup-timeout")
        #expect(await silent.closed.next() == true)
    }

    /// An https proxy that accepts and never answers CONNECT: the request fails after the connect timeout with an
    /// error that names the proxy, the CONNECT and its target, and the connection to the proxy is closed.
    @Test func silentProxyEndsAtTheConnectTimeout() async throws {
        let silent = try SilentPeer()
        defer { silent.peer.finish() }
        let origin = try ClosedPort()
        var configuration = Self.configuration(connectTimeout: .seconds(1))
        configuration.proxy = ProxyConfiguration(httpsProxy: .init(host: "127.0.0.1", port: silent.peer.port))
        // A name, as certificate checks through a proxy want one; the client never resolves it (the proxy would).
        let running = Running(configuration, Self.request("localhost:\(origin.port)"))
        let (error, elapsed) = try #require(await running.error())
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(8), "took \(elapsed)")
        #expect(error.shortDescription == "proxy-connect-timeout")
        #expect(error.isTimeout)
        #expect(
            error.description
                == "The proxy 127.0.0.1:\(silent.peer.port) did not answer the CONNECT to localhost:\(origin.port) "
                + "within 1 s (the connect timeout); no request was sent."
        )
        #expect(Self.timeouts(in: error) == [.proxyConnect])
        #expect(await silent.firstBytes.next().map { $0 > 0 } == true)
        #expect(await silent.closed.next() == true)
    }

    /// A request deadline shorter than the connect timeout ends a silent TLS handshake at the deadline.
    @Test func requestDeadlineShorterThanConnectTimeoutWins() async throws {
        let silent = try SilentPeer()
        defer { silent.peer.finish() }
        let running = Running(
            Self.configuration(connectTimeout: .seconds(10)),
            Self.request("127.0.0.1:\(silent.peer.port)"),
            timeout: .milliseconds(500)
        )
        let (error, elapsed) = try #require(await running.error())
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(8), "took \(elapsed)")
        #expect(error.shortDescription == "tls-handshake-timeout")
        let handshake = "The TLS handshake with 127.0.0.1:\(silent.peer.port) did not finish in the "
        #expect(error.description.hasPrefix(handshake), "\(error)")
        #expect(error.description.contains(" ms left before the request's deadline: "), "\(error)")
        #expect(await silent.closed.next() == true)
    }

    /// Cancelling the task while the TLS handshake hangs ends the request at once with the client's cancellation
    /// error, and closes the connection.
    @Test func cancellingDuringTheHandshakeEndsIt() async throws {
        let silent = try SilentPeer()
        defer { silent.peer.finish() }
        let running = Running(
            Self.configuration(connectTimeout: .seconds(10)),
            Self.request("127.0.0.1:\(silent.peer.port)")
        )
        // The ClientHello arrived: the handshake is under way.
        #expect(await silent.firstBytes.next().map { $0 > 0 } == true)
        let cancelledAt = ContinuousClock.now
        running.task.cancel()
        let (error, _) = try #require(await running.error(within: .seconds(9)))
        #expect(ContinuousClock.now - cancelledAt < .seconds(8))
        #expect(error.shortDescription == "cancelled")
        #expect(!error.isTimeout)
        #expect(error.description.contains("cancelled"), "\(error)")
        #expect(await silent.closed.next() == true)
    }
}
