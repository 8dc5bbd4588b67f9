import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import Synchronization
import Testing

/// How many times a responder was called.
private final class CallCounter: Sendable {
    let calls = Atomic<Int>(0)

    func increment() {
        self.calls.add(1, ordering: .relaxed)
    }

    var value: Int {
        self.calls.load(ordering: .relaxed)
    }
}

/// Request heads the server must read carefully: whitespace around field values, huge lengths, `Host`,
/// HTTP/1.0 framing and upgrades, over raw loopback sockets.
@Suite struct ServerRequestHeadTests {
    /// A responder that reads the whole body, then answers 200.
    private static func readingResponder(_ counter: CallCounter? = nil) -> HeadResponder {
        { _ in
            counter?.increment()
            return .accept { _, body in
                _ = try await body.collect(upTo: 1024 * 1024)
                return ServerResponse(status: .ok, text: "read\n")
            }
        }
    }

    /// Runs one raw client and returns its outcome and how long it took.
    private static func run(
        _ head: String,
        port: Int,
        bodyBytes: Int = 0,
        timeoutMilliseconds: Int32 = 5_000
    ) async throws -> (ServerRawClient.Outcome, Duration) {
        let client = ServerRawClient(
            port: port,
            head: head,
            bodyBytes: bodyBytes,
            timeoutMilliseconds: timeoutMilliseconds
        )
        let start = ContinuousClock.now
        let outcomes = try await runRawClients(client, count: 1, threads: 1)
        let elapsed = ContinuousClock.now - start
        let outcome = try #require(outcomes.first)
        return (outcome, elapsed)
    }

