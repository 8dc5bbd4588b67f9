public import NIOCore

/// The decisions of one HTTP/1.1 server connection, as a pure state machine.
///
/// It decides, for each request, whether the application is consulted on the head, whether 100 Continue
/// is sent, whether a body is streamed to the application or discarded, when a limit turns into an error
/// response, and whether the connection is kept alive or closed after the response. It never waits for
/// a body it has not asked for. The channel handler translates NIO events into calls of the event methods
/// and performs the returned actions; the machine does no I/O and reads no clock.
public struct ServerConnectionStateMachine: Sendable {
    /// What the channel handler must do next.
    public enum Action: Sendable, Hashable {
        /// Nothing to do.
        case doNothing
        /// Make `deadline` the connection's only deadline; call ``timeoutFired()`` once it passes.
        case armTimer(NIODeadline)
        /// Show the head to the application, then report ``responderAccepted(now:)`` or ``responderResponded()``.
        case askResponder
        /// The application accepted: send 100 Continue if asked, arm the timer if a deadline is given,
        /// and stream the body parts that follow to the application.
        case startBody(sendContinue: Bool, timerDeadline: NIODeadline?)
        /// Pass this body part to the application and arm the timer for `timerDeadline`.
        case forwardBody(timerDeadline: NIODeadline)
        /// Stop the connection's clock: no deadline until the next ``armTimer(_:)``.
        case disarmTimer
        /// The body ended: finish the application's body stream.
        case finishBody
        /// Write the application's response. If `close`, close the connection after it (a lingering close);
        /// if `nextRequestDeadline` is set, the exchange is over: arm the timer and go on with the next request.
        case writeResponse(close: Bool, nextRequestDeadline: NIODeadline?)
        /// Write the application's early response, keeping the connection, and arm the timer for `timerDeadline`
        /// while the rest of the body is read and discarded.
        case writeResponseAndDiscardBody(timerDeadline: NIODeadline)
        /// The exchange is over (the rest of the body was discarded): arm the timer and go on with the next request.
        case requestComplete(nextRequestDeadline: NIODeadline)
        /// Write an error response of the server's own with `Connection: close`, then close. Fail the
        /// application's body stream if there is one.
        case reject(ServerRejection)
        /// Fail the application's body stream if there is one, then close without a response.
        case abortAndClose
        /// Fail the application's body stream if there is one; the channel is already closed.
        case failBody
        /// Read no more request bytes: what follows a request that closes the connection is ignored, and the
        /// connection closes after the responses it owes (RFC 9112 §9.6).
        case ignoreInput
    }

    /// Why the request decoder failed.
    public enum DecodingFailure: Sendable, Hashable {
        /// The bytes are not a valid HTTP/1.1 request.
        case malformed
        /// The head is larger than ``ServerLimits/maxHeaderSize``.
        case headTooLarge
        /// The request target alone is longer than ``ServerLimits/maxHeaderSize``.
        case targetTooLong
        /// Bytes followed a request that closes the connection (`Connection: close`, or HTTP/1.0 without
        /// keep-alive); the decoder refuses them.
        case afterClosingRequest
    }

    private enum Inbound: Sendable, Hashable {
        /// The head arrived; the application is deciding. Next: `streaming`, `discarding`.
        case deciding(ServerRequestHeadInfo)
        /// The body streams to the application. Next: `complete`.
        case streaming(received: Int)
        /// The body is read and thrown away after an early response. Next: `complete`.
        case discarding(discarded: Int, budget: Int)
        /// The whole request has been read. Terminal for the request.
        case complete
    }

    private struct Exchange: Sendable, Hashable {
        var inbound: Inbound
        var keepAlive: Bool
        var responseSent: Bool
        /// The body's clock for ``ServerLimits/minimumBodyRate``, from the moment a body is to be read.
        var bodyClock: BodyClock? = nil
    }

    /// When a body began, for its overall deadline (``MinimumBodyRate``).
    private struct BodyClock: Sendable, Hashable {
        /// The body's start, moved on by the time the server itself did not read.
        var start: NIODeadline
        /// When the last body part arrived. A pause begins there: the handler pauses right after forwarding a part.
        var lastRead: NIODeadline
        /// Whether the server stopped reading because the application is behind.
        var isPaused = false
    }

    private enum State: Sendable, Hashable {
        /// Waiting for a request head. Next: `exchange`, `closing`.
        case idle
        /// A request is in progress. Next: `idle`, `closing`.
        case exchange(Exchange)
        /// The connection is closing or closed. Terminal.
        case closing
    }

