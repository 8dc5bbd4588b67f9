package import NIOCore

/// The protocol decisions of one HTTP/1.1 request/response exchange, as seen by a client.
///
/// The request side and the response side progress independently (full duplex), as RFC 9112 §9.3
/// asks of a client that sends a body: it keeps reading while it writes, so a response that arrives
/// before the body is finished is never lost.
///
/// The machine is pure: the channel handler reports what happened (events) and performs what the
/// machine answers (actions). It never touches a socket, a clock or a promise.
package struct ClientExchangeStateMachine: Sendable {
    /// The request side.
    ///
    /// `idle` → `waitingForContinue` | `streamingBody` | `finished`;
    /// `waitingForContinue` → `streamingBody` | `stopped` | `failed`;
    /// `streamingBody` → `finished` | `stopped` | `failed`;
    /// `finished` → `failed` (a write that was already queued can still fail).
    package enum RequestState: Sendable, Hashable {
        /// Nothing written yet.
        case idle
        /// The head went out with `Expect: 100-continue`; the body waits for 100 or the timer.
        case waitingForContinue
        /// Body bytes are being written.
        case streamingBody
        /// The whole request is written.
        case finished
        /// The server answered early and will not read on; the body was cut short on purpose.
        case stopped
        /// A write failed (EPIPE, ECONNRESET, ...): the peer is gone for writing.
        case failed
    }

    /// The response side.
    ///
    /// `waitingForHead` → `receivingBody` → `finished`.
    package enum ResponseState: Sendable, Hashable {
        case waitingForHead
        case receivingBody(status: Int, connectionClose: Bool)
        case finished(status: Int, connectionClose: Bool)
    }

    private enum State: Sendable, Hashable {
        /// Before ``ClientExchangeStateMachine/requestStarted(hasBody:expectContinue:)``.
        case initialized
        /// The exchange is under way.
        case running(request: RequestState, response: ResponseState)
        /// The outcome was decided (success, failure or retry); later events change nothing.
        case done
    }

    /// What the handler must do.
    package enum Action: Sendable, Hashable {
        /// Write the request head and its end: the request has no body.
        case sendHeadWithoutBody
        /// Write the head (carrying `Expect: 100-continue`) and start the continue timer.
        case sendHeadAndWaitForContinue
        /// Write the head and start pulling body parts.
        case sendHeadAndStartBody
        /// Start pulling body parts (100 arrived, or the continue timer fired).
        case startBody
        /// Write the end of the request body.
        case sendBodyEnd
        /// Pass the response head to the caller; if `stopBody`, stop pulling body parts first.
        case forwardResponseHead(status: Int, stopBody: Bool)
        /// Stop pulling body parts without forwarding anything (a 417 that will be retried, or a write
        /// that failed while the response may still be arriving).
        case stopBody
        /// Pass a piece of the response body to the caller.
        case forwardResponseBodyPart(ByteBuffer)
        /// The exchange succeeded; hand the response over. Close the connection if asked.
        case succeedRequest(closeConnection: Bool)
        /// Send the request again on a new connection without `Expect: 100-continue` (RFC 9110 §10.1.1, 417).
        case retryWithoutExpect(closeConnection: Bool)
        /// The exchange failed; close the connection and report the failure.
        case failRequest(ExchangeFailure)
        /// A handler in front of the exchange (TLS, decompression) failed the connection with an explanation
        /// of its own: report that explanation and close.
        case failRequestWithPipelineError
        /// Close the connection; the outcome will follow from `channelInactive`.
        case closeConnection
        case doNothing
    }

    private var state: State = .initialized
    private var expectContinueSent = false
    private var hasBody = false
    /// The request said `Connection: close`.
    private var requestClosesConnection = false
    /// A 417 answered the `Expect` before any body went out: it is swallowed and the request retried.
    private var retryingWithoutExpect = false
    private var writeError: ExchangeFailure.SystemError?
    private var readError: ExchangeFailure.SystemError?
    /// Request body bytes the socket accepted.
    package private(set) var bodyBytesSent: Int64 = 0
    /// Response body bytes received.
    package private(set) var bodyBytesReceived: Int64 = 0
    /// Whether a `100 Continue` arrived.
    package private(set) var continueReceived = false
    /// Whether the body was cut short because the server answered early.
    package private(set) var bodyStoppedEarly = false
    /// Request body bytes sent when the final response head arrived.
    package private(set) var bodyBytesSentAtResponse: Int64?

    /// Whether what arrives should be acknowledged at once: the server's answer is coming in after the body was
    /// stopped early, so unsent body bytes can sit in the socket with no window to leave by, and a kernel that
    /// delays its acknowledgements hoping to carry them on that data paces the answer to a few kilobytes per delay.
    package var wantsImmediateAcknowledgements: Bool {
        guard self.bodyStoppedEarly, case .running(.stopped, .receivingBody) = self.state else { return false }
        return true
    }

    package init() {}

    // MARK: - Request events

    /// The caller handed over a request.
    /// - Parameters:
    ///   - hasBody: Whether a body follows the head.
    ///   - expectContinue: Whether the head asks for `100 Continue`.
    ///   - closesConnection: Whether the request says `Connection: close`: the connection ends after this exchange,
    ///     whatever the server answers (RFC 9112 §9.6).
    package mutating func requestStarted(hasBody: Bool, expectContinue: Bool, closesConnection: Bool = false) -> Action
    {
        guard case .initialized = self.state else {
            preconditionFailure("Invalid state: \(self.state)")
        }
        self.hasBody = hasBody
        self.requestClosesConnection = closesConnection
        if !hasBody {
            self.state = .running(request: .finished, response: .waitingForHead)
            return .sendHeadWithoutBody
        }
        if expectContinue {
            self.expectContinueSent = true
            self.state = .running(request: .waitingForContinue, response: .waitingForHead)
            return .sendHeadAndWaitForContinue
        }
        self.state = .running(request: .streamingBody, response: .waitingForHead)
        return .sendHeadAndStartBody
    }

    /// The continue timer fired before any answer: send the body anyway (RFC 9110 §10.1.1).
    package mutating func continueTimeoutFired() -> Action {
        guard case .running(.waitingForContinue, let response) = self.state else { return .doNothing }
        self.state = .running(request: .streamingBody, response: response)
        return .startBody
    }

    /// The socket accepted `count` more body bytes.
    package mutating func bodyPartWritten(count: Int) {
        self.bodyBytesSent += Int64(count)
    }

    /// The body source has no more parts.
    package mutating func requestBodyFinished() -> Action {
        guard case .running(.streamingBody, let response) = self.state else { return .doNothing }
        self.state = .running(request: .finished, response: response)
        return .sendBodyEnd
    }

    /// The end of the request was written; if the response is already complete, the exchange is done.
    package mutating func requestEndWritten() -> Action {
        guard case .running(.finished, .finished(_, let close)) = self.state else { return .doNothing }
        self.state = .done
        return .succeedRequest(closeConnection: close)
    }

    /// A write failed. The response may still be in the receive buffer: stop the body but keep
    /// reading until the connection closes, and decide then. The transport closes the connection
    /// after a failed write (NIO does so once it has read what the kernel still holds); the read-idle
    /// and request timers bound the wait otherwise.
    package mutating func writeFailed(_ error: ExchangeFailure.SystemError) -> Action {
        switch self.state {
        case .initialized, .done:
            return .doNothing
        case .running(let request, let response):
            if self.writeError == nil { self.writeError = error }
            switch request {
            case .stopped, .failed:
                // We stopped on purpose, or already know; a late failure of a queued write changes nothing.
                return .doNothing
            case .idle, .waitingForContinue, .streamingBody, .finished:
                self.state = .running(request: .failed, response: response)
                if case .finished = response {
                    // An early 2xx was complete; the rest of the body cannot go out. The server
                    // answered, so the answer is what the caller gets, with its body stopped early.
                    self.state = .done
                    self.bodyStoppedEarly = true
                    return .succeedRequest(closeConnection: true)
                }
                return .stopBody
            }
        }
    }

    // MARK: - Response events

    /// A response head arrived: informational (1xx) or final.
    package mutating func responseHeadReceived(status: Int, connectionClose: Bool) -> Action {
        guard case .running(let request, .waitingForHead) = self.state else {
            switch self.state {
            case .running(_, .receivingBody):
                return self.fail(.protocolViolation("a second response head arrived before the body ended"))
            case .running(_, .finished):
                // An early response is complete and the body still goes out: nothing else may arrive.
                return self.fail(.protocolViolation("a second response arrived after the complete response"))
            case .initialized, .done, .running(_, .waitingForHead):
                return .doNothing
            }
        }
        guard status >= 100 else {
            // llhttp takes any three digits; below 100 is no status at all (RFC 9110 §15), and taking it for a final
            // answer would leave the exchange without a head to hand over.
            return self.fail(.protocolViolation("the status code \(status) is not valid (RFC 9110 §15: 100 to 599)"))
        }
        if (100..<200).contains(status) {
            guard status == 100 else {
                if status == 101 {
                    return self.fail(
                        .protocolViolation("the server switched protocols, which this client did not ask for")
                    )
                }
                return .doNothing  // 102, 103: informational, ignored.
            }
            self.continueReceived = true
            if case .waitingForContinue = request {
                self.state = .running(request: .streamingBody, response: .waitingForHead)
                return .startBody
            }
            return .doNothing
        }
        // A client that sent `Connection: close` sends nothing more on the connection, whatever the server says
        // (RFC 9112 §9.6); whether the server reads on is still the server's `Connection: close`.
        let response = ResponseState.receivingBody(
            status: status,
            connectionClose: connectionClose || self.requestClosesConnection
        )
        self.bodyBytesSentAtResponse = self.bodyBytesSent
        switch request {
        case .waitingForContinue:
            // A final answer instead of 100: the body was never sent, and never will be on this connection.
            self.state = .running(request: .stopped, response: response)
            self.bodyStoppedEarly = true
            if status == 417 {
                self.retryingWithoutExpect = true
                return .stopBody
            }
            return .forwardResponseHead(status: status, stopBody: true)
        case .streamingBody:
            // RFC 9112 §9.6: a final response before the body is done. If the server will not read on
            // (an error status, or it says it closes), stop sending at once; otherwise keep sending.
            if status >= 300 || connectionClose {
                self.state = .running(request: .stopped, response: response)
                self.bodyStoppedEarly = true
                return .forwardResponseHead(status: status, stopBody: true)
            }
            self.state = .running(request: .streamingBody, response: response)
            return .forwardResponseHead(status: status, stopBody: false)
        case .idle, .finished, .stopped, .failed:
            self.state = .running(request: request, response: response)
            return .forwardResponseHead(status: status, stopBody: false)
        }
    }

    /// A piece of the response body arrived.
    package mutating func responseBodyPartReceived(_ part: ByteBuffer) -> Action {
        guard case .running(_, .receivingBody) = self.state else {
            return .doNothing
        }
        self.bodyBytesReceived += Int64(part.readableBytes)
        if self.retryingWithoutExpect {
            return .doNothing  // the 417 is not delivered; the request is retried.
        }
        return .forwardResponseBodyPart(part)
    }

    /// The response ended.
    package mutating func responseEndReceived() -> Action {
        guard case .running(let request, .receivingBody(let status, let close)) = self.state else {
            return .doNothing
        }
        switch request {
        case .streamingBody:
            // An early 2xx while the body is still going: finish sending, then complete.
            self.state = .running(request: request, response: .finished(status: status, connectionClose: close))
            return .doNothing
        case .idle, .waitingForContinue:
            preconditionFailure("Invalid state: \(self.state)")
        case .finished:
            if self.readError != nil {
                // Only a body that runs until the connection closes can end after a read error: the decoder ends it
                // when the connection goes. Ended by a reset, not a close, it may be short, and a short body is
                // data loss (RFC 9112 §8: an incomplete message). An early answer (below) keeps its body: the reset
                // there comes from the body the server never read.
                return self.fail(.responseTruncated)
            }
            self.state = .done
            return .succeedRequest(closeConnection: close)
        case .stopped, .failed:
            self.state = .done
            if self.retryingWithoutExpect {
                return .retryWithoutExpect(closeConnection: true)
            }
            // The body was cut short: the connection's framing is lost, it cannot be reused.
            return .succeedRequest(closeConnection: true)
        }
    }

    /// Reading failed (a reset, or a response that breaks HTTP/1.1).
    package mutating func readFailed(_ error: ExchangeFailure.SystemError) -> Action {
        switch self.state {
        case .initialized, .done:
            // Between exchanges (bytes after a complete response, a response nobody asked for): the connection's
            // stream is broken and must not carry another request.
            return .closeConnection
        case .running:
            if self.readError == nil { self.readError = error }
            return .closeConnection
        }
    }

    /// The response could not be parsed. Between exchanges (bytes after a complete response), the connection just
    /// closes: it must not carry another request.
    package mutating func responseParseFailed(_ reason: String) -> Action {
        guard case .running = self.state else { return .closeConnection }
        return self.fail(.protocolViolation(reason))
    }

    /// The connection ended inside a response (the decoder saw EOF mid-message). The close that
    /// follows decides the outcome.
    package mutating func responseCutShortByEOF() -> Action {
        .doNothing
    }

    /// The request body's source threw.
    package mutating func requestBodySourceFailed(_ reason: String) -> Action {
        self.fail(.requestBodySourceFailed(reason))
    }

    /// The connection closed. Whatever has not completed now fails, with everything we learned.
    package mutating func channelInactive() -> Action {
        guard case .running(let request, let response) = self.state else { return .doNothing }
        switch response {
        case .finished:
            // Only an early 2xx whose body was still being sent gets here: the server answered and
            // then closed. Its answer stands, with the body stopped early.
            self.state = .done
            _ = request
            self.bodyStoppedEarly = true
            return .succeedRequest(closeConnection: true)
        case .receivingBody:
            return self.fail(.responseTruncated)
        case .waitingForHead:
            if self.writeError != nil { return self.fail(.writeFailedWithoutResponse) }
            if self.readError != nil { return self.fail(.resetWithoutResponse) }
            return self.fail(.closedWithoutResponse)
        }
    }

    // MARK: - Timers and cancellation

    /// Nothing was read or written for the read-idle timeout.
    package mutating func readIdleTimeoutFired() -> Action {
        self.timeoutFired(.readIdle)
    }

    /// The whole-request deadline passed.
    package mutating func requestTimeoutFired() -> Action {
        self.timeoutFired(.request)
    }

    private mutating func timeoutFired(_ kind: TimeoutKind) -> Action {
        if case .running(_, .finished) = self.state {
            // A complete early 2xx while the body still went out, and now the server has stopped reading it:
            // the server answered, so its answer is the result. The rest of the body is given up.
            self.state = .done
            self.bodyStoppedEarly = true
            return .succeedRequest(closeConnection: true)
        }
        return self.fail(.timeout(kind))
    }

    /// The caller gave up.
    package mutating func cancelled() -> Action {
        self.fail(.cancelled)
    }

    /// A handler in front of the exchange (TLS, decompression) failed the connection and explained why. A
    /// running exchange fails with that explanation; with none running, the connection just closes.
    package mutating func pipelineFailed() -> Action {
        guard case .running = self.state else { return .closeConnection }
        self.state = .done
        return .failRequestWithPipelineError
    }

    // MARK: - Helpers

    /// The phase the exchange is in, for error reports.
    package var phase: ExchangePhase {
        switch self.state {
        case .initialized: .sendingHead
        case .done: .completed
        case .running(let request, let response):
            switch response {
            case .receivingBody: .receivingBody
            case .finished: .sendingBody  // an early response is complete; the body still goes out
            case .waitingForHead:
                switch request {
                case .idle: .sendingHead
                case .waitingForContinue: .awaitingContinue
                case .streamingBody: .sendingBody
                case .finished, .stopped: .awaitingResponse
                case .failed:
                    // The failed write was the head unless body bytes went out, or the body started at once.
                    self.hasBody && (self.bodyBytesSent > 0 || !self.expectContinueSent) ? .sendingBody : .sendingHead
                }
            }
        }
    }

    private mutating func fail(_ reason: ExchangeFailure.Reason) -> Action {
        guard case .running = self.state else { return .doNothing }
        let failure = self.failure(reason)
        self.state = .done
        return .failRequest(failure)
    }

    private func failure(_ reason: ExchangeFailure.Reason) -> ExchangeFailure {
        ExchangeFailure(
            reason: reason,
            phase: self.phase,
            bodyBytesSent: self.bodyBytesSent,
            bodyBytesReceived: self.bodyBytesReceived,
            writeError: self.writeError,
            readError: self.readError
        )
    }
}

extension ClientExchangeStateMachine: CustomStringConvertible {
    package var description: String {
        "ClientExchangeStateMachine(\(self.state), sent: \(self.bodyBytesSent), received: \(self.bodyBytesReceived))"
    }
}