    /// `Content-Length: 100 ` (a trailing space, kept by the parser) is a length: a client that sends no body
    /// is cut off with 408 after the idle timeout rather than held forever.
    @Test func contentLengthWithTrailingSpaceRunsTheIdleTimer() async throws {
        let limits = ServerLimits(idleTimeout: .milliseconds(300))
        let (outcome, elapsed) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: Self.readingResponder()
        ) { port in
            try await Self.run("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100 \r\n\r\n", port: port)
        }
        #expect(outcome.statusCode == 408, "\(outcome)")
        #expect(outcome.ending == .fin || outcome.ending == .reset, "\(outcome)")
        #expect(elapsed < .seconds(4), "took \(elapsed)")
    }

    /// A `Content-Length` too large for `Int` is over any body limit: 413 at once, the responder never asked.
    @Test func contentLengthAboveIntMaxGets413() async throws {
        let counter = CallCounter()
        let limits = ServerLimits(maxBodySize: 1024)
        let (outcome, _) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: Self.readingResponder(counter)
        ) { port in
            try await Self.run(
                "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 9223372036854775808 \r\n\r\n",
                port: port
            )
        }
        #expect(outcome.statusCode == 413, "\(outcome)")
        #expect(outcome.closeRequested, "\(outcome)")
        #expect(counter.value == 0)
    }

    /// `Expect: 100-continue ` with a trailing space gets 100 Continue, not 417.
    @Test func expectWithTrailingSpaceGetsContinue() async throws {
        let (outcome, _) = try await withTestServer(
            HeedServerConfiguration(lingeringClose: nil),
            responder: Self.readingResponder()
        ) { port in
            try await Self.run(
                "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue \r\nConnection: close\r\n\r\n",
                port: port,
                bodyBytes: 5
            )
        }
        #expect(outcome.sawContinue, "\(outcome)")
        #expect(outcome.statusCode == 200, "\(outcome)")
    }

    /// An HTTP/1.1 request without `Host`, or with two, gets 400 without the responder being asked; a normal
    /// request on the same server is served.
    @Test func missingOrDuplicateHostGets400() async throws {
        let counter = CallCounter()
        let (missing, duplicate, normal) = try await withTestServer(
            HeedServerConfiguration(lingeringClose: nil),
            responder: Self.readingResponder(counter)
        ) { port in
            let missing = try await Self.run("GET / HTTP/1.1\r\n\r\n", port: port)
            let duplicate = try await Self.run("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", port: port)
            let before = counter.value
            #expect(before == 0)
            let normal = try await Self.run("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: port)
            return (missing.0, duplicate.0, normal.0)
        }
        for outcome in [missing, duplicate] {
            #expect(outcome.statusCode == 400, "\(outcome)")
            #expect(outcome.closeRequested && outcome.ending == .fin, "\(outcome)")
        }
        #expect(normal.statusCode == 200, "\(normal)")
        #expect(counter.value == 1)
    }

    /// An HTTP/1.0 request with `Transfer-Encoding` is not kept alive, even if it asks to be.
    @Test func http10WithTransferEncodingCloses() async throws {
        let limits = ServerLimits(idleTimeout: .seconds(30))
        let (outcome, _) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: Self.readingResponder()
        ) { port in
            try await Self.run(
                "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                port: port
            )
        }
        #expect(outcome.statusCode == 200, "\(outcome)")
        #expect(outcome.closeRequested && outcome.ending == .fin, "\(outcome)")
    }

    /// An upgrade request is answered normally, with `Connection: close`, and the connection closes at once
    /// (the parser reads nothing after it).
    @Test func upgradeRequestIsAnsweredAndClosed() async throws {
        let limits = ServerLimits(idleTimeout: .seconds(30))
        let (outcome, elapsed) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: Self.readingResponder()
        ) { port in
            try await Self.run("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n", port: port)
        }
        #expect(outcome.statusCode == 200, "\(outcome)")
        #expect(outcome.closeRequested && outcome.ending == .fin, "\(outcome)")
        #expect(elapsed < .seconds(4), "took \(elapsed)")
    }

    /// CONNECT gets 501 and a close, without the responder being asked.
    @Test func connectGets501() async throws {
        let counter = CallCounter()
        let limits = ServerLimits(idleTimeout: .seconds(30))
        let (outcome, _) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: Self.readingResponder(counter)
        ) { port in
            try await Self.run("CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n", port: port)
        }
        #expect(outcome.statusCode == 501, "\(outcome)")
        #expect(outcome.closeRequested && outcome.ending == .fin, "\(outcome)")
        #expect(counter.value == 0)
    }

    /// After a CONNECT the server does not keep reading: 64 MiB sent after it are not all accepted. (Without a
    /// lingering close, which would read and discard up to its own byte limit.)
    @Test func connectFollowedByMegabytesIsCutOff() async throws {
        let limits = ServerLimits(idleTimeout: .seconds(30))
        let total = 64 * 1024 * 1024
        let (outcome, _) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: Self.readingResponder()
        ) { port in
            try await Self.run("CONNECT a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n", port: port, bodyBytes: total)
        }
        #expect(outcome.bytesSent < total / 2, "\(outcome)")
        #expect(outcome.ending != .timedOut, "\(outcome)")
    }

    /// Bytes after an upgrade request are never parsed; while its handler works, the request decoder does not
    /// buffer them without limit: past its bound the connection closes.
    @Test func bytesAfterUpgradeAreBounded() async throws {
        let limits = ServerLimits(maxHeaderSize: 8 * 1024, idleTimeout: .seconds(30))
        let total = 64 * 1024 * 1024
        let (release, releaseSink) = AsyncStream.makeStream(of: Void.self)
        let responder: HeadResponder = { _ in
            .accept { _, _ in
                for await _ in release {}
                return ServerResponse(status: .ok, text: "late\n")
            }
        }
        let (outcome, _) = try await withTestServer(
            HeedServerConfiguration(limits: limits, lingeringClose: nil),
            responder: responder
        ) { port in
            defer { releaseSink.finish() }
            return try await Self.run(
                "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
                port: port,
                bodyBytes: total
            )
        }
        #expect(outcome.bytesSent < total / 2, "\(outcome)")
        #expect(outcome.ending != .timedOut, "\(outcome)")
    }
}