    private let limits: ServerLimits
    private var state: State = .idle

    /// Creates a machine for one connection.
    /// - Parameter limits: The limits to enforce.
    public init(limits: ServerLimits) {
        self.limits = limits
    }

    /// Whether the connection waits for a request head; a head that arrives while this is false is
    /// pipelined and must be held back by the handler until the current exchange ends.
    public var isIdle: Bool {
        if case .idle = self.state { return true }
        return false
    }

    /// Whether the connection is closing: inbound parts must be dropped.
    public var isClosing: Bool {
        if case .closing = self.state { return true }
        return false
    }

    // MARK: - Events

    /// The connection was accepted.
    /// - Parameter now: The current time of the event loop.
    public mutating func channelActive(now: NIODeadline) -> Action {
        .armTimer(now + self.limits.headerReadTimeout)
    }

    /// A request head arrived while the machine was idle.
    ///
    /// An invalid head is answered with 400, an unsupported method with 501, an unsupported expectation with
    /// 417 and a declared length over ``ServerLimits/maxBodySize`` with 413, each before the application is asked.
    /// - Parameter head: The head's framing and expectation.
    public mutating func headReceived(_ head: ServerRequestHeadInfo) -> Action {
        guard case .idle = self.state else {
            if case .closing = self.state { return .doNothing }
            self.state = .closing
            return .abortAndClose
        }
        if head.isInvalid {
            self.state = .closing
            return .reject(.badRequest)
        }
        if head.isUnsupportedMethod {
            self.state = .closing
            return .reject(.notImplemented)
        }
        if head.expectation == .unsupported {
            self.state = .closing
            return .reject(.expectationFailed)
        }
        if let length = head.contentLength, length > self.limits.maxBodySize {
            self.state = .closing
            return .reject(.contentTooLarge)
        }
        self.state = .exchange(Exchange(inbound: .deciding(head), keepAlive: head.keepAlive, responseSent: false))
        return .askResponder
    }

    /// The application accepted the request: its body is to stream to it.
    /// - Parameter now: The current time of the event loop.
    public mutating func responderAccepted(now: NIODeadline) -> Action {
        guard case .exchange(var exchange) = self.state, case .deciding(let head) = exchange.inbound else {
            return self.unexpectedEvent()
        }
        exchange.inbound = .streaming(received: 0)
        guard head.hasBody else {
            self.state = .exchange(exchange)
            return .startBody(sendContinue: false, timerDeadline: nil)
        }
        exchange.bodyClock = BodyClock(start: now, lastRead: now)
        self.state = .exchange(exchange)
        let deadline = self.bodyDeadline(exchange, received: 0, now: now)
        return .startBody(sendContinue: head.expectation == .continue100, timerDeadline: deadline)
    }

    /// The application answered on the head alone, without reading the body.
    ///
    /// A connection whose remaining body is declared and small (at most ``ServerLimits/keepAliveDrainLimit``)
    /// and not held back by `Expect: 100-continue` is kept: the body is read and discarded. Any other body
    /// makes the response carry `Connection: close` and the connection close after it. The body that is
    /// discarded has the same deadlines as one that is read (``ServerLimits/idleTimeout`` and
    /// ``ServerLimits/minimumBodyRate``).
    /// - Parameter now: The current time of the event loop.
    public mutating func responderResponded(now: NIODeadline) -> Action {
        guard case .exchange(var exchange) = self.state, case .deciding(let head) = exchange.inbound else {
            return self.unexpectedEvent()
        }
        exchange.responseSent = true
        if !head.hasBody {
            exchange.inbound = .discarding(discarded: 0, budget: 0)
        } else if let length = head.contentLength, head.expectation == .none,
            length <= self.limits.keepAliveDrainLimit
        {
            exchange.inbound = .discarding(discarded: 0, budget: length)
            exchange.bodyClock = BodyClock(start: now, lastRead: now)
        } else {
            exchange.keepAlive = false
        }
        guard exchange.keepAlive else {
            self.state = .closing
            return .writeResponse(close: true, nextRequestDeadline: nil)
        }
        self.state = .exchange(exchange)
        guard exchange.bodyClock == nil else {
            return .writeResponseAndDiscardBody(timerDeadline: self.bodyDeadline(exchange, received: 0, now: now))
        }
        return .writeResponse(close: false, nextRequestDeadline: nil)
    }

