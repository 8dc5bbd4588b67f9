import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

@Suite struct RedirectTests {
    static func configuration(_ redirects: HTTPClient.RedirectPolicy = .follow(max: 10)) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.readIdleTimeout = .seconds(10)
        configuration.redirects = redirects
        return configuration
    }

    /// Answers `/redirect/STATUS/TARGET-PATH` with that redirect, and anything else with 200 and what it got.
    static func server() async throws -> HTTPTestServer {
        try await HTTPTestServer { request in
            let parts = request.uri.split(separator: "/", maxSplits: 3).map(String.init)
            if parts.count >= 2, parts[0] == "redirect", let status = Int(parts[1]) {
                let location = parts.count > 2 ? parts[2].replacingPercentSlash() : "/"
                return .init(status: status, headers: [("Location", location)], text: "moved")
            }
            return .init(text: "\(request.method) \(request.uri) \(String(decoding: request.body, as: UTF8.self))")
        }
    }

    static func request(_ server: HTTPTestServer, _ method: HTTPRequest.Method, _ path: String) -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: server.authority, path: path)
    }

    /// A relative Location is followed; the response tells the final URL and the count.
    @Test func followsRelativeLocation() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(Self.request(server, .get, "/redirect/302/..|final"))
        }
        #expect(response.status.code == 200)
        #expect(String(buffer: response.body) == "GET /redirect/final ")
        #expect(response.url?.description == "http://\(server.authority)/redirect/final")
        #expect(response.redirectCount == 1)
    }

    /// 303 after a POST: the next request is a GET without the body or its Content-Type.
    @Test func seeOtherDropsBody() async throws {
        let server = try await Self.server()
        defer { server.close() }
        var request = Self.request(server, .post, "/redirect/303/|done")
        request.headerFields[.contentType] = "text/plain"
        request.headerFields[.contentLanguage] = "de"
        request.headerFields[.contentLocation] = "/drafts/1"
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(request, body: .bytes(ByteBuffer(string: "payload")))
        }
        #expect(String(buffer: response.body) == "GET /done ")
        let second = try #require(server.requests.last)
        #expect(second.header("Content-Type") == nil && second.header("Content-Length") == nil)
        // The Fetch standard's request-body-header names go with the body.
        #expect(second.header("Content-Language") == nil && second.header("Content-Location") == nil)
    }

    /// A Location with a space and non-ASCII characters is followed percent-encoded, as browsers do.
    @Test func locationWithSpaceIsEncoded() async throws {
        let server = try await HTTPTestServer { request in
            request.uri == "/start"
                ? .init(status: 302, headers: [("Location", "/files/a b/caf\u{E9}.pdf")], text: "moved")
                : .init(text: "\(request.method) \(request.uri)")
        }
        defer { server.close() }
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(Self.request(server, .get, "/start"))
        }
        #expect(String(buffer: response.body) == "GET /files/a%20b/caf%C3%A9.pdf")
    }

    /// Post/Redirect/Get to the form's own URL: the GET is followed, not taken for a loop.
    @Test func postRedirectGetToTheSameURL() async throws {
        let server = try await HTTPTestServer { request in
            request.method == "POST"
                ? .init(status: 303, headers: [("Location", "/form")], text: "see other")
                : .init(text: "\(request.method) \(request.uri)")
        }
        defer { server.close() }
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(Self.request(server, .post, "/form"), body: .bytes(ByteBuffer(string: "x")))
        }
        #expect(response.status.code == 200)
        #expect(String(buffer: response.body) == "GET /form")
        #expect(response.redirectCount == 1)
    }

    /// 307 re-sends a replayable body with the same method.
    @Test func temporaryRedirectResendsBody() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(
                Self.request(server, .put, "/redirect/307/|put"),
                body: .bytes(ByteBuffer(string: "data"))
            )
        }
        #expect(String(buffer: response.body) == "PUT /put data")
        #expect(server.requests.map(\.body) == [Array("data".utf8), Array("data".utf8)])
    }

    /// 308 with a streamed (non-replayable) body: the redirect itself is the result.
    @Test func nonReplayableBodyReturnsRedirect() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let parts = AsyncStream<ByteBuffer> { continuation in
            continuation.yield(ByteBuffer(string: "stream"))
            continuation.finish()
        }
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(Self.request(server, .post, "/redirect/308/|x"), body: .stream(parts, length: 6))
        }
        #expect(response.status.code == 308)
        #expect(response.redirectCount == 0)
        #expect(server.requests.count == 1)
    }

    /// A → B → A is a loop: the error shows the chain.
    @Test func detectsLoop() async throws {
        let server = try await HTTPTestServer { request in
            .init(status: 302, headers: [("Location", request.uri == "/a" ? "/b" : "/a")], text: "")
        }
        defer { server.close() }
        let error = try await Self.failure(Self.request(server, .get, "/a"), Self.configuration())
        let a = "http://\(server.authority)/a"
        let b = "http://\(server.authority)/b"
        #expect(error.description.contains("redirected in a loop: \(a) → \(b) → \(a)"))
        #expect(error.shortDescription == "redirect-loop")
        #expect(server.requests.count == 2)
    }

    /// An endless chain of new URLs stops at the limit.
    @Test func stopsAtLimit() async throws {
        let server = try await HTTPTestServer { request in
            let next = (Int(request.uri.dropFirst()) ?? 0) + 1
            return .init(status: 301, headers: [("Location", "/\(next)")], text: "")
        }
        defer { server.close() }
        let error = try await Self.failure(Self.request(server, .get, "/0"), Self.configuration(.follow(max: 3)))
        #expect(error.shortDescription == "too-many-redirects")
        #expect(error.description.contains("more than 3 times"))
        #expect(server.requests.map(\.uri) == ["/0", "/1", "/2", "/3"])
    }

    /// Credentials go along within an origin and are dropped when the redirect leaves it (another port).
    @Test func dropsCredentialsAcrossOrigins() async throws {
        let other = try await HTTPTestServer { _ in .init(text: "other") }
        defer { other.close() }
        let server = try await HTTPTestServer { request in
            switch request.uri {
            case "/same": .init(status: 302, headers: [("Location", "/cross")], text: "")
            case "/cross": .init(status: 302, headers: [("Location", other.url("/landed"))], text: "")
            default: .init(text: "?")
            }
        }
        defer { server.close() }
        var request = Self.request(server, .get, "/same")
        request.headerFields[.authorization] = "Bearer secret"
        request.headerFields[.cookie] = "session=1"
        request.headerFields[HTTPField.Name("X-Custom")!] = "kept"
        let response = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(request)
        }
        #expect(String(buffer: response.body) == "other")
        #expect(response.redirectCount == 2)
        let sameOrigin = try #require(server.requests.last)
        #expect(sameOrigin.header("Authorization") == "Bearer secret" && sameOrigin.header("Cookie") == "session=1")
        let crossOrigin = try #require(other.requests.first)
        #expect(crossOrigin.header("Authorization") == nil && crossOrigin.header("Cookie") == nil)
        #expect(crossOrigin.header("X-Custom") == "kept")
        #expect(crossOrigin.header("Host") == other.authority)
    }

    /// With `.disallow` the 3xx is the result.
    @Test func disallowReturnsRedirect() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let response = try await HTTPClient.withClient(configuration: Self.configuration(.disallow)) { client in
            try await client.execute(Self.request(server, .get, "/redirect/301/|x"))
        }
        #expect(response.status.code == 301)
        #expect(response.head.headerFields[.location] == "/x")
        #expect(server.requests.count == 1)
    }

    /// A Location that is not an http(s) URL is a clear error.
    @Test func invalidLocation() async throws {
        let server = try await HTTPTestServer { _ in
            .init(status: 302, headers: [("Location", "ftp://127.0.0.1/x")], text: "")
        }
        defer { server.close() }
        let error = try await Self.failure(Self.request(server, .get, "/"), Self.configuration())
        #expect(error.description.contains("redirected to 'ftp://127.0.0.1/x', which cannot be followed"))
    }

    // MARK: - Streamed responses

    /// A streamed response follows redirects too: the consumer sees only the final response, with its URL and
    /// the count; the redirect's body was read, so one kept-alive connection served both requests.
    @Test func streamingFollowsRedirects() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let (status, text, url, count) = try await HTTPClient.withClient(configuration: Self.configuration()) {
            client in
            try await client.execute(Self.request(server, .get, "/redirect/301/|final")) { response in
                let body = try await response.body.collect(upTo: 1024)
                return (response.status.code, String(buffer: body), response.url?.description, response.redirectCount)
            }
        }
        #expect(status == 200)
        #expect(text == "GET /final ")
        #expect(url == "http://\(server.authority)/final")
        #expect(count == 1)
        #expect(server.requests.map(\.uri) == ["/redirect/301/|final", "/final"])
        #expect(server.connectionsAccepted == 1)
    }

    /// A streamed 307 re-sends a replayable body; a loop fails as it does without streaming.
    @Test func streamingResendsBodyAndDetectsLoops() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let text = try await HTTPClient.withClient(configuration: Self.configuration()) { client in
            try await client.execute(
                Self.request(server, .put, "/redirect/307/|put"),
                body: .bytes(ByteBuffer(string: "data"))
            ) { response in
                String(buffer: try await response.body.collect(upTo: 1024))
            }
        }
        #expect(text == "PUT /put data")

        let looping = try await HTTPTestServer { request in
            .init(status: 302, headers: [("Location", request.uri == "/a" ? "/b" : "/a")], text: "")
        }
        defer { looping.close() }
        var consumed = false
        await #expect(throws: HTTPClientError.self) {
            try await HTTPClient.withClient(configuration: Self.configuration()) { client in
                try await client.execute(Self.request(looping, .get, "/a")) { _ in consumed = true }
            }
        }
        #expect(!consumed)
        #expect(looping.requests.count == 2)
    }

    /// With `.disallow` the streamed 3xx reaches the consumer.
    @Test func streamingDisallowHandsOverTheRedirect() async throws {
        let server = try await Self.server()
        defer { server.close() }
        let (status, count) = try await HTTPClient.withClient(configuration: Self.configuration(.disallow)) { client in
            try await client.execute(Self.request(server, .get, "/redirect/302/|x")) { response in
                (response.status.code, response.redirectCount)
            }
        }
        #expect(status == 302)
        #expect(count == 0)
        #expect(server.requests.count == 1)
    }

    static func failure(
        _ request: HTTPRequest,
        _ configuration: HTTPClient.Configuration
    ) async throws -> HTTPClientError {
        do {
            let response = try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(request)
            }
            Issue.record("expected a failure, got \(response.status)")
            throw CancellationError()
        } catch let error as HTTPClientError {
            return error
        }
    }
}

extension String {
    /// Test paths write `/` inside a Location as `|`.
    fileprivate func replacingPercentSlash() -> String {
        String(self.map { $0 == "|" ? "/" : $0 })
    }
}
