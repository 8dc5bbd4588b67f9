import HeedCore
import NIOCore
import Testing

@Suite struct ServerConnectionStateMachineTests {
    private let limits = ServerLimits(
        maxHeaderSize: 1024,
        maxBodySize: 1000,
        headerReadTimeout: .seconds(10),
        idleTimeout: .seconds(60),
        keepAliveDrainLimit: 100,
        minimumBodyRate: nil  // the body's overall deadline: ServerBodyDeadlineTests
    )
    private let now = NIODeadline.uptimeNanoseconds(5_000_000_000)

    private func head(
        length: Int? = nil,
        chunked: Bool = false,
        expect: ServerRequestHeadInfo.Expectation = .none,
        keepAlive: Bool = true
    ) -> ServerRequestHeadInfo {
        ServerRequestHeadInfo(contentLength: length, isChunked: chunked, expectation: expect, keepAlive: keepAlive)
    }

    /// A new connection gets the header-read deadline.
    @Test func channelActiveArmsHeaderTimeout() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.channelActive(now: self.now) == .armTimer(self.now + .seconds(10)))
    }

    /// A GET answered on the head keeps the connection and completes at `.end`.
    @Test func earlyResponseWithoutBodyKeepsConnection() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(self.head()) == .askResponder)
        #expect(machine.responderResponded(now: self.now) == .writeResponse(close: false, nextRequestDeadline: nil))
        #expect(machine.endReceived(now: self.now) == .requestComplete(nextRequestDeadline: self.now + .seconds(60)))
        #expect(machine.isIdle)
    }

    /// A short declared body after an early response is drained to keep the connection.
    @Test func shortBodyIsDrainedAfterEarlyResponse() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(self.head(length: 100)) == .askResponder)
        #expect(
            machine.responderResponded(now: self.now)
                == .writeResponseAndDiscardBody(timerDeadline: self.now + .seconds(60))
        )
        #expect(machine.bodyReceived(byteCount: 100, now: self.now) == .armTimer(self.now + .seconds(60)))
        #expect(machine.endReceived(now: self.now) == .requestComplete(nextRequestDeadline: self.now + .seconds(60)))
    }

    /// A long, chunked or expected body after an early response closes the connection instead of waiting for it.
    @Test(arguments: [
        ServerRequestHeadInfo(contentLength: 101, isChunked: false, expectation: .none, keepAlive: true),
        ServerRequestHeadInfo(contentLength: nil, isChunked: true, expectation: .none, keepAlive: true),
        ServerRequestHeadInfo(contentLength: 10, isChunked: false, expectation: .continue100, keepAlive: true),
    ])
    func earlyResponseToUnreadBodyCloses(head: ServerRequestHeadInfo) {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(head) == .askResponder)
        #expect(machine.responderResponded(now: self.now) == .writeResponse(close: true, nextRequestDeadline: nil))
        #expect(machine.isClosing)
        #expect(machine.bodyReceived(byteCount: 10, now: self.now) == .doNothing)
    }

    /// A keep-alive request whose handler the stopping server refuses gets 503 and the connection closes.
    @Test func responseWhileStoppingCloses() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(self.head()) == .askResponder)
        _ = machine.responderAccepted(now: self.now)
        #expect(machine.endReceived(now: self.now) == .finishBody)
        #expect(machine.handlerRefused() == .reject(.serviceUnavailable))
        #expect(!machine.isIdle)
        #expect(machine.responseReady(now: self.now) == .doNothing)
    }

    /// A stop closes an idle connection at once, lets a request in progress finish with `Connection: close`, and
    /// does not wait for the discarded body of an early response that was already written.
    @Test func serverStoppingFinishesTheRequestInProgress() {
        var idle = ServerConnectionStateMachine(limits: self.limits)
        #expect(idle.serverStopping() == .abortAndClose)
        #expect(idle.isClosing)
        #expect(idle.serverStopping() == .doNothing)

        var working = ServerConnectionStateMachine(limits: self.limits)
        _ = working.headReceived(self.head(length: 10))
        _ = working.responderAccepted(now: self.now)
        #expect(working.serverStopping() == .doNothing)
        _ = working.bodyReceived(byteCount: 10, now: self.now)
        #expect(working.endReceived(now: self.now) == .finishBody)
        #expect(working.responseReady(now: self.now) == .writeResponse(close: true, nextRequestDeadline: nil))

        var discarding = ServerConnectionStateMachine(limits: self.limits)
        _ = discarding.headReceived(self.head(length: 10))
        _ = discarding.responderResponded(now: self.now)
        #expect(discarding.serverStopping() == .abortAndClose)
        #expect(discarding.isClosing)
    }

    /// 100 Continue is sent only when the application accepts.
    @Test func continueIsSentOnAcceptance() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(self.head(length: 10, expect: .continue100)) == .askResponder)
        #expect(
            machine.responderAccepted(now: self.now)
                == .startBody(sendContinue: true, timerDeadline: self.now + .seconds(60))
        )
        #expect(
            machine.bodyReceived(byteCount: 10, now: self.now) == .forwardBody(timerDeadline: self.now + .seconds(60))
        )
        #expect(machine.endReceived(now: self.now) == .finishBody)
        #expect(
            machine.responseReady(now: self.now)
                == .writeResponse(close: false, nextRequestDeadline: self.now + .seconds(60))
        )
        #expect(machine.isIdle)
    }

    /// An expectation other than 100-continue gets 417 without asking the application.
    @Test func unknownExpectationGets417() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(self.head(length: 10, expect: .unsupported)) == .reject(.expectationFailed))
        #expect(machine.isClosing)
    }

    /// A declared body over the limit gets 413 before anything is read.
    @Test func declaredOversizedBodyGets413() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.headReceived(self.head(length: 1001)) == .reject(.contentTooLarge))
    }

    /// A streamed body gets 413 as soon as it passes the limit.
    @Test func streamedBodyGets413WhenItPassesTheLimit() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        _ = machine.headReceived(self.head(chunked: true))
        _ = machine.responderAccepted(now: self.now)
        #expect(
            machine.bodyReceived(byteCount: 600, now: self.now) == .forwardBody(timerDeadline: self.now + .seconds(60))
        )
        #expect(machine.bodyReceived(byteCount: 401, now: self.now) == .reject(.contentTooLarge))
        #expect(machine.responseReady(now: self.now) == .doNothing)
    }

    /// A timeout while idle closes; while reading a body it answers 408; while the application works it waits.
    @Test func timeouts() {
        var idle = ServerConnectionStateMachine(limits: self.limits)
        #expect(idle.timeoutFired() == .abortAndClose)

        var reading = ServerConnectionStateMachine(limits: self.limits)
        _ = reading.headReceived(self.head(length: 10))
        _ = reading.responderAccepted(now: self.now)
        #expect(reading.timeoutFired() == .reject(.requestTimeout))

        var working = ServerConnectionStateMachine(limits: self.limits)
        _ = working.headReceived(self.head())
        _ = working.responderAccepted(now: self.now)
        _ = working.endReceived(now: self.now)
        #expect(working.timeoutFired() == .doNothing)
    }

    /// A head over the limit gets 431, or 414 if its target alone is over it; other parse errors get 400.
    @Test func decodingFailures() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        #expect(machine.decodingFailed(.headTooLarge) == .reject(.headerFieldsTooLarge))
        var target = ServerConnectionStateMachine(limits: self.limits)
        #expect(target.decodingFailed(.targetTooLong) == .reject(.uriTooLong))
        #expect(ServerRejection.uriTooLong.statusCode == 414)
        var other = ServerConnectionStateMachine(limits: self.limits)
        #expect(other.decodingFailed(.malformed) == .reject(.badRequest))
        // Bytes after a closing request are ignored; the request itself is answered as usual.
        var closing = ServerConnectionStateMachine(limits: self.limits)
        _ = closing.headReceived(self.head(keepAlive: false))
        #expect(closing.decodingFailed(.afterClosingRequest) == .ignoreInput)
        #expect(closing.responderResponded(now: self.now) == .writeResponse(close: true, nextRequestDeadline: nil))
    }

    /// A client that does not want keep-alive gets `Connection: close`.
    @Test func clientCloseIsHonoured() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        _ = machine.headReceived(self.head(keepAlive: false))
        #expect(machine.responderResponded(now: self.now) == .writeResponse(close: true, nextRequestDeadline: nil))
    }

    /// A client half-close after a complete request still gets its response, then the connection closes.
    @Test func halfCloseAfterRequestClosesAfterResponse() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        _ = machine.headReceived(self.head())
        _ = machine.responderAccepted(now: self.now)
        _ = machine.endReceived(now: self.now)
        #expect(machine.inputClosed() == .doNothing)
        #expect(machine.responseReady(now: self.now) == .writeResponse(close: true, nextRequestDeadline: nil))
    }

    /// A response from the application before it read the whole body closes the connection.
    @Test func responseBeforeBodyEndCloses() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        _ = machine.headReceived(self.head(length: 500))
        _ = machine.responderAccepted(now: self.now)
        #expect(machine.responseReady(now: self.now) == .writeResponse(close: true, nextRequestDeadline: nil))
    }

    /// The channel closing mid-body fails the application's body stream.
    @Test func channelInactiveFailsBody() {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        _ = machine.headReceived(self.head(length: 500))
        _ = machine.responderAccepted(now: self.now)
        #expect(machine.channelInactive() == .failBody)
    }
}
