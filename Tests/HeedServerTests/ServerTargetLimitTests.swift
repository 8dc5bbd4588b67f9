import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

/// A request target longer than `maxHeaderSize` gets 414; a head over the limit for its fields stays 431.
@Suite struct ServerTargetLimitTests {
    /// Raw request bytes and the statuses of the responses they must get.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let request: String
        let statuses: [Int]
        var testDescription: String { self.name }
    }

    private static let longTarget = "/" + String(repeating: "a", count: 40_000)
    private static let overlongRequest = "GET \(Self.longTarget) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    static let cases: [Case] = [
        Case(name: "long target", request: Self.overlongRequest, statuses: [414]),
        Case(name: "long target, line not ended", request: "GET \(Self.longTarget)", statuses: [414]),
        Case(
            name: "long target after a request",
            request: "GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + Self.overlongRequest,
            statuses: [200, 414]
        ),
        Case(
            name: "long target after a request with a body",
            request: "PUT /ok HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello" + Self.overlongRequest,
            statuses: [200, 414]
        ),
        Case(
            name: "one large field",
            request: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: \(String(repeating: "b", count: 20_000))\r\n\r\n",
            statuses: [431]
        ),
        Case(
            name: "target under the limit, fields over it",
            request: "GET /\(String(repeating: "a", count: 7_000)) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "X-Big: \(String(repeating: "b", count: 2_000))\r\n\r\n",
            statuses: [431]
        ),
    ]

    /// Each case gets its statuses, the last with `Connection: close` and the server's FIN; an over-long target
    /// used to get 431 like any other head over the limit.
    @Test(arguments: Self.cases)
    func headLimitStatus(_ testCase: Case) async throws {
        let configuration = HeedServerConfiguration(limits: ServerLimits(maxHeaderSize: 8 * 1024))
        let responder: HeadResponder = { _ in .respond(ServerResponse(status: .ok, text: "ok\n")) }
        let outcome = try await withTestServer(configuration, responder: responder) { port in
            try await ServerHalfCloseClient(port: port, request: testCase.request, shutsDownWriteSide: false)
                .runOnItsOwnThread()
        }
        let responses = ServerHalfCloseClient.parseResponses(outcome.received)
        #expect(responses.map(\.statusCode) == testCase.statuses)
        #expect(responses.last?.fields["connection"] == "close")
        #expect(outcome.sawFIN)
    }
}
