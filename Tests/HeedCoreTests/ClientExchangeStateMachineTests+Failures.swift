import HeedCore
import NIOCore
import Testing

/// The paths an exchange takes when the connection breaks, the peer misbehaves, a timer fires or the caller gives up.
@Suite struct ClientExchangeStateMachineFailureTests {
    static let epipe = ExchangeFailure.SystemError(errno: 32, name: "EPIPE", message: "Broken pipe")
    static let reset = ExchangeFailure.SystemError(errno: 104, name: "ECONNRESET", message: "Connection reset by peer")

    static func failure(
        _ reason: ExchangeFailure.Reason,
        phase: ExchangePhase,
        sent: Int64 = 0,
        received: Int64 = 0,
        writeError: ExchangeFailure.SystemError? = nil,
        readError: ExchangeFailure.SystemError? = nil
    ) -> ClientExchangeStateMachine.Action {
        .failRequest(
            ExchangeFailure(
                reason: reason,
                phase: phase,
                bodyBytesSent: sent,
                bodyBytesReceived: received,
                writeError: writeError,
                readError: readError
            )
        )
    }

    /// A machine whose GET went out whole and whose 200 head arrived: it is reading the body.
    static func getReadingBody(connectionClose: Bool = false) -> ClientExchangeStateMachine {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: connectionClose)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        return sm
    }

    /// A write fails mid-body, then the server's response arrives: the response is delivered and the connection closes.
    @Test func writeFailureThenResponseIsDelivered() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        sm.bodyPartWritten(count: 4096)
        #expect(sm.writeFailed(Self.epipe) == .stopBody)
        #expect(sm.writeFailed(Self.reset) == .doNothing)
        #expect(sm.requestBodyFinished() == .doNothing)
        #expect(
            sm.responseHeadReceived(status: 413, connectionClose: false)
                == .forwardResponseHead(status: 413, stopBody: false)
        )
        let part = ByteBuffer(string: "too large")
        #expect(sm.responseBodyPartReceived(part) == .forwardResponseBodyPart(part))
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: true))
        #expect(sm.channelInactive() == .doNothing)
    }

    /// A write fails mid-body and the connection closes with no response: the failure carries the write error and phase.
    @Test func writeFailureThenCloseFails() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        sm.bodyPartWritten(count: 4096)
        #expect(sm.writeFailed(Self.epipe) == .stopBody)
        #expect(sm.phase == .sendingBody)
        #expect(sm.writeFailed(Self.reset) == .doNothing)
        #expect(
            sm.channelInactive()
                == Self.failure(.writeFailedWithoutResponse, phase: .sendingBody, sent: 4096, writeError: Self.epipe)
        )
        #expect(sm.responseHeadReceived(status: 200, connectionClose: false) == .doNothing)
        #expect(sm.channelInactive() == .doNothing)
    }

    /// The head of a GET cannot be written (a stale keep-alive connection): the phase is "sending the head", not the body.
    @Test func writeFailureWithoutBodyIsInTheHead() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(sm.writeFailed(Self.epipe) == .stopBody)
        #expect(sm.phase == .sendingHead)
        #expect(
            sm.channelInactive()
                == Self.failure(.writeFailedWithoutResponse, phase: .sendingHead, writeError: Self.epipe)
        )
    }

    /// The head with `Expect` cannot be written: the phase is "sending the head".
    @Test func writeFailureWhileWaitingForContinue() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.writeFailed(Self.epipe) == .stopBody)
        #expect(sm.continueTimeoutFired() == .doNothing)
        #expect(
            sm.channelInactive()
                == Self.failure(.writeFailedWithoutResponse, phase: .sendingHead, writeError: Self.epipe)
        )
    }

    /// Reading fails with a reset, then the connection closes: reset without response, with the read error.
    @Test func readFailureThenClose() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        sm.bodyPartWritten(count: 1 << 20)
        #expect(sm.readFailed(Self.reset) == .closeConnection)
        #expect(
            sm.channelInactive()
                == Self.failure(.resetWithoutResponse, phase: .sendingBody, sent: 1 << 20, readError: Self.reset)
        )
    }

    /// Both a write and a read fail: the write failure wins and both errors are kept.
    @Test func writeAndReadFailureKeepsBothErrors() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(sm.readFailed(Self.reset) == .closeConnection)
        #expect(sm.writeFailed(Self.epipe) == .stopBody)
        #expect(
            sm.channelInactive()
                == Self.failure(
                    .writeFailedWithoutResponse,
                    phase: .sendingBody,
                    writeError: Self.epipe,
                    readError: Self.reset
                )
        )
    }

    /// The connection closes inside the response body: truncated, with the bytes that did arrive.
    @Test func closeMidResponseBodyIsTruncation() {
        var sm = Self.getReadingBody()
        let part = ByteBuffer(repeating: 7, count: 300)
        #expect(sm.responseBodyPartReceived(part) == .forwardResponseBodyPart(part))
        #expect(sm.responseCutShortByEOF() == .doNothing)
        #expect(sm.channelInactive() == Self.failure(.responseTruncated, phase: .receivingBody, received: 300))
    }

    /// The connection closes before anything was sent back: closed without response, awaiting the response.
    @Test func closeBeforeAnythingIsClosedWithoutResponse() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(sm.channelInactive() == Self.failure(.closedWithoutResponse, phase: .awaitingResponse))
        #expect(sm.channelInactive() == .doNothing)
    }

    /// The connection closes while waiting for 100: closed without response, in the "awaiting continue" phase.
    @Test func closeWhileWaitingForContinue() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.channelInactive() == Self.failure(.closedWithoutResponse, phase: .awaitingContinue))
    }

    /// 101 Switching Protocols was never asked for: a protocol violation.
    @Test func switchingProtocolsIsAViolation() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        let reason = "the server switched protocols, which this client did not ask for"
        #expect(
            sm.responseHeadReceived(status: 101, connectionClose: false)
                == Self.failure(.protocolViolation(reason), phase: .awaitingResponse)
        )
        #expect(sm.responseHeadReceived(status: 200, connectionClose: false) == .doNothing)
    }

    /// A second response head inside a response body: a protocol violation.
    @Test func secondHeadMidBodyIsAViolation() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(
            sm.responseBodyPartReceived(ByteBuffer(string: "ab")) == .forwardResponseBodyPart(ByteBuffer(string: "ab"))
        )
        let reason = "a second response head arrived before the body ended"
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == Self.failure(.protocolViolation(reason), phase: .receivingBody, received: 2)
        )
        #expect(sm.responseEndReceived() == .doNothing)
    }

    /// A second response after an early complete 2xx, while the body still goes out: a protocol violation, not a
    /// silent replacement of the first.
    @Test func secondResponseAfterEarlyResponseIsAViolation() {
        var sm = ClientExchangeStateMachineTests.earlyCompleteSuccess()
        #expect(sm.phase == .sendingBody)
        sm.bodyPartWritten(count: 8)
        let reason = "a second response arrived after the complete response"
        #expect(
            sm.responseHeadReceived(status: 500, connectionClose: false)
                == Self.failure(.protocolViolation(reason), phase: .sendingBody, sent: 8)
        )
        #expect(sm.requestBodyFinished() == .doNothing)
        #expect(sm.requestEndWritten() == .doNothing)
    }

    /// A response the decoder cannot parse fails the exchange.
    @Test func parseFailureIsAViolation() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(
            sm.responseParseFailed("invalid status line")
                == Self.failure(.protocolViolation("invalid status line"), phase: .awaitingResponse)
        )
    }

    /// The body source throws: the exchange fails with its reason and the bytes sent so far.
    @Test func bodySourceFailure() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        sm.bodyPartWritten(count: 10)
        #expect(
            sm.requestBodySourceFailed("disk error")
                == Self.failure(.requestBodySourceFailed("disk error"), phase: .sendingBody, sent: 10)
        )
    }

    /// Each timer and cancellation fails with its own reason in the current phase; later events do nothing.
    @Test(arguments: [
        (ExchangeFailure.Reason.timeout(.readIdle), 0),
        (ExchangeFailure.Reason.timeout(.request), 1),
        (ExchangeFailure.Reason.cancelled, 2),
    ])
    func timersAndCancellationFail(reason: ExchangeFailure.Reason, event: Int) {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: true, expectContinue: true) == .sendHeadAndWaitForContinue)
        #expect(sm.continueTimeoutFired() == .startBody)
        sm.bodyPartWritten(count: 42)
        let action: ClientExchangeStateMachine.Action
        switch event {
        case 0: action = sm.readIdleTimeoutFired()
        case 1: action = sm.requestTimeoutFired()
        default: action = sm.cancelled()
        }
        #expect(action == Self.failure(reason, phase: .sendingBody, sent: 42))
        #expect(sm.phase == .completed)
        #expect(sm.readIdleTimeoutFired() == .doNothing)
        #expect(sm.requestTimeoutFired() == .doNothing)
        #expect(sm.cancelled() == .doNothing)
        #expect(sm.requestBodyFinished() == .doNothing)
        #expect(sm.requestEndWritten() == .doNothing)
        #expect(sm.responseHeadReceived(status: 200, connectionClose: false) == .doNothing)
        #expect(sm.responseBodyPartReceived(ByteBuffer(string: "x")) == .doNothing)
        #expect(sm.responseEndReceived() == .doNothing)
        #expect(sm.writeFailed(Self.epipe) == .doNothing)
        // The connection is closing already; a read error after the outcome only says so again.
        #expect(sm.readFailed(Self.reset) == .closeConnection)
        #expect(sm.channelInactive() == .doNothing)
    }

    /// A read-idle timeout while the response body arrives reports that phase and the bytes received.
    @Test func readIdleTimeoutInResponseBody() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(
            sm.responseHeadReceived(status: 200, connectionClose: false)
                == .forwardResponseHead(status: 200, stopBody: false)
        )
        #expect(
            sm.responseBodyPartReceived(ByteBuffer(string: "abc"))
                == .forwardResponseBodyPart(ByteBuffer(string: "abc"))
        )
        #expect(sm.readIdleTimeoutFired() == Self.failure(.timeout(.readIdle), phase: .receivingBody, received: 3))
    }

    /// Timers and events before the request started change nothing.
    @Test func eventsBeforeStartDoNothing() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.readIdleTimeoutFired() == .doNothing)
        #expect(sm.cancelled() == .doNothing)
        #expect(sm.channelInactive() == .doNothing)
        #expect(sm.writeFailed(Self.epipe) == .doNothing)
        #expect(sm.responseHeadReceived(status: 200, connectionClose: false) == .doNothing)
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
    }

    /// Bytes that fail to parse, or a read error, with no exchange running (after a complete response, or before
    /// the first request) close the connection: its stream is broken and must not carry another request.
    @Test func failuresBetweenExchangesClose() {
        var fresh = ClientExchangeStateMachine()
        #expect(fresh.readFailed(Self.reset) == .closeConnection)
        #expect(fresh.responseParseFailed("unsolicited response") == .closeConnection)

        var sm = Self.getReadingBody()
        #expect(sm.responseEndReceived() == .succeedRequest(closeConnection: false))
        #expect(sm.responseParseFailed("invalid constant string") == .closeConnection)
        #expect(sm.readFailed(Self.reset) == .closeConnection)
    }

    /// A status code below 100 (llhttp takes any three digits) is no answer: the exchange fails as a protocol
    /// violation instead of waiting for a head it will never hand over.
    @Test(arguments: [0, 42, 99])
    func statusBelow100IsAViolation(status: Int) {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(
            sm.responseHeadReceived(status: status, connectionClose: false)
                == Self.failure(
                    .protocolViolation("the status code \(status) is not valid (RFC 9110 §15: 100 to 599)"),
                    phase: .awaitingResponse
                )
        )
    }

    /// A body that runs until the connection closes, ended by a reset instead: it may be short, so the exchange
    /// fails as truncated. After an early answer over an unsent body the reset is expected and the answer stands.
    @Test func closeDelimitedBodyEndedByAResetIsTruncated() {
        var sm = Self.getReadingBody(connectionClose: true)
        #expect(
            sm.responseBodyPartReceived(ByteBuffer(string: "abc"))
                == .forwardResponseBodyPart(ByteBuffer(string: "abc"))
        )
        #expect(sm.readFailed(Self.reset) == .closeConnection)
        #expect(
            sm.responseEndReceived()
                == Self.failure(.responseTruncated, phase: .receivingBody, received: 3, readError: Self.reset)
        )

        var early = ClientExchangeStateMachine()
        #expect(early.requestStarted(hasBody: true, expectContinue: false) == .sendHeadAndStartBody)
        #expect(
            early.responseHeadReceived(status: 413, connectionClose: true)
                == .forwardResponseHead(status: 413, stopBody: true)
        )
        #expect(early.readFailed(Self.reset) == .closeConnection)
        #expect(early.responseEndReceived() == .succeedRequest(closeConnection: true))
    }

    /// A handler in front (TLS, decompression) fails a running exchange once; later events change nothing.
    @Test func pipelineFailureFailsTheRunningExchange() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.requestStarted(hasBody: false, expectContinue: false) == .sendHeadWithoutBody)
        #expect(sm.pipelineFailed() == .failRequestWithPipelineError)
        #expect(sm.pipelineFailed() == .closeConnection)
        #expect(sm.channelInactive() == .doNothing)
    }

    /// With no exchange running, a handler's failure only closes the connection.
    @Test func pipelineFailureWithoutAnExchangeCloses() {
        var sm = ClientExchangeStateMachine()
        #expect(sm.pipelineFailed() == .closeConnection)
    }
}