    /// A part of the request body arrived.
    /// - Parameters:
    ///   - byteCount: The size of the part.
    ///   - now: The current time of the event loop.
    public mutating func bodyReceived(byteCount: Int, now: NIODeadline) -> Action {
        guard case .exchange(var exchange) = self.state else {
            return .doNothing
        }
        switch exchange.inbound {
        case .streaming(let received):
            let total = received + byteCount
            if total > self.limits.maxBodySize {
                self.state = .closing
                return exchange.responseSent ? .abortAndClose : .reject(.contentTooLarge)
            }
            exchange.inbound = .streaming(received: total)
            exchange.bodyClock?.lastRead = now
            self.state = .exchange(exchange)
            return .forwardBody(timerDeadline: self.bodyDeadline(exchange, received: total, now: now))
        case .discarding(let discarded, let budget):
            let total = discarded + byteCount
            if total > budget {
                self.state = .closing
                return .abortAndClose
            }
            exchange.inbound = .discarding(discarded: total, budget: budget)
            exchange.bodyClock?.lastRead = now
            self.state = .exchange(exchange)
            return .armTimer(self.bodyDeadline(exchange, received: total, now: now))
        case .deciding, .complete:
            return self.unexpectedEvent()
        }
    }

    /// The request ended (its body, if any, is complete).
    /// - Parameter now: The current time of the event loop.
    public mutating func endReceived(now: NIODeadline) -> Action {
        guard case .exchange(var exchange) = self.state else {
            return .doNothing
        }
        switch exchange.inbound {
        case .streaming:
            exchange.inbound = .complete
            self.state = .exchange(exchange)
            return .finishBody
        case .discarding:
            self.state = .idle
            return .requestComplete(nextRequestDeadline: now + self.limits.idleTimeout)
        case .deciding, .complete:
            return self.unexpectedEvent()
        }
    }

    /// The application produced its response after accepting the request.
    /// - Parameter now: The current time of the event loop.
    public mutating func responseReady(now: NIODeadline) -> Action {
        guard case .exchange(var exchange) = self.state, !exchange.responseSent else {
            return .doNothing
        }
        switch exchange.inbound {
        case .complete:
            guard exchange.keepAlive else {
                self.state = .closing
                return .writeResponse(close: true, nextRequestDeadline: nil)
            }
            self.state = .idle
            return .writeResponse(close: false, nextRequestDeadline: now + self.limits.idleTimeout)
        case .streaming, .discarding, .deciding:
            // The application answered without reading the whole body: close after the response.
            exchange.responseSent = true
            self.state = .closing
            return .writeResponse(close: true, nextRequestDeadline: nil)
        }
    }

    /// The handler stopped reading because the application is behind on the body.
    ///
    /// The idle timeout measures the client's silence; while the server itself is not reading, the client
    /// cannot be blamed, so the clock stands still until ``readingResumed(now:)``: the idle timeout's, and the
    /// body's overall deadline's from the arrival of the last body part (the handler pauses right after it).
    public mutating func readingPaused() -> Action {
        guard case .exchange(var exchange) = self.state, case .streaming = exchange.inbound else {
            return .doNothing
        }
        exchange.bodyClock?.isPaused = true
        self.state = .exchange(exchange)
        return .disarmTimer
    }

    /// The handler resumed reading after ``readingPaused()``: the client's silence is measured again from now.
    /// - Parameter now: The current time of the event loop.
    public mutating func readingResumed(now: NIODeadline) -> Action {
        guard case .exchange(var exchange) = self.state, case .streaming(let received) = exchange.inbound else {
            return .doNothing
        }
        if var clock = exchange.bodyClock, clock.isPaused {
            clock.start = clock.start + (now - clock.lastRead)
            clock.lastRead = now
            clock.isPaused = false
            exchange.bodyClock = clock
            self.state = .exchange(exchange)
        }
        return .armTimer(self.bodyDeadline(exchange, received: received, now: now))
    }

    /// The server is stopping: finish the request in progress, if any, then close.
    ///
    /// An idle connection closes at once (the responses already written flush first). A request in progress
    /// goes on, and its response carries `Connection: close`; the connection closes after it. After an early
    /// response, whose keep-alive is already promised, the rest of the body is not awaited: the connection
    /// closes at once, with a lingering close, since the client has its response.
    public mutating func serverStopping() -> Action {
        switch self.state {
        case .idle:
            self.state = .closing
            return .abortAndClose
        case .exchange(var exchange):
            if exchange.responseSent {
                self.state = .closing
                return .abortAndClose
            }
            exchange.keepAlive = false
            self.state = .exchange(exchange)
            return .doNothing
        case .closing:
            return .doNothing
        }
    }

