import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

/// A client that half-closes (`shutdown(SHUT_WR)`) after its requests still gets every response whole.
@Suite struct ServerHalfCloseTests {
    private static let bigBodySize = 16 * 1024 * 1024

    /// `/big` answers with a 16 MiB body, on the head (`/big?sync`) or from an accepted handler; anything else
    /// gets a short body naming the path, from an accepted handler.
    private static func responder() -> HeadResponder {
        { request in
            let path = request.path ?? ""
            if path == "/big?sync" {
                return .respond(Self.bigResponse())
            }
            return .accept { _, body in
                _ = try await body.collect(upTo: 1024)
                return path == "/big" ? Self.bigResponse() : ServerResponse(status: .ok, text: path)
            }
        }
    }

    private static func bigResponse() -> ServerResponse {
        ServerResponse(
            head: HTTPResponse(status: .ok),
            body: ByteBuffer(repeating: UInt8(ascii: "b"), count: Self.bigBodySize)
        )
    }

    private static func run(_ request: String) async throws -> ServerHalfCloseClient.Outcome {
        try await withTestServer(responder: Self.responder()) { port in
            try await ServerHalfCloseClient(port: port, request: request, timeoutMilliseconds: 20_000)
                .runOnItsOwnThread()
        }
    }

    /// A large response to a request followed by the client's EOF arrives whole, then the server's FIN; the
    /// server used to close the whole channel at once and drop what the kernel had not taken yet.
    @Test(arguments: ["/big", "/big?sync"])
    func largeResponseAfterHalfCloseArrivesWhole(path: String) async throws {
        let outcome = try await Self.run("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let responses = ServerHalfCloseClient.parseResponses(outcome.received)
        #expect(outcome.sawFIN)
        #expect(responses.count == 1, "received \(outcome.received.count) bytes")
        #expect(responses.first?.statusCode == 200)
        #expect(responses.first?.body.count == Self.bigBodySize)
    }

    /// Pipelined requests received before the client's EOF are all answered, in order, the last with
    /// `Connection: close`; the server used to answer only the first.
    @Test func pipelinedRequestsBeforeHalfCloseAreAnswered() async throws {
        let request = "GET /one HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /two HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let outcome = try await Self.run(request)
        let responses = ServerHalfCloseClient.parseResponses(outcome.received)
        #expect(outcome.sawFIN)
        #expect(responses.map(\.statusCode) == [200, 200])
        #expect(responses.map { String(decoding: $0.body, as: UTF8.self) } == ["/one", "/two"])
        #expect(responses.last?.fields["connection"] == "close")
    }

    /// The idle timeout measures the client's silence: while the server itself stops reading because the
    /// application is slow to consume the body, the clock stands still. An 8 MiB upload sent at full speed to a
    /// handler that first works for 3 s (three idle timeouts) gets 201, not 408.
    @Test func slowApplicationDoesNotTimeOutTheClient() async throws {
        let bodySize = 8 * 1024 * 1024
        let limits = ServerLimits(maxBodySize: 16 * 1024 * 1024, idleTimeout: .seconds(1))
        let responder: HeadResponder = { _ in
            .accept { _, body in
                try await Task.sleep(for: .seconds(3))
                let bytes = try await body.collect(upTo: 16 * 1024 * 1024)
                return ServerResponse(status: .created, text: "\(bytes.readableBytes)")
            }
        }
        let outcomes = try await withTestServer(HeedServerConfiguration(limits: limits), responder: responder) { port in
            let client = ServerRawClient(
                port: port,
                head: "PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(bodySize)\r\n\r\n",
                bodyBytes: bodySize,
                timeoutMilliseconds: 20_000
            )
            return try await runRawClients(client, count: 1, threads: 1)
        }
        #expect(outcomes.count == 1)
        #expect(outcomes.first?.statusCode == 201, "\(String(describing: outcomes.first))")
        #expect(outcomes.first?.bytesSent == bodySize)
    }

    /// A 204 or 304 carries no body and (204) no `Content-Length`, even if the application set a body: bytes
    /// after such a head would be read as the start of the next response. The pipelined GET that follows
    /// parses as a normal 200.
    @Test(arguments: [204, 304])
    func bodilessStatusSendsNoBody(code: Int) async throws {
        let responder: HeadResponder = { request in
            if request.path == "/first" {
                return .respond(ServerResponse(status: HTTPResponse.Status(code: code), text: "x"))
            }
            return .respond(ServerResponse(status: .ok, text: "second"))
        }
        let request = "GET /first HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let outcome = try await withTestServer(responder: responder) { port in
            try await ServerHalfCloseClient(port: port, request: request).runOnItsOwnThread()
        }
        let responses = ServerHalfCloseClient.parseResponses(outcome.received)
        #expect(responses.map(\.statusCode) == [code, 200], "\(String(decoding: outcome.received, as: UTF8.self))")
        #expect(responses.first?.fields["content-length"] == nil)
        #expect(responses.first?.body.isEmpty == true)
        #expect(responses.last.map { String(decoding: $0.body, as: UTF8.self) } == "second")
    }
}
