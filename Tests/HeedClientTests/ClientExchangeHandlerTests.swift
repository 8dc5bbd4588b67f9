import HeedCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeedClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The handler on an `EmbeddedChannel`: what it writes, what it delivers, and when. Timers fire by advancing
/// the embedded loop's clock; nothing sleeps.
@Suite struct ClientExchangeHandlerTests {
    // MARK: - Requests and responses

    /// A GET: head and end go out; the response is delivered with its body and the connection stays open.
    @Test func requestWithoutBody() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.expectEnd()
        try harness.expectNothingWritten()
        try harness.respond(status: .ok, body: "ok")
        #expect(harness.value(of: exchange.bodyStart) == false)
        let response = try await harness.response(of: exchange)
        #expect(response.status == 200)
        #expect(response.body == "ok")
        #expect(response.reusable)
        #expect(harness.channel.isActive)
    }

    /// With `Expect: 100-continue` only the head goes out; when the continue timer fires the body starts.
    @Test func expectWaitsForContinueThenTimerStartsBody() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .POST, hasBody: true, expectContinue: true)
        harness.handler.start(exchange)
        let head = try harness.expectHead()
        #expect(head.headers["Expect"] == ["100-continue"])
        try harness.expectNothingWritten()
        harness.loop.advanceTime(by: Harness.continueTimeout - .milliseconds(1))
        #expect(harness.result(of: exchange.bodyStart) == nil)
        try harness.expectNothingWritten()
        harness.loop.advanceTime(by: .milliseconds(1))
        #expect(harness.value(of: exchange.bodyStart) == true)
        #expect(try harness.writeBody("abcd", for: exchange) == .accepted(wakeConnection: true, wait: false))
        #expect(try harness.expectBody() == "abcd")
        try harness.finishBody(for: exchange)
        try harness.expectEnd()
        try harness.respond(status: .created, body: "")
        let response = try await harness.response(of: exchange)
        #expect(response.status == 201)
        #expect(response.bodyBytesSent == 4)
        #expect(!response.receivedContinue)
    }

    /// A 100 starts the body before the timer; the timer firing later changes nothing.
    @Test func continueStartsBody() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .PUT, hasBody: true, expectContinue: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.channel.writeInbound(HTTPClientResponsePart.head(.init(version: .http1_1, status: .continue)))
        #expect(harness.value(of: exchange.bodyStart) == true)
        harness.loop.advanceTime(by: Harness.continueTimeout)
        #expect(try harness.writeBody("x", for: exchange) == .accepted(wakeConnection: true, wait: false))
        try harness.finishBody(for: exchange)
        #expect(try harness.expectBody() == "x")
        try harness.expectEnd()
        try harness.respond(status: .ok, body: "done")
        let response = try await harness.response(of: exchange)
        #expect(response.receivedContinue)
        #expect(response.body == "done")
    }

    /// A 417 to the `Expect`: no body, no response delivered, a retry without `Expect` is asked for, and the connection closes.
    @Test func expectationFailedAsksForRetry() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .POST, hasBody: true, expectContinue: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.respond(status: .expectationFailed, body: "no")
        #expect(harness.value(of: exchange.bodyStart) == false)
        guard case .success(.retryWithoutExpect) = harness.result(of: exchange.response) else {
            Issue.record("expected a retry, got \(String(describing: harness.result(of: exchange.response)))")
            return
        }
        #expect(!harness.channel.isActive)
        try harness.expectNothingWritten()
    }

    /// An early 413 while the body streams: the part the channel had no room for is dropped, never sent; the
    /// producer hears `stopped`; the 413 and its body are delivered after `.end`, and the connection closes.
    @Test func earlyRejectionStopsBody() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .POST, hasBody: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        #expect(harness.value(of: exchange.bodyStart) == true)
        #expect(try harness.writeBody("sent", for: exchange) == .accepted(wakeConnection: true, wait: false))
        #expect(try harness.expectBody() == "sent")
        harness.setWritable(false)
        let waiting = ByteBuffer(repeating: 1, count: 1000)
        #expect(try harness.writeBody(waiting, for: exchange) == .accepted(wakeConnection: true, wait: false))
        try harness.expectNothingWritten()
        let head = HTTPResponseHead(version: .http1_1, status: .payloadTooLarge, headers: ["Content-Length": "4"])
        try harness.channel.writeInbound(HTTPClientResponsePart.head(head))
        #expect(try harness.writeBody("more", for: exchange) == .stopped)
        harness.setWritable(true)
        try harness.expectNothingWritten()
        #if os(Linux)
        #expect(!harness.asksForQuickAcks)
        #endif
        try harness.channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "nope")))
        #if os(Linux)
        // The body stopped early: the answer's bytes are acknowledged at once (see `acknowledgeAtOnce`).
        #expect(harness.asksForQuickAcks)
        #endif
        #expect(harness.result(of: exchange.response) == nil)
        try harness.channel.writeInbound(HTTPClientResponsePart.end(nil))
        let response = try await harness.response(of: exchange)
        #expect(response.status == 413)
        #expect(response.body == "nope")
        #expect(response.stoppedEarly)
        #expect(response.bodyBytesSent == 4)
        #expect(!response.reusable)
        #expect(!harness.channel.isActive)
        try harness.expectNothingWritten()
    }

    /// Parts offered while the channel is not writable wait in the pipe, in order; the end the producer gave
    /// meanwhile goes out after them, once the channel can take them.
    @Test func partsWaitForWritabilityAndEndFollowsThem() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .PUT, hasBody: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        #expect(harness.value(of: exchange.bodyStart) == true)
        harness.setWritable(false)
        #expect(try harness.writeBody("one", for: exchange) == .accepted(wakeConnection: true, wait: false))
        // The connection comes back for the parts by itself when the channel is writable: no second wake-up.
        #expect(try harness.writeBody("two", for: exchange) == .accepted(wakeConnection: false, wait: false))
        try harness.finishBody(for: exchange)
        try harness.expectNothingWritten()
        harness.setWritable(true)
        #expect(try harness.expectBody() == "one")
        #expect(try harness.expectBody() == "two")
        try harness.expectEnd()
        try harness.respond(status: .ok, body: "stored")
        let response = try await harness.response(of: exchange)
        #expect(response.status == 200)
        #expect(response.bodyBytesSent == 6)
        #expect(!response.stoppedEarly)
        #expect(response.reusable)
    }

    /// The producer waits once the window is full and is let go when written bytes fall to the low-water mark.
    @Test func producerWaitsForTheWindow() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .PUT, hasBody: true)
        let pipe = try #require(exchange.bodyPipe)
        harness.handler.start(exchange)
        try harness.expectHead()
        #expect(harness.value(of: exchange.bodyStart) == true)
        harness.setWritable(false)
        let part = ByteBuffer(repeating: 7, count: pipe.highWater / 4)
        for index in 0..<4 {
            let offer = try harness.writeBody(part, for: exchange)
            #expect(offer == .accepted(wakeConnection: index == 0, wait: index == 3))
        }
        let room = Task { await pipe.waitForRoom() }
        // Bounded: the task registers as waiting after a few turns of the executor.
        for _ in 0..<10_000 where !pipe.producerIsWaiting { await Task.yield() }
        #expect(pipe.producerIsWaiting)
        harness.setWritable(true)
        #expect(await room.value)
        #expect(!pipe.producerIsWaiting)
        for _ in 0..<4 { #expect(try harness.expectBody().utf8.count == part.readableBytes) }
    }

    /// An early 401 while waiting for 100: the body never starts.
    @Test func rejectionWhileWaitingForContinue() async throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .POST, hasBody: true, expectContinue: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.respond(status: .unauthorized, body: "who?")
        #expect(harness.value(of: exchange.bodyStart) == false)
        let response = try await harness.response(of: exchange)
        #expect(response.status == 401)
        #expect(response.body == "who?")
        #expect(response.bodyBytesSent == 0)
        #expect(!harness.channel.isActive)
        harness.loop.advanceTime(by: Harness.continueTimeout)
        try harness.expectNothingWritten()
    }

    /// A second response after an early complete 200 fails the exchange; it never replaces the first one's head.
    @Test func secondResponseAfterEarlyResponseFails() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .POST, hasBody: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.respond(status: .ok, body: "first")
        #expect(harness.result(of: exchange.response) == nil)
        try harness.respond(status: .internalServerError, body: "")
        try harness.finishBody(for: exchange)
        let failure = try harness.failure(of: exchange)
        guard case .protocolViolation = failure.reason else {
            Issue.record("expected a protocol violation, got \(failure.reason)")
            return
        }
        #expect(!harness.channel.isActive)
    }

    // MARK: - Failures

    /// A body write fails with EPIPE, then the server's response arrives: it is delivered, and the connection closes.
    @Test func writeFailureThenResponseIsDelivered() async throws {
        let harness = try Harness(failBodyWrites: true)
        let exchange = harness.exchange(method: .POST, hasBody: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        #expect(harness.value(of: exchange.bodyStart) == true)
        try harness.writeBody("abc", for: exchange)
        #expect(try harness.writeBody("more", for: exchange) == .stopped)
        #expect(harness.channel.isActive)
        #expect(harness.result(of: exchange.response) == nil)
        try harness.respond(status: .payloadTooLarge, body: "too big")
        let response = try await harness.response(of: exchange)
        #expect(response.status == 413)
        #expect(response.body == "too big")
        #expect(!response.reusable)
        #expect(!harness.channel.isActive)
    }

    /// A body write fails with EPIPE and the connection closes with no response: the failure names the write error.
    @Test func writeFailureThenCloseFails() throws {
        let harness = try Harness(failBodyWrites: true)
        let exchange = harness.exchange(method: .POST, hasBody: true)
        harness.handler.start(exchange)
        try harness.expectHead()
        #expect(harness.value(of: exchange.bodyStart) == true)
        try harness.writeBody("abc", for: exchange)
        #expect(try harness.writeBody("more", for: exchange) == .stopped)
        try harness.channel.close().wait()
        let failure = try harness.failure(of: exchange)
        #expect(failure.reason == .writeFailedWithoutResponse)
        #expect(failure.phase == .sendingBody)
        #expect(failure.writeError?.name == "EPIPE")
        #expect(failure.writeError?.errno == EPIPE)
    }

    /// The connection closes with no response and no error: closed without response, waiting for it.
    @Test func closeWithoutResponse() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false)
        harness.handler.start(exchange)
        try harness.expectHead()
        try harness.expectEnd()
        try harness.channel.close().wait()
        let failure = try harness.failure(of: exchange)
        #expect(failure.reason == .closedWithoutResponse)
        #expect(failure.phase == .awaitingResponse)
        #expect(harness.handler.isClosed)
    }

    /// A read error (a reset) then the close: reset without response, with the read error.
    @Test func resetWithoutResponse() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false)
        harness.handler.start(exchange)
        harness.channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNRESET, reason: "read"))
        let failure = try harness.failure(of: exchange)
        #expect(failure.reason == .resetWithoutResponse)
        #expect(failure.readError?.name == "ECONNRESET")
        #expect(!harness.channel.isActive)
    }

    /// Nothing arrives for the read-idle timeout: the exchange fails with a read-idle timeout. A byte read restarts
    /// the wait.
    @Test func readIdleTimeout() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false, readIdleTimeout: .seconds(5))
        harness.handler.start(exchange)
        harness.loop.advanceTime(by: .seconds(4))
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "10"])
        try harness.channel.writeInbound(HTTPClientResponsePart.head(head))
        harness.loop.advanceTime(by: .seconds(4))
        #expect(harness.result(of: exchange.response) == nil)
        harness.loop.advanceTime(by: .seconds(1))
        let failure = try harness.failure(of: exchange)
        #expect(failure.reason == .timeout(.readIdle))
        #expect(failure.phase == .receivingBody)
        #expect(!harness.channel.isActive)
    }

    /// The whole-request deadline passes: a request timeout.
    @Test func requestDeadline() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .GET, hasBody: false, deadlineIn: .seconds(3))
        harness.handler.start(exchange)
        harness.loop.advanceTime(by: .seconds(2))
        #expect(harness.result(of: exchange.response) == nil)
        harness.loop.advanceTime(by: .seconds(1))
        #expect(try harness.failure(of: exchange).reason == .timeout(.request))
        #expect(!harness.channel.isActive)
    }

    /// The caller cancels: the exchange fails as cancelled and the connection closes.
    @Test func cancellation() throws {
        let harness = try Harness()
        let exchange = harness.exchange(method: .POST, hasBody: true)
        harness.handler.start(exchange)
        harness.handler.cancel(exchange)
        let failure = try harness.failure(of: exchange)
        #expect(failure.reason == .cancelled)
        #expect(!harness.channel.isActive)
    }

    /// A closed connection takes no new exchange: it answers `stale` and the body never starts.
    @Test func closedConnectionRefusesExchange() throws {
        let harness = try Harness()
        try harness.channel.close().wait()
        let exchange = harness.exchange(method: .GET, hasBody: false)
        harness.handler.start(exchange)
        #expect(harness.value(of: exchange.bodyStart) == false)
        guard case .failure(ClientExchange.Failure.stale) = harness.result(of: exchange.response) else {
            Issue.record("expected stale, got \(String(describing: harness.result(of: exchange.response)))")
            return
        }
    }

    /// Two exchanges in a row on one keep-alive connection.
    @Test func keepAliveServesTwoExchanges() async throws {
        let harness = try Harness()
        for index in 0..<2 {
            let exchange = harness.exchange(method: .GET, hasBody: false)
            harness.handler.start(exchange)
            try harness.expectHead()
            try harness.expectEnd()
            try harness.respond(status: .ok, body: "r\(index)")
            #expect(try await harness.response(of: exchange).body == "r\(index)")
        }
        #expect(harness.channel.isActive)
    }
}
