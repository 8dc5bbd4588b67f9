import HeedCore
import NIOCore
import Testing

/// The paths an exchange takes when the server answers: one event per line, each with the action it must produce.
@Suite struct ClientExchangeStateMachineTests {
    static let bytes = ByteBuffer(string: "hello")

    /// A machine whose request body streams and whose early 2xx (no `Connection: close`) is already complete,
    /// each step checked on the way.
    static func earlyCompleteSuccess(
        status: Int = 200,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ClientExchangeStateMachine {
        var sm = ClientExchangeStateMachine()
        #expect(
            sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody,
            sourceLocation: sourceLocation
        )
        #expect(
            sm.responseHeadReceived(status: status, connectionClose: false)
                == .forwardResponseHead(status: status, stopBody: false),
            sourceLocation: sourceLocation
        )
        #expect(sm.responseEndReceived() == .doNothing, sourceLocation: sourceLocation)
        // The body still goes out: nothing to hurry.
        #expect(!sm.wantsImmediateAcknowledgements, sourceLocation: sourceLocation)
        return sm
    }

    /// A GET: head and end go out together; the response completes the exchange and keeps the connection.
    @Test func requestWithoutBody() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.phase == .sendingHead)
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(sm.phase == .awaitingResponse)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(sm.phase == .receivingBody)
        #expect(sm.responseBodyPartReceived(Self.bytes) == .forwardResponseBodyPart(Self.bytes))
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: false))
        #expect(sm.phase == .completed)
        #expect(sm.bodyBytesReceived == 5)
        #expect(sm.bodyBytesSent == 0)
        #expect(sm.channelInactive() == .doNothing)
    }

    /// A request that says `Connection: close` ends its connection after the response, even when the server would
    /// keep it (RFC 9112 §9.6); an early 2xx still does not stop its body, since the server reads on.
    @Test func requestAsksToClose() {
        var sm = ClientExchangeStateMachine()
        #expect(
            sm.requestStarted(hasBody: false, expectContinue: false, closesConnection: true) == .sendHeadWithoutBody
        )
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))

        var upload = ClientExchangeStateMachine()
        #expect(
            upload.requestStarted(hasBody: true, expectContinue: false, closesConnection: true) == .sendHeadAndStartBody
        )
        #expect(
            upload.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(upload.responseEndReceived() == .doNothing)
        #expect(upload.requestBodyFinished() == .sendBodyEnd)
        #expect(upload.requestEndWritten() == .succeedRequest(closeConnection: true))
    }

    /// A response with `Connection: close` completes with a close.
    @Test func responseAsksToClose() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(
            sm.responseHeadReceived(status: 204, connectionClose: true)
                == .forwardResponseHead(status: 204, stopBody: false)
        )
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
    }

    /// A body without `Expect`: head and body go out at once; the response after the end completes the exchange.
    @Test func bodyWithoutExpect() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(sm.phase == .sendingBody)
        sm.bodyPartWritten(count: 1000)
        sm.bodyPartWritten(count: 24)
        #expect(sm.bodyBytesSent == 1024)
        #expect(sm.requestBodyFinished() == .sendBodyEnd)
        #expect(sm.phase == .awaitingResponse)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 201, connectionClose: false)
                == .forwardResponseHead(status: 201, stopBody: false)
        )
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: false))
        #expect(!sm.bodyStoppedEarly)
        #expect(!sm.continueReceived)
    }

    /// `Expect: 100-continue` answered with 100: the body starts, and the final response follows.
    @Test func expectAnsweredWithContinue() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.phase == .awaitingContinue)
        #expect(sm.responseHeadReceived(status: 100, connectionClose: false) == .startBody)
        #expect(sm.continueReceived)
        #expect(sm.phase == .sendingBody)
        #expect(sm.continueTimeoutFired() == .doNothing)
        sm.bodyPartWritten(count: 10)
        #expect(sm.requestBodyFinished() == .sendBodyEnd)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: false))
    }

    /// `Expect: 100-continue` never answered: the timer starts the body; a late 100 is ignored.
    @Test func expectTimesOut() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.continueTimeoutFired() == .startBody)
        #expect(sm.phase == .sendingBody)
        #expect(sm.continueTimeoutFired() == .doNothing)
        #expect(sm.responseHeadReceived(status: 100, connectionClose: false) == .doNothing)
        #expect(sm.continueReceived)
        sm.bodyPartWritten(count: 3)
        #expect(sm.requestBodyFinished() == .sendBodyEnd)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: false))
    }

    /// `Expect: 100-continue` answered with a final 401: no body is sent, the response is delivered, the connection closes.
    @Test func expectAnsweredWithFinalResponse() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(
            sm.responseHeadReceived(status: 401, connectionClose: false)
                == .forwardResponseHead(status: 401, stopBody: true)
        )
        #expect(sm.bodyStoppedEarly)
        #expect(sm.phase == .receivingBody)
        #expect(sm.continueTimeoutFired() == .doNothing)
        #expect(sm.requestBodyFinished() == .doNothing)
        #expect(sm.responseBodyPartReceived(Self.bytes) == .forwardResponseBodyPart(Self.bytes))
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
        #expect(sm.bodyBytesSent == 0)
    }

    /// 417 to `Expect: 100-continue`: the body stops, the 417 is swallowed, and the request is retried without Expect.
    @Test func expectationFailedIsRetried() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.responseHeadReceived(status: 417, connectionClose: false) == .stopBody)
        #expect(sm.responseBodyPartReceived(Self.bytes) == .doNothing)
        #expect(sm.responseEndReceived() == .retryWithoutExpect(closeConnection: true))
        #expect(sm.phase == .completed)
        #expect(sm.channelInactive() == .doNothing)
    }

    /// A 417 after the continue timer started the body is delivered whole: no part is swallowed, nothing is retried.
    @Test func expectationFailedAfterBodyStartedIsDelivered() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.continueTimeoutFired() == .startBody)
        #expect(
            sm.responseHeadReceived(status: 417, connectionClose: false)
                == .forwardResponseHead(status: 417, stopBody: true)
        )
        let first = ByteBuffer(string: "expectation ")
        #expect(sm.responseBodyPartReceived(first) == .forwardResponseBodyPart(first))
        sm.bodyPartWritten(count: 10)
        let second = ByteBuffer(string: "failed")
        #expect(sm.responseBodyPartReceived(second) == .forwardResponseBodyPart(second))
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
    }

    /// 417 to a request that did not send `Expect` is an ordinary error response.
    @Test func expectationFailedWithoutExpectIsDelivered() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(
            sm.responseHeadReceived(status: 417, connectionClose: false)
                == .forwardResponseHead(status: 417, stopBody: true)
        )
        #expect(sm.responseBodyPartReceived(Self.bytes) == .forwardResponseBodyPart(Self.bytes))
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
    }

    /// An early 413 while the body streams: stop sending, deliver the 413, close (the framing is lost).
    @Test func earlyErrorStopsBody() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        sm.bodyPartWritten(count: 65536)
        #expect(
            sm.responseHeadReceived(status: 413, connectionClose: false)
                == .forwardResponseHead(status: 413, stopBody: true)
        )
        #expect(sm.bodyStoppedEarly)
        // The answer arrives over a stopped body: it is acknowledged at once, until the exchange ends.
        #expect(sm.wantsImmediateAcknowledgements)
        #expect(sm.requestBodyFinished() == .doNothing)
        #expect(sm.responseBodyPartReceived(Self.bytes) == .forwardResponseBodyPart(Self.bytes))
        #expect(sm.writeFailed(.init(errno: 32, name: "EPIPE", message: "Broken pipe")) == .doNothing)
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
        #expect(!sm.wantsImmediateAcknowledgements)
        #expect(sm.bodyBytesSent == 65536)
        #expect(sm.bodyBytesReceived == 5)
    }

    /// An early 2xx without `Connection: close`: keep sending, complete once the request end is written.
    @Test func earlySuccessKeepsStreaming() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(sm.responseBodyPartReceived(Self.bytes) == .forwardResponseBodyPart(Self.bytes))
        #expect(sm.responseEndReceived() == .doNothing)
        #expect(sm.phase == .sendingBody)
        #expect(!sm.bodyStoppedEarly)
        sm.bodyPartWritten(count: 100)
        #expect(sm.requestBodyFinished() == .sendBodyEnd)
        #expect(sm.phase == .sendingBody)
        #expect(sm.requestEndWritten() == .succeedRequest(closeConnection: false))
        #expect(sm.phase == .completed)
        #expect(sm.bodyBytesSent == 100)
    }

    /// An early 2xx that closes, then the connection closes before the body is done: the answer stands.
    @Test func earlySuccessThenCloseStillSucceeds() {
        var sm = Self.earlyCompleteSuccess()
        #expect(sm.channelInactive() == .succeedRequest(closeConnection: true))
        #expect(sm.bodyStoppedEarly, "the rest of the body never went out")
        #expect(sm.requestBodyFinished() == .doNothing)
    }

    /// An early 2xx with `Connection: close`: the server will not read on, so the body stops.
    @Test func earlySuccessWithCloseStopsBody() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: true)
                == .forwardResponseHead(status: 200, stopBody: true)
        )
        #expect(sm.bodyStoppedEarly)
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
    }

    /// An early complete 2xx, then the rest of the body cannot be written: the answer is what the caller gets.
    @Test func earlySuccessThenWriteFailureSucceeds() {
        var sm = Self.earlyCompleteSuccess(status: 202)
        #expect(
            sm.writeFailed(.init(errno: 104, name: "ECONNRESET", message: "reset"))
                == .succeedRequest(closeConnection: true)
        )
        #expect(sm.bodyStoppedEarly, "the rest of the body never went out")
        #expect(sm.channelInactive() == .doNothing)
    }

    /// An early complete 2xx, then the server stops reading and a timeout fires: the answer stands, the body is
    /// given up (stopped early) and the connection closes. Without the early answer the same timeout fails.
    @Test(arguments: [TimeoutKind.readIdle, .request])
    func earlySuccessThenTimeoutSucceeds(kind: TimeoutKind) {
        var sm = Self.earlyCompleteSuccess()
        let action = kind == .readIdle ? sm.readIdleTimeoutFired() : sm.requestTimeoutFired()
        #expect(action == .succeedRequest(closeConnection: true))
        #expect(sm.bodyStoppedEarly)
        #expect(sm.channelInactive() == .doNothing)

        var unanswered = ClientExchangeStateMachine()
        _ = unanswered.requestStarted(hasBody: true, expectContinue: false)
        #expect(
            unanswered.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        guard case .failRequest(let failure) = unanswered.readIdleTimeoutFired() else {
            Issue.record("a timeout before the answer is complete must fail")
            return
        }
        #expect(failure.reason == .timeout(.readIdle))
    }

    /// 103 Early Hints and 102 Processing are ignored; the final response follows.
    @Test func informationalResponsesAreIgnored() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(sm.responseHeadReceived(status: 103, connectionClose: false) == .doNothing)
        #expect(sm.responseHeadReceived(status: 102, connectionClose: false) == .doNothing)
        #expect(sm.phase == .awaitingResponse)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: false))
    }

    /// 103 while waiting for 100 does not start the body.
    @Test func earlyHintsDoNotStartTheBody() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.responseHeadReceived(status: 103, connectionClose: false) == .doNothing)
        #expect(sm.phase == .awaitingContinue)
        #expect(sm.responseHeadReceived(status: 100, connectionClose: false) == .startBody)
    }

    /// A 100 to a request that did not ask for one is ignored.
    @Test func unexpectedContinueIsIgnored() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(sm.responseHeadReceived(status: 100, connectionClose: false) == .doNothing)
        #expect(sm.phase == .sendingBody)
        #expect(sm.requestBodyFinished() == .sendBodyEnd)
    }

    /// Response body bytes are counted as they arrive.
    @Test func bodyBytesAreCounted() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        let part = ByteBuffer(repeating: 1, count: 4096)
        #expect(sm.responseBodyPartReceived(part) == .forwardResponseBodyPart(part))
        #expect(sm.responseBodyPartReceived(part) == .forwardResponseBodyPart(part))
        #expect(sm.responseBodyPartReceived(ByteBuffer()) == .forwardResponseBodyPart(ByteBuffer()))
        #expect(sm.bodyBytesReceived == 8192)
        #expect(sm.description.contains("received: 8192"))
    }
}
