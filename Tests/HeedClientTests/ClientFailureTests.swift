import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

/// The client against scripted peers on 127.0.0.1 that answer unusually, fail or stay silent: each story ends in
/// the right response, or in an error that says what happened.
@Suite struct ClientFailureTests {
    /// Runs `body` and returns the ``HTTPClientError`` it throws; records an issue if it returns or throws another error.
    static func error(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> HTTPClientResponse
    ) async -> HTTPClientError? {
        do {
            let response = try await body()
            Issue.record("expected an error, got \(response.status)", sourceLocation: sourceLocation)
        } catch let error as HTTPClientError {
            return error
        } catch {
            Issue.record("expected an HTTPClientError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    static func get(_ peer: ScriptedPeer) -> HTTPRequest { Loopback.request(peer, method: .get, path: "/") }

    static func response(_ body: String, close: Bool = false) -> String {
        let connection = close ? "Connection: close\r\n" : ""
        return "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\(connection)\r\n\(body)"
    }

    // MARK: - Expect: 100-continue

    /// The server answers 401 to a request with `Expect: 100-continue`: the client returns the 401 and the peer
    /// read nothing beyond the head.
    @Test func expectRejectSendsNoBody() async throws {
        let reports = PeerReports<(head: String, headBytes: Int, bytesRead: Int)>()
        let peer = try ScriptedPeer { socket, _ in
            let head = socket.readHead() ?? ""
            socket.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 6\r\n\r\nlog in")
            socket.drainToEOF()
            reports.send((head, head.utf8.count + 4, socket.bytesRead))
            socket.close()
        }
        defer { peer.finish() }
        var configuration = Loopback.configuration(expect: .always)
        configuration.continueTimeout = .seconds(5)
        let response = try await HTTPClient.withClient(configuration: configuration) { client in
            try await client.execute(Loopback.request(peer), body: .bytes(Loopback.body(1 << 20)))
        }
        #expect(response.status.code == 401)
        #expect(String(buffer: response.body) == "log in")
        #expect(response.requestBodyBytesSent == 0)
        #expect(response.requestBodyStoppedEarly)
        #expect(!response.receivedContinue)
        let report = try #require(await reports.next())
        #expect(report.head.lowercased().contains("expect: 100-continue"))
        #expect(report.bytesRead == report.headBytes)
    }

    /// The server answers 417: the client sends the request again, without `Expect`, on a new connection.
    @Test func expectationFailedIsRetriedWithoutExpect() async throws {
        let size = 64 * 1024
        let heads = PeerReports<String>()
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            let head = socket.readHead() ?? ""
            heads.send(head)
            if index == 0 {
                socket.write("HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n")
                socket.drainToEOF()
            } else {
                socket.write(Self.response("\(socket.read(size).count)", close: true))
            }
            socket.close()
        }
        defer { peer.finish() }
        let response = try await HTTPClient.withClient(configuration: Loopback.configuration(expect: .always)) {
            try await $0.execute(Loopback.request(peer), body: .bytes(Loopback.body(size)))
        }
        #expect(response.status.code == 200)
        #expect(String(buffer: response.body) == "\(size)")
        #expect(response.requestBodyBytesSent == Int64(size))
        let first = try #require(await heads.next())
        let second = try #require(await heads.next())
        #expect(first.lowercased().contains("expect: 100-continue"))
        #expect(!second.lowercased().contains("expect"))
        #expect(second.contains("Content-Length: \(size)"))
    }

    /// The server never answers `Expect: 100-continue`: the body goes out after the continue timeout.
    @Test func unansweredExpectSendsBodyAfterTimeout() async throws {
        let size = 100_000
        let heads = PeerReports<String>()
        let peer = try ScriptedPeer { socket, _ in
            heads.send(socket.readHead() ?? "")
            socket.write(Self.response("\(socket.read(size).count)", close: true))
            socket.close()
        }
        defer { peer.finish() }
        var configuration = Loopback.configuration(expect: .always)
        configuration.continueTimeout = .milliseconds(100)
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await HTTPClient.withClient(configuration: configuration) {
            try await $0.execute(Loopback.request(peer), body: .bytes(Loopback.body(size)))
        }
        #expect(clock.now - start >= .milliseconds(100))
        #expect(String(buffer: response.body) == "\(size)")
        #expect(response.requestBodyBytesSent == Int64(size))
        #expect(!response.receivedContinue)
        #expect(try #require(await heads.next()).lowercased().contains("expect: 100-continue"))
    }

    // MARK: - Broken responses and connections

    /// The response is shorter than its Content-Length: the error says it was truncated and how much arrived.
    @Test func truncatedResponse() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + String(repeating: "x", count: 40))
            socket.close()
        }
        defer { peer.finish() }
        let error = await Self.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) {
                try await $0.execute(Self.get(peer))
            }
        }
        #expect(error?.shortDescription == "response-truncated")
        #expect(error?.exchangeFailure?.bodyBytesReceived == 40)
        #expect(error?.detail.contains("The connection ended while the response body") == true)
        #expect(error?.detail.contains("40 B received") == true)
        #expect(error?.diagnosis?.rule == "response-cut-short")
        #expect(error?.description == error?.diagnosis?.summary)
    }

    /// The server reads the request and closes without a byte: the error says so.
    @Test func closeWithoutResponse() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.close()
        }
        defer { peer.finish() }
        let error = await Self.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) {
                try await $0.execute(Self.get(peer))
            }
        }
        #expect(error?.shortDescription == "closed-without-response")
        #expect(error?.description.contains("without sending any response") == true)
        #expect(error?.detail.contains("GET http://127.0.0.1:\(peer.port)/") == true)
    }

    /// The server reads 1 MiB of the body and resets: the error names the reset and the bytes sent.
    @Test func resetMidBody() async throws {
        let size = 32 * 1024 * 1024
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.discard(1 << 20)
            socket.closeWithReset()
        }
        defer { peer.finish() }
        let error = await Self.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) {
                try await $0.execute(Loopback.request(peer), body: .bytes(Loopback.body(size)))
            }
        }
        let failure = try #require(error?.exchangeFailure)
        #expect(failure.reason == .writeFailedWithoutResponse || failure.reason == .resetWithoutResponse)
        #expect(failure.bodyBytesSent >= 1 << 20)
        #expect(failure.bodyBytesSent < Int64(size))
        let description = error?.description ?? ""
        #expect(["ECONNRESET", "EPIPE", "reset"].contains { description.contains($0) }, "\(description)")
        #expect(description.contains("of 33.6 MB sent"), "\(description)")
        #expect(error?.detail.contains("of 33.6 MB of the body sent") == true)
    }

    // MARK: - Timeouts and connecting

    /// The server reads the request and stays silent: the read-idle timeout ends the request.
    @Test func readIdleTimeout() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        var configuration = Loopback.configuration()
        configuration.readIdleTimeout = .milliseconds(200)
        let error = await Self.error {
            try await HTTPClient.withClient(configuration: configuration) { try await $0.execute(Self.get(peer)) }
        }
        #expect(error?.isTimeout == true)
        #expect(error?.shortDescription == "timeout-readIdle")
        #expect(error?.exchangeFailure?.phase == .awaitingResponse)
        #expect(error?.diagnosis?.rule == "read-idle-timeout")
    }

    /// The server stays silent past the request's own time limit: a request timeout.
    @Test func wholeRequestTimeout() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let error = await Self.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) {
                try await $0.execute(Self.get(peer), timeout: .milliseconds(300))
            }
        }
        #expect(error?.isTimeout == true)
        #expect(error?.exchangeFailure?.reason == .timeout(.request))
        #expect(error?.detail.contains("did not complete within its time limit") == true)
        #expect(error?.diagnosis?.rule == "request-timeout")
    }

    /// Nothing listens on the port: a connect failure naming ECONNREFUSED.
    @Test func connectRefused() async throws {
        let closed = try ScriptedPeer(connections: 0) { _, _ in }
        let port = closed.port
        closed.finish()
        let request = HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/")
        let error = await Self.error {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) { try await $0.execute(request) }
        }
        #expect(error?.isConnectFailure == true)
        #expect(error?.description.contains("ECONNREFUSED") == true)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
    }
}
