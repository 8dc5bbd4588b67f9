public import NIOCore

/// The decisions of a lingering close, as a pure state machine (RFC 9112 §9.6).
///
/// When the application asks to close the connection, the machine does not close it: it asks for the
/// write side to be shut down once every pending write is flushed (the client sees a FIN after the whole
/// response), then keeps reading and discarding whatever the client still sends until the client's EOF,
/// a time limit, an idle limit or a byte limit, and only then closes. A close with unread bytes in the
/// receive buffer makes the kernel answer with a reset, which can destroy the response the client has
/// not read yet; reading first avoids that.
///
/// Events come in (``closeRequested(promise:)``, ``outputClosed(now:)``, ``channelRead(byteCount:now:)``,
/// ``timerFired()``, …) and actions go out; the machine does no I/O and reads no clock.
public struct LingeringCloseStateMachine: Sendable {
    /// What the channel handler must do next.
    public enum Action: Sendable {
        /// Pass the event on unchanged.
        case forward
        /// Drop the inbound bytes; then, if `deadline` is not nil, arm the timer for it and ask for more bytes.
        case discard(rearmTimerAt: NIODeadline?)
        /// Shut down the write side once pending writes are flushed, then report ``outputClosed(now:)``;
        /// complete `notify` (the application's half-close promise, if any) with the result. Arm the timer
        /// for `timerDeadline`: a client that does not read the response cannot hold the connection longer.
        case closeOutput(notify: EventLoopPromise<Void>?, timerDeadline: NIODeadline)
        /// The client already sent its EOF, so the socket cannot be half-closed (NIO turns that into a full
        /// close, which drops pending writes): wait until every pending write is flushed, then report
        /// ``outputClosed(now:)``. Arm the timer for `timerDeadline`, which bounds the wait.
        case awaitPendingWrites(timerDeadline: NIODeadline)
        /// Arm the timer for `deadline` and ask the channel for more bytes.
        case startLingering(timerDeadline: NIODeadline)
        /// Close the whole channel now, completing `promise` with the result.
        case close(promise: EventLoopPromise<Void>?)
        /// Complete `promise` once the already-requested close has happened.
        case chainPromise(EventLoopPromise<Void>?, to: EventLoopPromise<Void>?)
        /// Complete `promise` successfully: the channel is already closed.
        case succeedPromise(EventLoopPromise<Void>?)
        /// Nothing to do.
        case doNothing
    }

    private enum State: Sendable {
        /// Normal operation; the application may have shut down the write side itself.
        /// Next: `closingOutput`, `lingering`, `closed`.
        case open(inputClosed: Bool, outputClosed: Bool)
        /// The write side is being shut down after pending writes; the whole close ends by `endDeadline`.
        /// Next: `lingering`, `closed`.
        case closingOutput(inputClosed: Bool, endDeadline: NIODeadline, promise: EventLoopPromise<Void>?)
        /// Reading and discarding until EOF or a limit. Next: `closed`.
        case lingering(endDeadline: NIODeadline, discarded: Int, promise: EventLoopPromise<Void>?)
        /// The final close has been requested or has happened. Terminal.
        case closed(promise: EventLoopPromise<Void>?)
    }

    private let configuration: LingeringCloseConfiguration
    private var state: State = .open(inputClosed: false, outputClosed: false)

    /// Creates a machine for one connection.
    /// - Parameter configuration: The limits of the lingering phase.
    public init(configuration: LingeringCloseConfiguration) {
        self.configuration = configuration
    }

    /// Whether the machine is reading and discarding (or about to): inbound bytes must not reach the application.
    public var isDiscarding: Bool {
        switch self.state {
        case .open: false
        case .closingOutput, .lingering, .closed: true
        }
    }

    // MARK: - Events

    /// The application asked to close the whole connection.
    /// - Parameters:
    ///   - promise: The application's close promise, completed when the socket is really closed.
    ///   - now: The current time of the event loop.
    public mutating func closeRequested(promise: EventLoopPromise<Void>?, now: NIODeadline) -> Action {
        switch self.state {
        case .open(let inputClosed, let outputClosed):
            if inputClosed && outputClosed {
                self.state = .closed(promise: promise)
                return .close(promise: promise)
            }
            if inputClosed {
                // The client sent its EOF, so there is nothing to linger for, but the response may still
                // be pending: a close of the whole channel would drop every byte the kernel has not taken.
                // Close once the pending writes are flushed (bounded by `lingerTime`).
                let end = now + self.configuration.lingerTime
                self.state = .closingOutput(inputClosed: true, endDeadline: end, promise: promise)
                return .awaitPendingWrites(timerDeadline: end)
            }
            if outputClosed {
                // The application already shut down the write side: linger at once.
                let end = now + self.configuration.lingerTime
                self.state = .lingering(endDeadline: end, discarded: 0, promise: promise)
                return .startLingering(timerDeadline: self.readDeadline(now: now, end: end))
            }
            let end = now + self.configuration.lingerTime
            self.state = .closingOutput(inputClosed: false, endDeadline: end, promise: promise)
            return .closeOutput(notify: nil, timerDeadline: end)
        case .closingOutput(let inputClosed, let end, let existing):
            if existing == nil {
                self.state = .closingOutput(inputClosed: inputClosed, endDeadline: end, promise: promise)
                return .doNothing
            }
            return .chainPromise(promise, to: existing)
        case .lingering(let end, let discarded, let existing):
            if existing == nil {
                self.state = .lingering(endDeadline: end, discarded: discarded, promise: promise)
                return .doNothing
            }
            return .chainPromise(promise, to: existing)
        case .closed(let existing):
            if existing == nil {
                return .succeedPromise(promise)
            }
            return .chainPromise(promise, to: existing)
        }
    }

