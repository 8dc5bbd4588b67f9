import HTTPTypes
import HeedClient
import HeedTestSupport
import NIOCore
import Testing

@Suite struct DecompressionTests {
    /// Text that compresses like prose (about 3:1), not like a run of one byte.
    static let text: String = {
        let words = ["heed", "listens", "while", "it", "talks", "the", "server", "answers", "early", "413", "reset"]
        var state: UInt32 = 12_345
        var output = ""
        for _ in 0..<20_000 {
            state = state &* 1_103_515_245 &+ 12_345
            output += words[Int(state >> 16) % words.count] + String(state % 97) + " "
        }
        return output
    }()

    static func configuration(_ policy: HTTPClient.DecompressionPolicy) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.readIdleTimeout = .seconds(10)
        configuration.decompression = policy
        return configuration
    }

    static func get(
        _ server: HTTPTestServer,
        _ configuration: HTTPClient.Configuration,
        acceptEncoding: String? = nil
    )
        async throws -> HTTPClientResponse
    {
        var request = HTTPRequest(method: .get, scheme: "http", authority: server.authority, path: "/")
        if let acceptEncoding { request.headerFields[.acceptEncoding] = acceptEncoding }
        return try await HTTPClient.withClient(configuration: configuration) { client in
            try await client.execute(request)
        }
    }

    /// Enabled: the client asks for both encodings; the server picks deflate, and the body comes back decompressed.
    @Test func asksForCompression() async throws {
        let server = try await HTTPTestServer(compress: true) { _ in .init(text: Self.text) }
        defer { server.close() }
        let response = try await Self.get(server, Self.configuration(.enabled()))
        #expect(server.requests.first?.header("Accept-Encoding") == "deflate, gzip")
        #expect(response.head.headerFields[.contentEncoding] == "deflate")
        #expect(String(buffer: response.body) == Self.text)
    }

    /// A request's own Accept-Encoding is kept; a gzip body is decompressed.
    @Test func gzip() async throws {
        let server = try await HTTPTestServer(compress: true) { _ in .init(text: Self.text) }
        defer { server.close() }
        let response = try await Self.get(server, Self.configuration(.enabled()), acceptEncoding: "gzip")
        #expect(server.requests.first?.header("Accept-Encoding") == "gzip")
        #expect(response.head.headerFields[.contentEncoding] == "gzip")
        #expect(String(buffer: response.body) == Self.text)
    }

    /// Disabled (the default): nothing is asked for and nothing is changed.
    @Test func disabledByDefault() async throws {
        let server = try await HTTPTestServer(compress: true) { _ in .init(text: Self.text) }
        defer { server.close() }
        let plain = try await Self.get(server, Self.configuration(.disabled))
        #expect(String(buffer: plain.body) == Self.text)
        #expect(server.requests.first?.header("Accept-Encoding") == nil)
        let raw = try await Self.get(server, Self.configuration(.disabled), acceptEncoding: "gzip")
        #expect(raw.head.headerFields[.contentEncoding] == "gzip")
        #expect(raw.body.readableBytes < Self.text.utf8.count / 2)
        #expect(raw.body.getBytes(at: raw.body.readerIndex, length: 2) == [0x1F, 0x8B])
    }

    /// A response that names an encoding but has no body (as HEAD and 304 responses do) is not an error.
    @Test func encodedButEmpty() async throws {
        let server = try await HTTPTestServer { _ in .init(headers: [("Content-Encoding", "gzip")], body: []) }
        defer { server.close() }
        let response = try await Self.get(server, Self.configuration(.enabled()))
        #expect(response.status.code == 200)
        #expect(response.body.readableBytes == 0)
    }

    /// A body that claims gzip but is not: a clear error, not garbage.
    @Test func corruptBody() async throws {
        let server = try await HTTPTestServer { _ in
            .init(headers: [("Content-Encoding", "gzip")], text: "not gzip at all")
        }
        defer { server.close() }
        do {
            let response = try await Self.get(server, Self.configuration(.enabled()))
            Issue.record("expected a decompression failure, got \(response.status)")
        } catch let error as HTTPClientError {
            #expect(error.shortDescription == "decompression-failed")
            #expect(error.description.hasPrefix("The response body could not be decompressed"))
        }
    }

    /// 10 MB of zeros, gzipped to a few KB: the ratio limit stops it, and says so.
    @Test func bombHitsRatioLimit() async throws {
        let server = try await HTTPTestServer(compress: true) { _ in
            .init(body: [UInt8](repeating: 0, count: 10_000_000))
        }
        defer { server.close() }
        do {
            let response = try await Self.get(server, Self.configuration(.enabled(limit: .init(maxRatio: 100))))
            Issue.record("expected the ratio limit, got \(response.status) with \(response.body.readableBytes) bytes")
        } catch let error as HTTPClientError {
            #expect(error.shortDescription == "decompression-limit")
            #expect(error.description.contains("more than 100 times its compressed size"))
        }
    }

    /// With a generous ratio, the absolute limit stops the same bomb and names its size.
    @Test func bombHitsSizeLimit() async throws {
        let server = try await HTTPTestServer(compress: true) { _ in
            .init(body: [UInt8](repeating: 0, count: 10_000_000))
        }
        defer { server.close() }
        let limit = HTTPClient.DecompressionPolicy.Limit(maxSize: 1_000_000, maxRatio: 1_000_000)
        do {
            let response = try await Self.get(server, Self.configuration(.enabled(limit: limit)))
            Issue.record("expected the size limit, got \(response.status) with \(response.body.readableBytes) bytes")
        } catch let error as HTTPClientError {
            #expect(error.shortDescription == "decompression-limit")
            #expect(error.description.contains("larger than the decompression limit of 1 MB"))
        }
    }

    /// gzip of "hello, x-gzip".
    static let gzippedHello: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0xD7, 0x51, 0xA8,
        0xD0, 0x4D, 0xAF, 0xCA, 0x2C, 0x00, 0x00, 0xAF, 0x53, 0x53, 0x5D, 0x0D, 0x00, 0x00, 0x00,
    ]

    /// `Content-Encoding: x-gzip` is gzip (RFC 9110 §8.4.1.3): the body comes back decompressed, and the head
    /// still names the coding as the server did.
    @Test func xGzipIsGzip() async throws {
        let server = try await HTTPTestServer { _ in
            .init(headers: [("Content-Encoding", "X-Gzip")], body: Self.gzippedHello)
        }
        defer { server.close() }
        let response = try await Self.get(server, Self.configuration(.enabled()))
        #expect(String(buffer: response.body) == "hello, x-gzip")
        #expect(response.head.headerFields[.contentEncoding] == "X-Gzip")
        // Disabled, nothing is decoded, x-gzip or not.
        let raw = try await Self.get(server, Self.configuration(.disabled))
        #expect(Array(raw.body.readableBytesView) == Self.gzippedHello)
    }

    /// gzip of gzip of "hello", as a server that compressed twice sends it.
    static let gzippedTwice: [UInt8] = [
        0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x93, 0xEF, 0xE6, 0x60, 0x00, 0x01, 0x26, 0xE6,
        0xD3, 0x1E, 0x67, 0x4F, 0x9E, 0x64, 0x67, 0x68, 0x5B, 0x26, 0x60, 0xC6, 0x0A, 0x14, 0x00, 0x00, 0xA7, 0x6F,
        0xB4, 0x45, 0x19, 0x00, 0x00, 0x00,
    ]

    /// Several codings in turn (`gzip, gzip`) fail with a sentence that lists them: NIO's decompressor undoes one
    /// layer only, and the body used to come back half-decoded, as if it were the answer.
    @Test func severalCodingsAreRefused() async throws {
        let server = try await HTTPTestServer { _ in
            .init(headers: [("Content-Encoding", "gzip, gzip")], body: Self.gzippedTwice)
        }
        defer { server.close() }
        do {
            let response = try await Self.get(server, Self.configuration(.enabled()))
            Issue.record(
                "expected a decompression error, got \(response.status): \(Array(response.body.readableBytesView))"
            )
        } catch let error as HTTPClientError {
            #expect(error.shortDescription == "decompression-failed")
            #expect(error.description.contains("several codings in turn (gzip, gzip)"), "\(error)")
        }
        // x-gzip among several is named as the server sent it.
        let aliased = try await HTTPTestServer { _ in
            .init(headers: [("Content-Encoding", "x-gzip, gzip")], body: Self.gzippedTwice)
        }
        defer { aliased.close() }
        await #expect(throws: HTTPClientError.self) {
            try await Self.get(aliased, Self.configuration(.enabled()))
        }
    }
}
