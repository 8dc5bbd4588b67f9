import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

@Suite struct ServerLimitTests {
    private static func helloResponder() -> HeadResponder {
        { _ in .respond(ServerResponse(status: .ok, text: "hello\n")) }
    }

    private static func getClient(port: Int) -> ServerRawClient {
        ServerRawClient(
            port: port,
            head: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            bodyBytes: 0,
            timeoutMilliseconds: 5_000
        )
    }

    /// Slow-loris clients are cut off within the header-read timeout while other clients keep being served.
    ///
    /// The timeout is a second, not less: the other clients send their whole head right after connecting, but
    /// under the full suite's load a client thread can stall for hundreds of milliseconds between `connect` and
    /// `send`, and the server would rightly cut it off (with 300 ms, one full-suite run in 32 failed, most
    /// likely so).
    @Test func slowLorisIsCutOffWhileOthersAreServed() async throws {
        let limits = ServerLimits(headerReadTimeout: .seconds(1), idleTimeout: .milliseconds(300))
        let configuration = HeedServerConfiguration(limits: limits)
        let (cutOffTimes, others) = try await withTestServer(configuration, responder: Self.helloResponder()) { port in
            let pool = NIOThreadPool(numberOfThreads: 6)
            pool.start()
            defer { pool.shutdownGracefully { _ in } }
            let slow = ServerSlowClient(port: port, intervalMilliseconds: 20, maxDurationMilliseconds: 8_000)
            async let lorises = withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await pool.runIfActive { slow.run() } }
                }
                var times: [Int?] = []
                for try await time in group { times.append(time) }
                return times
            }
            let others = try await runRawClients(Self.getClient(port: port), count: 20, threads: 2)
            return (try await lorises, others)
        }
        #expect(cutOffTimes.count == 4)
        for time in cutOffTimes {
            #expect(time != nil, "a slow-loris client was never cut off")
            if let time {
                #expect(time >= 950 && time < 4_000, "cut off after \(time) ms")
            }
        }
        #expect(others.count == 20)
        for outcome in others {
            #expect(outcome.statusCode == 200 && outcome.receivedWholeResponse && outcome.ending == .fin, "\(outcome)")
        }
    }

    /// A header bomb gets 431 and a clean close while other clients keep being served.
    @Test func headerBombGets431() async throws {
        let limits = ServerLimits(maxHeaderSize: 8 * 1024)
        let configuration = HeedServerConfiguration(limits: limits)
        let bomb = String(repeating: "X-Bomb: \(String(repeating: "b", count: 1000))\r\n", count: 100)
        let (bombs, others) = try await withTestServer(configuration, responder: Self.helloResponder()) { port in
            let client = ServerRawClient(
                port: port,
                head: "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + bomb + "\r\n",
                bodyBytes: 0,
                timeoutMilliseconds: 5_000
            )
            async let bombs = runRawClients(client, count: 10, threads: 4)
            let others = try await runRawClients(Self.getClient(port: port), count: 10, threads: 2)
            return (try await bombs, others)
        }
        #expect(bombs.count == 10)
        for outcome in bombs {
            #expect(outcome.statusCode == 431)
            #expect(outcome.receivedWholeResponse && outcome.closeRequested)
            #expect(outcome.ending == .fin, "\(outcome)")
        }
        #expect(others.allSatisfy { $0.statusCode == 200 && $0.receivedWholeResponse })
    }

    /// A declared body over the limit gets 413 before the server reads it, and the client still reads it.
    @Test func declaredOversizedBodyGets413() async throws {
        let limits = ServerLimits(maxBodySize: 1024)
        let configuration = HeedServerConfiguration(limits: limits)
        let responder: HeadResponder = { _ in
            .accept { _, body in
                _ = try await body.collect(upTo: 1 << 20)
                return ServerResponse(status: .ok, text: "stored\n")
            }
        }
        let outcomes = try await withTestServer(configuration, responder: responder) { port in
            let client = ServerRawClient(
                port: port,
                head: uploadHead(length: 100_000, expectContinue: true),
                bodyBytes: 100_000
            )
            return try await runRawClients(client, count: 5)
        }
        for outcome in outcomes {
            #expect(outcome.statusCode == 413)
            #expect(!outcome.sawContinue)
            #expect(outcome.receivedWholeResponse && outcome.ending == .fin)
        }
    }

    /// A chunked body gets 413 as soon as it passes the limit, while the client is still sending.
    @Test func chunkedBodyGets413WhenItPassesTheLimit() async throws {
        let limits = ServerLimits(maxBodySize: 10_000)
        let configuration = HeedServerConfiguration(limits: limits)
        let responder: HeadResponder = { _ in
            .accept { _, body in
                for try await _ in body {}
                return ServerResponse(status: .ok, text: "stored\n")
            }
        }
        let outcome = try await withTestServer(configuration, responder: responder) { port in
            // One chunk of 0x10000 bytes: the client's 64 KiB writes of "x" then make chunk data.
            let client = ServerRawClient(
                port: port,
                head: "PUT /u HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n",
                bodyBytes: 65_536
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.statusCode == 413)
        #expect(outcome?.receivedWholeResponse == true)
        #expect(outcome?.ending == .fin)
    }

    /// An expectation other than 100-continue gets 417.
    @Test func unknownExpectationGets417() async throws {
        let outcome = try await withTestServer(responder: Self.helloResponder()) { port in
            let client = ServerRawClient(
                port: port,
                head: "PUT /u HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\n",
                bodyBytes: 5
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.statusCode == 417)
        #expect(outcome?.ending == .fin)
    }
}
