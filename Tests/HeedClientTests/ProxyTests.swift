import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

@Suite struct ProxyTests {
    static func configuration(_ proxy: ProxyConfiguration?, trusting pem: String? = nil) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.readIdleTimeout = .seconds(10)
        configuration.proxy = proxy
        if let pem { configuration.tls.trustRoots = .pemCertificates(pem) }
        return configuration
    }

    static func get(_ url: String, _ configuration: HTTPClient.Configuration) async throws -> HTTPClientResponse {
        let parsed = try HTTPURL(parsing: url)
        let request = HTTPRequest(method: .get, scheme: parsed.scheme, authority: parsed.authority, path: parsed.target)
        return try await HTTPClient.withClient(configuration: configuration) { client in
            try await client.execute(request)
        }
    }

    static func origin(tls: Bool = false) async throws -> HTTPTestServer {
        let certificates = try TestCertificates.shared()
        return try await HTTPTestServer(tls: tls ? .init(identity: certificates.leaf) : nil) { request in
            .init(text: "origin saw \(request.method) \(request.uri)")
        }
    }

    /// http:// through a proxy: the request target is the absolute URL, with the proxy's credentials.
    @Test func plainHTTPUsesAbsoluteForm() async throws {
        let origin = try await Self.origin()
        let proxy = try await TestProxy()
        defer {
            Task {
                await origin.shutdown()
                await proxy.shutdown()
            }
        }
        let endpoint = ProxyConfiguration.Endpoint(host: "127.0.0.1", port: proxy.port, credentials: "user:pass")
        let response = try await Self.get(origin.url("/via?x=1"), Self.configuration(.init(httpProxy: endpoint)))
        #expect(String(buffer: response.body) == "origin saw GET /via?x=1")
        let head = try #require(proxy.receivedHeads.first)
        #expect(head.hasPrefix("GET http://\(origin.authority)/via?x=1 HTTP/1.1\r\n"))
        #expect(head.contains("Proxy-Authorization: Basic dXNlcjpwYXNz"))
        #expect(origin.requests.first?.header("Proxy-Authorization") == nil)
    }

    /// https:// through a proxy: CONNECT opens a tunnel, and TLS with the origin runs inside it.
    @Test func httpsUsesConnect() async throws {
        let origin = try await Self.origin(tls: true)
        let proxy = try await TestProxy()
        defer {
            Task {
                await origin.shutdown()
                await proxy.shutdown()
            }
        }
        let endpoint = ProxyConfiguration.Endpoint(host: "127.0.0.1", port: proxy.port, credentials: "a:b")
        let configuration = Self.configuration(
            .init(httpsProxy: endpoint),
            trusting: try TestCertificates.shared().caPEM
        )
        let response = try await Self.get("https://localhost:\(origin.port)/secret", configuration)
        #expect(String(buffer: response.body) == "origin saw GET /secret")
        let head = try #require(proxy.receivedHeads.first)
        #expect(head.hasPrefix("CONNECT localhost:\(origin.port) HTTP/1.1\r\nHost: localhost:\(origin.port)\r\n"))
        #expect(head.contains("Proxy-Authorization: Basic YTpi"))
        #expect(proxy.receivedHeads.count == 1)
    }

    /// An IP address through a tunnel cannot have its certificate checked against it (NIOSSL would check the
    /// proxy's address): refused with a clear error unless host names are not verified.
    @Test func ipAddressThroughTunnel() async throws {
        let origin = try await Self.origin(tls: true)
        let proxy = try await TestProxy()
        defer {
            Task {
                await origin.shutdown()
                await proxy.shutdown()
            }
        }
        let endpoint = ProxyConfiguration.Endpoint(host: "127.0.0.1", port: proxy.port)
        var configuration = Self.configuration(
            .init(httpsProxy: endpoint),
            trusting: try TestCertificates.shared().caPEM
        )
        await #expect(throws: HTTPClientError.self) { try await Self.get(origin.url("/"), configuration) }
        #expect(proxy.receivedHeads.isEmpty)
        configuration.tls.certificateVerification = .noHostnameVerification
        #expect(try await Self.get(origin.url("/"), configuration).status.code == 200)
    }

    /// A proxy that refuses the tunnel: the error names the proxy, the target and the status.
    @Test func refusedTunnel() async throws {
        let origin = try await Self.origin(tls: true)
        let proxy = try await TestProxy(refuseWith: "407 Proxy Authentication Required")
        defer {
            Task {
                await origin.shutdown()
                await proxy.shutdown()
            }
        }
        let endpoint = ProxyConfiguration.Endpoint(host: "127.0.0.1", port: proxy.port)
        do {
            _ = try await Self.get("https://localhost:\(origin.port)/", Self.configuration(.init(httpsProxy: endpoint)))
            Issue.record("the tunnel was refused")
        } catch let error as HTTPClientError {
            #expect(
                error.description
                    == "The proxy 127.0.0.1:\(proxy.port) refused to open a tunnel to localhost:\(origin.port): it answered 407 Proxy Authentication Required."
            )
            #expect(error.shortDescription == "proxy-refused")
        }
    }

    /// no_proxy sends matching hosts directly; the proxy sees nothing.
    @Test func noProxyGoesDirect() async throws {
        let origin = try await Self.origin()
        let proxy = try await TestProxy()
        defer {
            Task {
                await origin.shutdown()
                await proxy.shutdown()
            }
        }
        let configuration = try #require(
            try ProxyConfiguration.fromEnvironment([
                "http_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": "localhost,127.0.0.1",
            ])
        )
        let response = try await Self.get(origin.url("/direct"), Self.configuration(configuration))
        #expect(String(buffer: response.body) == "origin saw GET /direct")
        #expect(proxy.receivedHeads.isEmpty)
    }
}
