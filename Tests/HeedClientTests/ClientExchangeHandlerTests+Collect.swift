import HeedCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeedClient

/// The handler collecting the response body itself (`execute(_:body:timeout:)`): the whole response comes with
/// the outcome, with no body sequence and no head promise.
@Suite struct ClientExchangeHandlerCollectTests {
    /// A GET whose body arrives in two parts: the outcome carries the head and the whole body, and the
    /// connection stays open for the next request.
    @Test func collectsHeadAndBodyIntoTheOutcome() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false, collectUpTo: 1024)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.expectEnd()
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "11"])
        try harness.channel.writeInbound(HTTPClientResponsePart.head(head))
        #expect(harness.result(of: exchange.response) == nil)
        try harness.channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "hello ")))
        try harness.channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "world")))
        try harness.channel.writeInbound(HTTPClientResponsePart.end(nil))
        guard case .success(.response(let completed)) = harness.result(of: exchange.response),
            let collected = completed.collected
        else {
            Issue.record(
                "expected a collected response, got \(String(describing: harness.result(of: exchange.response)))"
            )
            return
        }
        #expect(collected.head.status == .ok)
        #expect(String(buffer: collected.body) == "hello world")
        #expect(completed.connectionReusable)
        #expect(harness.channel.isActive)
    }

    /// A body larger than the limit fails the exchange with `responseBodyTooLarge` and closes the connection.
    @Test func bodyOverTheLimitFailsAndCloses() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false, collectUpTo: 4)
        harness.handler.start(exchange)
        try harness.respond(status: .ok, body: "too long")
        guard
            case .failure(ClientExchange.Failure.responseBodyTooLarge(let limit)) = harness.result(
                of: exchange.response
            )
        else {
            Issue.record(
                "expected responseBodyTooLarge, got \(String(describing: harness.result(of: exchange.response)))"
            )
            return
        }
        #expect(limit == 4)
        #expect(!harness.channel.isActive)
    }

    /// The connection closes in the middle of the body: the failure says it happened while the body was being
    /// received, and the retry policy (not the handler) refuses to send the request again, even a GET on a reused
    /// connection.
    @Test func failureAfterTheHeadIsNeverRetried() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false, collectUpTo: 1024)
        harness.handler.start(exchange)
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "100"])
        try harness.channel.writeInbound(HTTPClientResponsePart.head(head))
        try harness.channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "part")))
        try harness.channel.close().wait()
        let result = harness.result(of: exchange.response)
        guard case .failure(ClientExchange.Failure.exchange(let failure)) = result else {
            Issue.record("expected an exchange failure, got \(String(describing: result))")
            return
        }
        #expect(failure.phase == .receivingBody)
        #expect(failure.reason == .responseTruncated)
        let retry = RetryPolicy.mayRetry(
            failure,
            method: "GET",
            reusedConnection: true,
            bodyReplayable: true,
            attempt: 1
        )
        #expect(!retry)
    }
}
