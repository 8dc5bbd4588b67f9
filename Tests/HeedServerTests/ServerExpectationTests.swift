import HTTPTypes
import HeedServer
import HeedTestSupport
import NIOCore
import Testing

/// `Expect` on the wire: a list over all its field lines (RFC 9110 §10.1.1).
@Suite struct ServerExpectationTests {
    /// Accepts every request and answers 200 with the body's size.
    private static func acceptingResponder() -> HeadResponder {
        { _ in
            .accept { _, body in
                let bytes = try await body.collect(upTo: 1 << 20)
                return ServerResponse(status: .ok, text: "\(bytes.readableBytes)")
            }
        }
    }

    private static func send(expect fieldLines: [String]) async throws -> ServerRawClient.Outcome? {
        try await withTestServer(responder: Self.acceptingResponder()) { port in
            let fields = fieldLines.map { "Expect: \($0)\r\n" }.joined()
            let client = ServerRawClient(
                port: port,
                head: "PUT /u HTTP/1.1\r\nHost: 127.0.0.1\r\n\(fields)Content-Length: 5\r\nConnection: close\r\n\r\n",
                bodyBytes: 5
            )
            return try await runRawClients(client, count: 1).first
        }
    }

    /// An unsupported expectation beside `100-continue` in the same list gets 417, without 100 Continue.
    @Test func unsupportedElementBeside100ContinueGets417() async throws {
        let outcome = try await Self.send(expect: ["foo, 100-continue"])
        #expect(outcome?.statusCode == 417)
        #expect(outcome?.sawContinue == false)
    }

    /// An unsupported expectation in a second field line gets 417; the second line used to be ignored, and the
    /// request was accepted with 100 Continue.
    @Test func unsupportedExpectationInASecondFieldLineGets417() async throws {
        let outcome = try await Self.send(expect: ["100-continue", "foo"])
        #expect(outcome?.statusCode == 417)
        #expect(outcome?.sawContinue == false)
    }

    /// `100-continue` in any case and any element, with empty elements, gets 100 Continue; the list used to be
    /// compared as one value and got 417.
    @Test func continueInAList() async throws {
        let outcome = try await Self.send(expect: ["100-CONTINUE, ,100-continue", "100-Continue"])
        #expect(outcome?.sawContinue == true)
        #expect(outcome?.statusCode == 200)
    }
}