    /// The server is stopping and refused to run the accepted request's handler: answer 503 and close, rather
    /// than leave the client waiting for a response nothing will produce.
    public mutating func handlerRefused() -> Action {
        guard case .exchange(let exchange) = self.state, !exchange.responseSent else {
            return .doNothing
        }
        self.state = .closing
        return .reject(.serviceUnavailable)
    }

    /// The connection's deadline passed.
    public mutating func timeoutFired() -> Action {
        switch self.state {
        case .idle:
            self.state = .closing
            return .abortAndClose
        case .exchange(let exchange):
            if case .complete = exchange.inbound { return .doNothing }
            self.state = .closing
            return exchange.responseSent ? .abortAndClose : .reject(.requestTimeout)
        case .closing:
            return .doNothing
        }
    }

    /// The request decoder failed.
    ///
    /// Between requests, a head over the size limit gets 431, or 414 if its request target alone is over it
    /// (RFC 9110 §15.5.15); anything else unparsable gets 400. Bytes after a request that closes the connection
    /// are ignored (RFC 9112 §9.6): that request is answered, and the connection closes after it.
    /// - Parameter failure: Why it failed.
    public mutating func decodingFailed(_ failure: DecodingFailure) -> Action {
        let rejection: ServerRejection
        switch failure {
        case .afterClosingRequest:
            // The closing request, parsed before these bytes, is answered as usual: they are no error of its.
            return .ignoreInput
        case .malformed: rejection = .badRequest
        case .headTooLarge: rejection = .headerFieldsTooLarge
        case .targetTooLong: rejection = .uriTooLong
        }
        switch self.state {
        case .idle:
            self.state = .closing
            return .reject(rejection)
        case .exchange(let exchange):
            self.state = .closing
            return exchange.responseSent ? .abortAndClose : .reject(.badRequest)
        case .closing:
            return .doNothing
        }
    }

    /// The client shut down its write side: no more request bytes will arrive.
    ///
    /// The handler reports it only once every request received before the EOF has been processed
    /// (pipelined requests are answered first). A complete request still gets its response, with
    /// `Connection: close`; an idle connection closes, which lets the responses already written flush
    /// first (the lingering close shuts down the write side after them); a request cut short is aborted.
    public mutating func inputClosed() -> Action {
        switch self.state {
        case .idle:
            self.state = .closing
            return .abortAndClose
        case .exchange(var exchange):
            if case .complete = exchange.inbound, !exchange.responseSent {
                exchange.keepAlive = false
                self.state = .exchange(exchange)
                return .doNothing
            }
            self.state = .closing
            return .abortAndClose
        case .closing:
            return .doNothing
        }
    }

    /// The channel closed.
    public mutating func channelInactive() -> Action {
        switch self.state {
        case .idle, .closing:
            self.state = .closing
            return .doNothing
        case .exchange:
            self.state = .closing
            return .failBody
        }
    }

    // MARK: - Helpers

    /// The next deadline while a body is read or discarded: the idle timeout, or the body's overall deadline
    /// (``ServerLimits/minimumBodyRate``) if that is sooner.
    private func bodyDeadline(_ exchange: Exchange, received: Int, now: NIODeadline) -> NIODeadline {
        let idleDeadline = now + self.limits.idleTimeout
        guard let rate = self.limits.minimumBodyRate, let clock = exchange.bodyClock else {
            return idleDeadline
        }
        return min(idleDeadline, rate.deadline(start: clock.start, received: received))
    }

    private mutating func unexpectedEvent() -> Action {
        // Only reachable if the handler reports events out of order; fail safe by closing.
        guard case .closing = self.state else {
            self.state = .closing
            return .abortAndClose
        }
        return .doNothing
    }
}

extension ServerConnectionStateMachine: CustomStringConvertible {
    /// The state, for logs.
    public var description: String {
        switch self.state {
        case .idle: "idle"
        case .exchange(let exchange): "exchange(\(exchange.inbound), keepAlive: \(exchange.keepAlive))"
        case .closing: "closing"
        }
    }
}
