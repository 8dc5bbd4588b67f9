import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Pipelined requests: back-pressure against a client that does not read, and bytes after a closing request.
@Suite struct ServerPipeliningTests {
    /// Counts the requests the responder has seen.
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    private static func runOnThread<Outcome: Sendable>(
        _ work: @escaping @Sendable () -> Outcome?
    ) async throws -> Outcome {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        defer { pool.shutdownGracefully { _ in } }
        guard let outcome = try await pool.runIfActive(work) else {
            throw RawClientCouldNotConnect()
        }
        return outcome
    }

    /// A client that pipelines 20,000 requests for 4 KiB responses (80 MB in all) and reads nothing: the server
    /// stops reading once its responses stop flowing out, so the client's send stalls with a bounded number of
    /// requests answered; then the client reads and every response arrives, in order. The server used to read
    /// on and answer everything into memory.
    @Test func pipeliningWithoutReadingIsHeldBack() async throws {
        let count = 20_000
        let handled = Counter()
        let padding = ByteBuffer(repeating: UInt8(ascii: "p"), count: 4096)
        let responder: HeadResponder = { request in
            handled.value.add(1, ordering: .relaxed)
            var body = ByteBuffer(string: "\(request.path ?? "")\n")
            body.writeImmutableBuffer(padding)
            return .respond(ServerResponse(head: HTTPResponse(status: .ok), body: body))
        }
        let filler = String(repeating: "f", count: 200)
        let requests = (0..<count).map { "GET /\($0) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: \(filler)\r\n\r\n" }
        let configuration = HeedServerConfiguration(receiveBufferSize: 32 * 1024)
        let outcome = try await withTestServer(configuration, responder: responder) { port in
            let client = ServerPipeliningClient(
                port: port,
                requests: requests,
                stallMilliseconds: 1_000,
                timeoutMilliseconds: 60_000,
                probeAtStall: { handled.value.load(ordering: .relaxed) }
            )
            return try await Self.runOnThread { client.run() }
        }
        #expect(outcome.requestsSentBeforeStall != nil, "the client sent everything without a stall")
        #expect((outcome.probedAtStall ?? count) < count / 4, "\(String(describing: outcome.probedAtStall)) answered")
        #expect(outcome.requestsSent == count)
        #expect(outcome.statusCodes.count == count)
        #expect(outcome.statusCodes.allSatisfy { $0 == 200 })
        #expect(outcome.bodyFirstLines == (0..<count).map { "/\($0)" })
    }

    /// A request that closes the connection (`Connection: close`, or HTTP/1.0 without keep-alive: `/close10`)
    /// followed in the same write by another request, alone or after a kept-alive request, is answered
    /// normally; the connection then closes and what follows is ignored (RFC 9112 §9.6). The server used to
    /// answer 400 because the parser refuses bytes after such a request.
    @Test(arguments: [
        ["/close"],
        ["/first", "/close"],
        ["/first", "/close10"],
    ])
    func closingRequestFollowedByMoreBytesIsAnswered(paths: [String]) async throws {
        let responder: HeadResponder = { request in
            .accept { _, body in
                _ = try await body.collect(upTo: 1024)
                return ServerResponse(status: .ok, text: request.path ?? "")
            }
        }
        var request = ""
        for path in paths {
            let connection = path == "/close" ? "Connection: close\r\n" : ""
            let version = path == "/close10" ? "1.0" : "1.1"
            request += "GET \(path) HTTP/\(version)\r\nHost: 127.0.0.1\r\n\(connection)\r\n"
        }
        request += "GET /after HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let outcome = try await withTestServer(responder: responder) { [request] port in
            let client = ServerHalfCloseClient(port: port, request: request, shutsDownWriteSide: false)
            return try await Self.runOnThread { client.run() }
        }
        let responses = ServerHalfCloseClient.parseResponses(outcome.received)
        #expect(outcome.sawFIN)
        #expect(
            responses.map(\.statusCode) == paths.map { _ in 200 },
            "\(String(decoding: outcome.received, as: UTF8.self))"
        )
        #expect(responses.map { String(decoding: $0.body, as: UTF8.self) } == paths)
        #expect(responses.last?.fields["connection"] == "close")
    }
}
