import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

/// How the client frames a request on the wire: the body it sends matches the length it declared, a method that
/// carries content says `Content-Length: 0` when there is none, `Host` can be left out, and a request's own
/// `Connection: close` ends the connection.
@Suite struct RequestFramingTests {
    static func configuration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.readIdleTimeout = .seconds(10)
        configuration.requestTimeout = .seconds(20)
        configuration.expectContinue = .never
        return configuration
    }

    static func echoServer() async throws -> HTTPTestServer {
        try await HTTPTestServer { request in
            .init(text: "\(request.method) \(request.uri) \(String(decoding: request.body, as: UTF8.self))")
        }
    }

    static func request(_ server: HTTPTestServer, _ method: HTTPRequest.Method, _ path: String = "/") -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: server.authority, path: path)
    }

    // MARK: - The body matches its declared length

    /// A producer that writes more than the declared length fails the request, and none of its surplus reaches the
    /// server (before, the surplus went out after the declared bytes and the server read it as another request).
    @Test func surplusBodyFailsTheRequest() async throws {
        let server = try await Self.echoServer()
        defer { server.close() }
        let body = HTTPClientRequestBody.stream(AsyncParts(["0123456789"]), length: 4)
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Self.configuration()) { client in
                try await client.execute(Self.request(server, .put, "/upload"), body: body)
            }
        }
        let description = try #require(error).description
        #expect(
            description.contains("source failed: it wrote at least 10 bytes where the request declared 4"),
            "\(description)"
        )
        #expect(server.requests.allSatisfy { $0.body.count <= 4 }, "\(server.requests.map(\.uri))")
        #expect(server.requests.count <= 1)
    }

    /// A producer that ends short of the declared length fails the request at once instead of leaving the server
    /// waiting for the rest (before: until the read timeout).
    @Test func shortBodyFailsTheRequest() async throws {
        let server = try await Self.echoServer()
        defer { server.close() }
        let body = HTTPClientRequestBody.stream(AsyncParts(["01"]), length: 4)
        let started = ContinuousClock.now
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Self.configuration()) { client in
                try await client.execute(Self.request(server, .put, "/upload"), body: body)
            }
        }
        let description = try #require(error).description
        #expect(description.contains("source failed: it wrote 2 bytes where the request declared 4"), "\(description)")
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(server.requests.isEmpty)
    }

    /// A body that matches its length, sent over several parts, goes through whole.
    @Test func exactBodyIsSent() async throws {
        let server = try await Self.echoServer()
        defer { server.close() }
        let body = HTTPClientRequestBody.stream(AsyncParts(["01", "23", "45"]), length: 6)
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(Self.request(server, .put, "/upload"), body: body)
        }
        #expect(String(buffer: response.body) == "PUT /upload 012345")
    }

    // MARK: - Content-Length: 0

    /// POST, PUT and PATCH without a body say `Content-Length: 0` (RFC 9110 §8.6) instead of going out chunked;
    /// GET and DELETE without a body carry no framing at all.
    @Test func methodsWithContentSayContentLengthZero() async throws {
        let server = try await Self.echoServer()
        defer { server.close() }
        let methods: [HTTPRequest.Method] = [.post, .put, .patch, .get, .delete]
        try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            for method in methods {
                var request = Self.request(server, method, "/\(method.rawValue)")
                request.headerFields[.contentLength] = "12"  // replaced by what the client sends
                _ = try await client.execute(request)
            }
        }
        let requests = server.requests
        #expect(requests.count == methods.count)
        for request in requests {
            let carriesContent = ["POST", "PUT", "PATCH"].contains(request.method)
            #expect(request.header("Content-Length") == (carriesContent ? "0" : nil), "\(request.method)")
            #expect(request.header("Transfer-Encoding") == nil, "\(request.method)")
        }
    }

    // MARK: - Host

    /// `addsHost = false` sends a request without `Host` (to test a server), and a request's own `Host` still goes
    /// out; by default the URL's authority is sent.
    @Test func hostCanBeLeftOut() async throws {
        let server = try await Self.echoServer()
        defer { server.close() }
        var configuration = Self.configuration()
        configuration.addsHost = false
        try await HTTPClient.withClient(configuration: configuration) { client in
            _ = try await client.execute(Self.request(server, .get, "/none"))
            var own = Self.request(server, .get, "/own")
            own.headerFields[HTTPField.Name("Host")!] = "other.example"
            _ = try await client.execute(own)
        }
        try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            _ = try await client.execute(Self.request(server, .get, "/default"))
        }
        let hosts = server.requests.map { request in request.headers.filter { $0.name.lowercased() == "host" } }
        #expect(hosts.map { $0.map(\.value) } == [[], ["other.example"], [server.authority]])
    }

    /// A TRACE request with a body is refused before anything is sent (RFC 9110 §9.3.8).
    @Test func traceWithBodyIsRefused() async throws {
        let server = try await Self.echoServer()
        defer { server.close() }
        let error = await ClientFailureTests.error {
            try await HTTPClient.withClient(configuration: Self.configuration()) { client in
                try await client.execute(Self.request(server, .trace), body: .bytes(ByteBuffer(string: "x")))
            }
        }
        #expect(
            error?.description.contains("TRACE request cannot carry a body") == true,
            "\(String(describing: error))"
        )
        #expect(server.connectionsAccepted == 0)
    }

    // MARK: - The request's own Connection: close

    /// A request that says `Connection: close` ends its connection even when the server answers as if it stayed
    /// open (RFC 9112 §9.6): the next request goes out on a new connection.
    @Test func requestConnectionCloseEndsTheConnection() async throws {
        let heads = PeerReports<(connection: Int, head: String)>()
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            // Serves keep-alive requests on this connection until the client closes it.
            for _ in 0..<4 {
                guard let head = socket.readHead() else { return }
                heads.send((index, head))
                guard socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") else { return }
            }
        }
        defer { peer.finish() }
        try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            var closing = Loopback.request(peer, method: .get, path: "/first")
            closing.headerFields[.connection] = "close"
            let first = try await client.execute(closing)
            let second = try await client.execute(Loopback.request(peer, method: .get, path: "/second"))
            #expect(String(buffer: first.body) == "ok" && String(buffer: second.body) == "ok")
        }
        let first = try #require(await heads.next())
        let second = try #require(await heads.next())
        #expect(first.connection == 0 && first.head.hasPrefix("GET /first"))
        #expect(second.connection == 1 && second.head.hasPrefix("GET /second"), "\(second)")
    }
}

/// Buffers from strings, as an async sequence.
struct AsyncParts: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let parts: [String]

    init(_ parts: [String]) { self.parts = parts }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<String>

        mutating func next() async -> ByteBuffer? {
            guard let part = self.remaining.popFirst() else { return nil }
            return ByteBuffer(string: part)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: self.parts[...]) }
}