    /// The application asked to shut down only the write side.
    ///
    /// With ``LingeringCloseConfiguration/lingerOnApplicationHalfClose`` the machine starts lingering right
    /// away: an HTTP server that has shut down its write side is done with the exchange, and a server that
    /// then holds the connection without reading (Hummingbird 2 does) would stall a client still sending.
    /// Otherwise the half-close passes through and lingering starts at the full close.
    /// - Parameters:
    ///   - promise: The application's promise for the half-close.
    ///   - now: The current time of the event loop.
    public mutating func outputCloseRequested(promise: EventLoopPromise<Void>?, now: NIODeadline) -> Action {
        guard case .open(let inputClosed, let outputClosed) = self.state, !outputClosed else {
            return .forward
        }
        if self.configuration.lingerOnApplicationHalfClose && !inputClosed {
            let end = now + self.configuration.lingerTime
            self.state = .closingOutput(inputClosed: false, endDeadline: end, promise: nil)
            return .closeOutput(notify: promise, timerDeadline: end)
        }
        self.state = .open(inputClosed: inputClosed, outputClosed: true)
        return .forward
    }

    /// The write side has been shut down (or, after the client's EOF, every pending write was flushed):
    /// every response byte is on its way.
    /// - Parameter now: The current time of the event loop.
    public mutating func outputClosed(now: NIODeadline) -> Action {
        switch self.state {
        case .closingOutput(let inputClosed, let end, let promise):
            if inputClosed || now >= end {
                self.state = .closed(promise: promise)
                return .close(promise: promise)
            }
            self.state = .lingering(endDeadline: end, discarded: 0, promise: promise)
            return .startLingering(timerDeadline: self.readDeadline(now: now, end: end))
        case .open, .lingering, .closed:
            return .doNothing
        }
    }

    /// Shutting down the write side failed (the socket is probably gone): close at once.
    public mutating func outputCloseFailed() -> Action {
        switch self.state {
        case .closingOutput(_, _, let promise), .lingering(_, _, let promise):
            self.state = .closed(promise: promise)
            return .close(promise: promise)
        case .open, .closed:
            return .doNothing
        }
    }

    /// Bytes arrived from the client.
    /// - Parameters:
    ///   - byteCount: How many bytes arrived.
    ///   - now: The current time of the event loop.
    public mutating func channelRead(byteCount: Int, now: NIODeadline) -> Action {
        switch self.state {
        case .open:
            return .forward
        case .closingOutput:
            return .discard(rearmTimerAt: nil)
        case .lingering(let end, let discarded, let promise):
            let total = discarded + byteCount
            if total > self.configuration.maxDiscardBytes || now >= end {
                self.state = .closed(promise: promise)
                return .close(promise: promise)
            }
            self.state = .lingering(endDeadline: end, discarded: total, promise: promise)
            return .discard(rearmTimerAt: self.readDeadline(now: now, end: end))
        case .closed:
            return .discard(rearmTimerAt: nil)
        }
    }

    /// The client shut down its write side (EOF): nothing more will arrive.
    public mutating func inputClosed() -> Action {
        switch self.state {
        case .open(_, let outputClosed):
            self.state = .open(inputClosed: true, outputClosed: outputClosed)
            return .forward
        case .closingOutput(_, let end, let promise):
            self.state = .closingOutput(inputClosed: true, endDeadline: end, promise: promise)
            return .doNothing
        case .lingering(_, _, let promise):
            self.state = .closed(promise: promise)
            return .close(promise: promise)
        case .closed:
            return .doNothing
        }
    }

    /// A read failed (for example the client reset the connection).
    public mutating func errorCaught() -> Action {
        switch self.state {
        case .open:
            return .forward
        case .closingOutput(_, _, let promise), .lingering(_, _, let promise):
            self.state = .closed(promise: promise)
            return .close(promise: promise)
        case .closed:
            return .doNothing
        }
    }

    /// The lingering timer fired: the client was idle for too long or the total time is up.
    ///
    /// The handler cancels and re-arms its timer on every ``Action/discard(rearmTimerAt:)``,
    /// so a timer that fires is always the latest one.
    public mutating func timerFired() -> Action {
        switch self.state {
        case .closingOutput(_, _, let promise), .lingering(_, _, let promise):
            self.state = .closed(promise: promise)
            return .close(promise: promise)
        case .open, .closed:
            return .doNothing
        }
    }

    /// The channel closed, whoever closed it. The handler forwards the event whatever the action.
    public mutating func channelInactive() -> Action {
        switch self.state {
        case .open:
            self.state = .closed(promise: nil)
            return .doNothing
        case .closingOutput(_, _, let promise), .lingering(_, _, let promise):
            self.state = .closed(promise: nil)
            return .succeedPromise(promise)
        case .closed:
            return .doNothing
        }
    }

    // MARK: - Helpers

    private func readDeadline(now: NIODeadline, end: NIODeadline) -> NIODeadline {
        min(now + self.configuration.lingerReadTimeout, end)
    }
}

extension LingeringCloseStateMachine: CustomStringConvertible {
    /// The state, for logs.
    public var description: String {
        switch self.state {
        case .open(let inputClosed, let outputClosed):
            "open(inputClosed: \(inputClosed), outputClosed: \(outputClosed))"
        case .closingOutput(let inputClosed, _, _): "closingOutput(inputClosed: \(inputClosed))"
        case .lingering(_, let discarded, _): "lingering(discarded: \(discarded))"
        case .closed: "closed"
        }
    }
}
