import HTTPTypes
import HeedClient
import HeedCore
import HeedTestSupport
import NIOCore
import Testing

@Suite struct TLSTests {
    static func configuration(trusting pem: String? = nil) throws -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.readIdleTimeout = .seconds(10)
        configuration.connectTimeout = .seconds(5)
        if let pem { configuration.tls.trustRoots = .pemCertificates(pem) }
        return configuration
    }

    static func server(_ identity: TestCertificates.Identity, clientCA: String? = nil) async throws -> HTTPTestServer {
        try await HTTPTestServer(tls: .init(identity: identity, clientCA: clientCA)) { request in
            .init(text: "\(request.method) \(request.uri) \(String(decoding: request.body, as: UTF8.self))")
        }
    }

    static func get(
        _ url: String,
        _ configuration: HTTPClient.Configuration,
        body: String? = nil
    ) async throws
        -> HTTPClientResponse
    {
        let parsed = try HTTPURL(parsing: url)
        let request = HTTPRequest(
            method: body == nil ? .get : .post,
            scheme: parsed.scheme,
            authority: parsed.authority,
            path: parsed.target
        )
        return try await HTTPClient.withClient(configuration: configuration) { client in
            try await client.execute(request, body: body.map { .bytes(ByteBuffer(string: $0)) })
        }
    }

    static func failure(_ url: String, _ configuration: HTTPClient.Configuration) async throws -> HTTPClientError {
        do {
            let response = try await Self.get(url, configuration)
            Issue.record("expected a failure, got \(response.status)")
            throw CancellationError()
        } catch let error as HTTPClientError {
            return error
        }
    }

    /// A certificate from a trusted CA, for 127.0.0.1 and localhost: the request goes through, with a body.
    @Test func trustedCertificate() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.leaf)
        defer { server.close() }
        let configuration = try Self.configuration(trusting: certificates.caPEM)
        let response = try await Self.get(server.url("/hello"), configuration, body: "ping")
        #expect(response.status.code == 200)
        #expect(String(buffer: response.body) == "POST /hello ping")
        let byName = try await Self.get("https://localhost:\(server.port)/named", configuration)
        #expect(String(buffer: byName.body) == "GET /named ")
        // SNI carries a host name, never an IP address.
        #expect(server.serverNames == [nil, "localhost"])
    }

    /// The test CA is not in the system's trust store: the error names the issuer.
    @Test func unknownIssuerByDefault() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.leaf)
        defer { server.close() }
        let error = try await Self.failure(server.url(), try Self.configuration())
        #expect(error.certificateProblem == .unknownIssuer(issuer: "CN=Heed Test CA, O=Heed"))
        #expect(error.description.hasPrefix("The server's certificate for 127.0.0.1 is not trusted: it was issued by"))
        #expect(error.isTLSFailure)
    }

    /// A self-signed certificate is called self-signed.
    @Test func selfSigned() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.selfSignedLeaf)
        defer { server.close() }
        let error = try await Self.failure(server.url(), try Self.configuration(trusting: certificates.caPEM))
        #expect(error.description.hasPrefix("The server's certificate for 127.0.0.1 is not trusted: it is self-signed"))
        #expect(error.shortDescription == "tls-certificate-self-signed")
        // The timeline explains it too: the tls-failed rule, and a report that carries the certificate sentence.
        #expect(error.diagnosis?.rule == "tls-failed")
        #expect(error.diagnosis?.phase == .tlsHandshake)
        #expect(error.report.contains("it is self-signed"))
    }

    /// An expired certificate from a trusted CA: the error says when it expired.
    @Test func expired() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.expiredLeaf)
        defer { server.close() }
        let error = try await Self.failure(server.url(), try Self.configuration(trusting: certificates.caPEM))
        #expect(error.description.hasPrefix("The server's certificate for 127.0.0.1 is not trusted: it expired on "))
        #expect(error.shortDescription == "tls-certificate-expired")
    }

    /// A trusted certificate for another host fails host name verification, unless that is turned off.
    @Test func wrongHost() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.wrongHostLeaf)
        defer { server.close() }
        var configuration = try Self.configuration(trusting: certificates.caPEM)
        let error = try await Self.failure(server.url(), configuration)
        #expect(error.certificateProblem == .wrongHost(subject: "CN=wrong.example"))
        #expect(error.description.contains("is not trusted: it was issued for other host names"))

        configuration.tls.certificateVerification = .noHostnameVerification
        #expect(try await Self.get(server.url(), configuration).status.code == 200)
    }

    /// `.none` accepts anything: expired, self-signed, unknown issuer.
    @Test func verificationOff() async throws {
        let certificates = try TestCertificates.shared()
        for identity in [certificates.expiredLeaf, certificates.selfSignedLeaf, certificates.wrongHostLeaf] {
            let server = try await Self.server(identity)
            var configuration = try Self.configuration()
            configuration.tls.certificateVerification = .none
            let response = try await Self.get(server.url("/x"), configuration)
            await server.shutdown()
            #expect(response.status.code == 200)
        }
    }

    /// A server that wants a client certificate gets one when configured, and refuses the handshake otherwise.
    @Test func clientCertificate() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.leaf, clientCA: certificates.caPEM)
        defer { server.close() }
        var configuration = try Self.configuration(trusting: certificates.caPEM)
        let refused = try await Self.failure(server.url(), configuration)
        #expect(refused.shortDescription == "tls-handshake-failed")

        configuration.tls.clientIdentity = .pem(
            certificateChain: certificates.clientLeaf.certificatePEM,
            privateKey: certificates.clientLeaf.privateKeyPEM
        )
        #expect(try await Self.get(server.url(), configuration).status.code == 200)
    }

    /// Trust roots from a PEM file work; a missing file is a clear configuration error.
    @Test func trustRootsFromFile() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await Self.server(certificates.leaf)
        defer { server.close() }
        var configuration = try Self.configuration()
        configuration.tls.trustRoots = .pemFile(try TestCertificates.writeTemporary(certificates.caPEM, name: "ca.pem"))
        #expect(try await Self.get(server.url(), configuration).status.code == 200)

        configuration.tls.trustRoots = .pemFile("/nonexistent/heed-ca.pem")
        let error = try await Self.failure(server.url(), configuration)
        #expect(error.shortDescription == "tls-configuration-invalid")
        #expect(error.description.contains("/nonexistent/heed-ca.pem"))
    }

    /// https:// to a port that speaks plain HTTP: the handshake fails and says so.
    @Test func plainHTTPPort() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "plain") }
        defer { server.close() }
        let error = try await Self.failure("https://127.0.0.1:\(server.port)/", try Self.configuration())
        #expect(error.shortDescription == "tls-handshake-failed")
        #expect(error.description.contains("127.0.0.1:\(server.port)"))
    }
}
