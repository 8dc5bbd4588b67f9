import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The overall deadline of a request body (``ServerLimits/minimumBodyRate``): a body that trickles in, one byte
/// just within each idle timeout, no longer holds a connection forever.
@Suite(.timeLimit(.minutes(1))) struct ServerBodyDeadlineTests {
    private let limits = ServerLimits(
        maxBodySize: 100_000,
        idleTimeout: .seconds(60),
        keepAliveDrainLimit: 100,
        minimumBodyRate: MinimumBodyRate(bytesPerSecond: 100, gracePeriod: .seconds(10))
    )
    private let now = NIODeadline.uptimeNanoseconds(5_000_000_000)

    private func acceptedMachine(length: Int = 10_000) -> ServerConnectionStateMachine {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        let head = ServerRequestHeadInfo(contentLength: length, isChunked: false, expectation: .none, keepAlive: true)
        _ = machine.headReceived(head)
        return machine
    }

    // MARK: - The machine

    /// The body's deadline is its start + the grace period + one second per 100 bytes received, when that is
    /// sooner than the idle timeout; when it passes, the client gets 408.
    @Test func bodyDeadlineMovesOnWithTheBytesReceived() {
        var machine = self.acceptedMachine()
        #expect(
            machine.responderAccepted(now: self.now)
                == .startBody(sendContinue: false, timerDeadline: self.now + .seconds(10))
        )
        #expect(
            machine.bodyReceived(byteCount: 100, now: self.now + .seconds(5))
                == .forwardBody(timerDeadline: self.now + .seconds(11))
        )
        #expect(
            machine.bodyReceived(byteCount: 5_000, now: self.now + .seconds(6))
                == .forwardBody(timerDeadline: self.now + .seconds(61))
        )
        // Past 5,000 bytes of credit, the idle timeout is the sooner deadline again.
        #expect(
            machine.bodyReceived(byteCount: 4_000, now: self.now + .seconds(7))
                == .forwardBody(timerDeadline: self.now + .seconds(67))
        )
        #expect(machine.timeoutFired() == .reject(.requestTimeout))
    }

    /// While the server itself does not read (the application is behind), the body's clock stands still.
    @Test func pauseMovesTheBodyDeadlineOn() {
        var machine = self.acceptedMachine()
        _ = machine.responderAccepted(now: self.now)
        _ = machine.bodyReceived(byteCount: 100, now: self.now + .seconds(1))
        #expect(machine.readingPaused() == .disarmTimer)
        // 300 s paused, counted from the last part's arrival: the deadline moves from now + 11 s to now + 311 s.
        #expect(machine.readingResumed(now: self.now + .seconds(301)) == .armTimer(self.now + .seconds(311)))
    }

    /// A body read and discarded after an early response has the same deadline, from the response on; when it
    /// passes, the connection closes (the client has its response).
    @Test func discardedBodyHasADeadline() {
        var machine = self.acceptedMachine(length: 50)
        #expect(
            machine.responderResponded(now: self.now)
                == .writeResponseAndDiscardBody(timerDeadline: self.now + .seconds(10))
        )
        #expect(
            machine.bodyReceived(byteCount: 10, now: self.now + .seconds(1))
                == .armTimer(self.now + .seconds(10) + .milliseconds(100))
        )
        #expect(machine.timeoutFired() == .abortAndClose)
    }

    /// The arithmetic saturates instead of trapping, and a rate of 0 counts as 1 byte per second.
    @Test func deadlineArithmeticIsSafe() {
        let rate = MinimumBodyRate(bytesPerSecond: 0, gracePeriod: .seconds(1))
        #expect(rate.deadline(start: self.now, received: 2) == self.now + .seconds(3))
        let huge = MinimumBodyRate(bytesPerSecond: 1, gracePeriod: .nanoseconds(.max))
        #expect(huge.deadline(start: self.now, received: .max) == .distantFuture)
    }

    // MARK: - Loopback

    /// A client that sends its body one byte every 50 ms (far within the 2 s idle timeout) gets 408 with
    /// `Connection: close` once the body's deadline passes (0.5 s + 1 ms per byte), then the server's FIN; it used
    /// to be read for as long as it kept trickling.
    @Test func tricklingBodyGets408AtItsDeadline() async throws {
        let limits = ServerLimits(
            idleTimeout: .seconds(2),
            minimumBodyRate: MinimumBodyRate(bytesPerSecond: 1000, gracePeriod: .milliseconds(500))
        )
        let responder: HeadResponder = { _ in
            .accept { _, body in
                let bytes = try await body.collect(upTo: 10_000)
                return ServerResponse(status: .ok, text: "\(bytes.readableBytes)")
            }
        }
        let outcome = try await withTestServer(HeedServerConfiguration(limits: limits), responder: responder) { port in
            try await BlockingWork.run { () -> (RawResponse?, Int, Int, Int?)? in
                guard let socket = ScriptedSocket.connect(port: port) else { return nil }
                defer { socket.close() }
                let start = LoopbackSocket.milliseconds()
                socket.write("PUT /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n")
                // At most 100 bytes, one every 50 ms (5 s), until the server answers.
                var sent = 0
                for _ in 0..<100 {
                    var pollFD = pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0)
                    if poll(&pollFD, 1, 50) > 0 { break }
                    guard socket.write([UInt8(ascii: "x")]) else { break }
                    sent += 1
                }
                let response = RawResponse.read(from: socket)
                let elapsed = LoopbackSocket.milliseconds() - start
                return (response, sent, elapsed, BlockingWork.bytesUntilEOF(socket, withinMilliseconds: 5_000))
            }
        }
        let (response, sent, elapsed, bytesBeforeFIN) = try #require(outcome)
        #expect(sent < 100, "the client trickled its 100 bytes unanswered")
        #expect(response?.status == 408)
        #expect(response?.fields["connection"] == "close")
        #expect(elapsed >= 500 && elapsed < 4_000, "answered after \(elapsed) ms")
        #expect(bytesBeforeFIN == 0)
    }

    /// An early response to a request whose short declared body never comes keeps the connection only until the
    /// body's deadline; it used to keep it for as long as the client stayed connected (no timer ran at all).
    @Test func earlyResponseWhoseBodyNeverComesClosesAtItsDeadline() async throws {
        let limits = ServerLimits(
            idleTimeout: .seconds(60),
            minimumBodyRate: MinimumBodyRate(bytesPerSecond: 1000, gracePeriod: .milliseconds(500))
        )
        let responder = rejectingResponder(errorBodySize: 10)
        let outcome = try await withTestServer(HeedServerConfiguration(limits: limits), responder: responder) { port in
            try await BlockingWork.run { () -> (RawResponse?, Int?, Int)? in
                guard let socket = ScriptedSocket.connect(port: port) else { return nil }
                defer { socket.close() }
                socket.write("PUT /never HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n")
                let response = RawResponse.read(from: socket)
                let start = LoopbackSocket.milliseconds()
                let bytesBeforeFIN = BlockingWork.bytesUntilEOF(socket, withinMilliseconds: 5_000)
                return (response, bytesBeforeFIN, LoopbackSocket.milliseconds() - start)
            }
        }
        let (response, bytesBeforeFIN, waited) = try #require(outcome)
        #expect(response?.status == 401)
        #expect(response?.fields["connection"] == nil)
        #expect(bytesBeforeFIN == 0, "no FIN within 5 s")
        #expect(waited < 4_000, "closed after \(waited) ms")
    }
}
