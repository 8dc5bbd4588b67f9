import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

/// A stop is graceful and bounded: the listener and the idle connections close at once, the requests in progress
/// finish (with `Connection: close`), and what is left at the end of the grace period is cut off.
@Suite(.timeLimit(.minutes(1))) struct ServerShutdownTests {
    /// GET answers on the head; PUT streams its body to a handler that reports each part and answers 201 with the
    /// byte count.
    private static func uploadResponder(parts: AsyncStream<Void>.Continuation) -> HeadResponder {
        { request in
            guard request.method == .put else {
                return .respond(ServerResponse(status: .ok, text: "ok"))
            }
            return .accept { _, body in
                var total = 0
                for try await part in body {
                    total += part.readableBytes
                    parts.yield()
                }
                return ServerResponse(status: .created, text: "\(total)")
            }
        }
    }

    /// Sends a GET on `socket` and reads its response: the connection is then idle and kept alive.
    private static func makeIdle(_ socket: ScriptedSocket) async throws -> RawResponse? {
        try await BlockingWork.run {
            socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return RawResponse.read(from: socket)
        }
    }

    /// An upload in flight when the stop begins completes with its real response (201, the whole body counted) and
    /// `Connection: close`, while an idle kept-alive connection closes at once; the stop used to cancel the upload's
    /// handler (500) and leave the idle connection open until its idle timeout.
    ///
    /// One event loop serves both connections, and a stop reaches the connections of a loop in one task: once the
    /// idle one has closed, the upload's connection knows of the stop before the rest of its body arrives.
    @Test func uploadInFlightCompletesWithConnectionClose() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (parts, partSink) = AsyncStream.makeStream(of: Void.self)
        let configuration = HeedServerConfiguration(host: "127.0.0.1", port: 0)
        let server = try await StoppableServer.start(
            HeedServer(
                configuration: configuration,
                eventLoopGroup: group,
                responder: Self.uploadResponder(parts: partSink)
            )
        )
        let half = 100_000
        let port = server.port
        let idle = try #require(try await BlockingWork.run { ScriptedSocket.connect(port: port) })
        let upload = try #require(try await BlockingWork.run { ScriptedSocket.connect(port: port) })
        let kept = try await Self.makeIdle(idle)
        #expect(kept?.status == 200 && kept?.fields["connection"] == nil)
        try await BlockingWork.run {
            upload.write("PUT /file HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(2 * half)\r\n\r\n")
            upload.write([UInt8](repeating: UInt8(ascii: "x"), count: half))
        }
        var partIterator = parts.makeAsyncIterator()
        _ = await partIterator.next()  // the handler is reading the body

        server.beginStop()
        let idleClosed = try await BlockingWork.run { BlockingWork.bytesUntilEOF(idle, withinMilliseconds: 5_000) }
        idle.close()
        let response = try await BlockingWork.run { () -> RawResponse? in
            upload.write([UInt8](repeating: UInt8(ascii: "x"), count: half))
            return RawResponse.read(from: upload)
        }
        let uploadClosed = try await BlockingWork.run { BlockingWork.bytesUntilEOF(upload, withinMilliseconds: 5_000) }
        upload.close()
        _ = try await server.stop()
        try await group.shutdownGracefully()

        #expect(idleClosed == 0, "the idle connection did not close at once")
        #expect(response?.status == 201)
        #expect(response?.body == "\(2 * half)")
        #expect(response?.fields["connection"] == "close")
        #expect(uploadClosed == 0)
    }

    /// An idle kept-alive connection is closed as soon as the stop begins (not at its 60 s idle timeout), and the
    /// stop returns once it has closed, well before the grace period.
    @Test func idleKeptAliveConnectionClosesAtOnce() async throws {
        let limits = ServerLimits(idleTimeout: .seconds(60))
        let configuration = HeedServerConfiguration(host: "127.0.0.1", port: 0, limits: limits)
        let (_, partSink) = AsyncStream.makeStream(of: Void.self)
        let server = try await StoppableServer.start(
            HeedServer(configuration: configuration, responder: Self.uploadResponder(parts: partSink))
        )
        let port = server.port
        let idle = try #require(try await BlockingWork.run { ScriptedSocket.connect(port: port) })
        let kept = try await Self.makeIdle(idle)
        #expect(kept?.status == 200 && kept?.fields["connection"] == nil)

        server.beginStop()
        let closed = try await BlockingWork.run { BlockingWork.bytesUntilEOF(idle, withinMilliseconds: 5_000) }
        idle.close()
        let stopTime = try await server.stop()

        #expect(closed == 0, "the idle connection did not close at once")
        #expect(stopTime < .seconds(5), "the stop took \(stopTime)")
    }

    /// What keeps a request from finishing.
    enum Hang: String, CaseIterable, Sendable {
        /// The client sends 10 of 100 body bytes and stops; the handler waits for the rest.
        case body
        /// The request is complete; the handler never returns (it sleeps for an hour).
        case handler
    }

    /// A request that never finishes is cut off at the grace period: its connection closes without a response
    /// and the stop returns soon after. The stop used to cancel such a handler at once (and answer 500).
    @Test(arguments: Hang.allCases)
    func requestThatNeverFinishesIsCutOffAtTheGracePeriod(hang: Hang) async throws {
        let gracePeriod = TimeAmount.milliseconds(500)
        let configuration = HeedServerConfiguration(
            host: "127.0.0.1",
            port: 0,
            limits: ServerLimits(idleTimeout: .seconds(60)),
            shutdownGracePeriod: gracePeriod
        )
        let (started, startSink) = AsyncStream.makeStream(of: Void.self)
        let responder: HeadResponder = { request in
            .accept { _, body in
                startSink.yield()
                if request.path == "/body" {
                    _ = try await body.collect(upTo: 1000)
                } else {
                    try await Task.sleep(for: .seconds(3600))
                }
                return ServerResponse(status: .ok, text: "finished")
            }
        }
        let server = try await StoppableServer.start(HeedServer(configuration: configuration, responder: responder))
        let port = server.port
        let socket = try #require(try await BlockingWork.run { ScriptedSocket.connect(port: port) })
        try await BlockingWork.run {
            switch hang {
            case .body:
                _ = socket.write("PUT /body HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789")
            case .handler:
                _ = socket.write("GET /handler HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            }
        }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()

        let stopTime = try await server.stop()
        let bytesBeforeClose = try await BlockingWork.run {
            BlockingWork.bytesUntilEOF(socket, withinMilliseconds: 5_000)
        }
        socket.close()

        #expect(stopTime >= .milliseconds(500), "the stop took \(stopTime)")
        #expect(stopTime < .seconds(5), "the stop took \(stopTime)")
        #expect(
            bytesBeforeClose == 0,
            "expected a close without a response, got \(String(describing: bytesBeforeClose))"
        )
    }
}
