import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

/// Helpers shared by the loopback tests.
enum Loopback {
    static func request(
        _ peer: ScriptedPeer,
        method: HTTPRequest.Method = .post,
        path: String = "/upload"
    ) -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1:\(peer.port)", path: path)
    }

    static func body(_ size: Int) -> ByteBuffer {
        ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
    }

    static func configuration(expect: HTTPClient.ExpectContinuePolicy = .never) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.expectContinue = expect
        configuration.readIdleTimeout = .seconds(10)
        return configuration
    }

    /// A response with `Connection: close` and a body of `size` bytes.
    static func rejection(status: String = "413 Content Too Large", size: Int = 100) -> [UInt8] {
        let body = [UInt8](repeating: UInt8(ascii: "e"), count: size)
        let head = "HTTP/1.1 \(status)\r\nContent-Length: \(size)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}

@Suite struct EarlyResponseTests {
    /// The server reads only the head, answers 413 and closes with the body unread (the kernel sends RST):
    /// the client still returns the 413 with its whole body and says how much it had sent.
    @Test(arguments: [100, 4 * 1024 * 1024])
    func earlyRejectThenReset(errorBodySize: Int) async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write(Loopback.rejection(size: errorBodySize))
            socket.waitUntilSent()
            socket.closeWithReset()
        }
        defer { peer.finish() }
        let response = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            try await client.execute(Loopback.request(peer), body: .bytes(Loopback.body(32 * 1024 * 1024)))
        }
        #expect(response.status.code == 413)
        #expect(response.body.readableBytes == errorBodySize)
        #expect(response.requestBodyBytesSent < 32 * 1024 * 1024)
        #expect(response.requestBodyStoppedEarly)
        #expect(response.earlyResponseSummary?.contains("413") == true)
    }

    /// The server answers 413, half-closes and reads until the client's EOF (a lingering close):
    /// the client returns the 413 and stops sending soon after it arrives.
    @Test(arguments: [100, 4 * 1024 * 1024])
    func earlyRejectThenLinger(errorBodySize: Int) async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write(Loopback.rejection(size: errorBodySize))
            socket.shutdownWrite()
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let response = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            try await client.execute(Loopback.request(peer), body: .bytes(Loopback.body(32 * 1024 * 1024)))
        }
        #expect(response.status.code == 413)
        #expect(response.body.readableBytes == errorBodySize)
        #expect(response.requestBodyStoppedEarly)
        #expect(response.requestBodyBytesSent < 32 * 1024 * 1024)
    }

    /// An early 2xx that does not close: the client keeps sending, and completes when both sides are done.
    @Test func earlySuccessKeepsSending() async throws {
        let size = 4 * 1024 * 1024
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            let read = socket.discard(size)
            socket.write(read == size ? "" : "short")
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let response = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            try await client.execute(Loopback.request(peer), body: .bytes(Loopback.body(size)))
        }
        #expect(response.status.code == 200)
        #expect(response.requestBodyBytesSent == Int64(size))
        #expect(!response.requestBodyStoppedEarly)
    }

    /// An early complete 2xx, then the server stops reading while the body still goes out: when the read-idle
    /// timeout fires the client returns the 2xx (the server answered), says the body was stopped early, and
    /// closes the connection.
    @Test func earlySuccessThenStalledServerReturnsTheAnswer() async throws {
        let clientDone = ConditionFlag()
        let peer = try ScriptedPeer { socket, _ in
            socket.setReceiveBuffer(16 * 1024)
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            // Reads nothing more until the client has given up (bounded: 10 s), then lets it go.
            clientDone.wait(seconds: 10)
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        var configuration = Loopback.configuration()
        configuration.readIdleTimeout = .milliseconds(300)
        let size = 64 * 1024 * 1024
        let response: HTTPClientResponse
        do {
            defer { clientDone.set() }
            response = try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(Loopback.request(peer, method: .put), body: .bytes(Loopback.body(size)))
            }
        }
        #expect(response.status.code == 200)
        #expect(String(buffer: response.body) == "ok")
        #expect(response.requestBodyStoppedEarly)
        #expect(response.requestBodyBytesSent < Int64(size))
        // The timeline still tells that the read timeout fired.
        #expect(response.timeline?.events.contains { $0.kind == .timeoutFired(.readIdle) } == true)
    }

    /// Repeated 500 times each, neither early-reject story loses a response.
    @Test func earlyRejectRepeatedLosesNothing() async throws {
        let runs = 500
        let peer = try ScriptedPeer(connections: 2 * runs) { socket, index in
            _ = socket.readHead()
            socket.write(Loopback.rejection(size: 64))
            if index % 2 == 0 {
                socket.closeWithReset()
            } else {
                socket.shutdownWrite()
                socket.drainToEOF()
                socket.close()
            }
        }
        defer { peer.finish() }
        var configuration = Loopback.configuration()
        configuration.maxIdleConnectionsPerHost = 0
        let statuses = try await HTTPClient.withClient(configuration: configuration) { client in
            var statuses: [Int] = []
            for _ in 0..<(2 * runs) {
                let response = try await client.execute(
                    Loopback.request(peer),
                    body: .bytes(Loopback.body(1024 * 1024))
                )
                statuses.append(response.status.code)
            }
            return statuses
        }
        #expect(statuses.count == 2 * runs)
        #expect(statuses.allSatisfy { $0 == 413 })
    }
}
