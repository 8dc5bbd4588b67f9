import HeedCore
import NIOCore
import NIOHTTP1

/// Runs exchanges on one connection, one at a time, translating between NIO and
/// ``ClientExchangeStateMachine``. It makes no protocol decision of its own.
final class ClientExchangeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    var machine = ClientExchangeStateMachine()
    var exchange: ClientExchange?
    var context: ChannelHandlerContext?
    private var responseHead: HTTPResponseHead?
    /// Request body bytes sent when the final response head went to the caller; `nil` before that.
    private var bodyBytesSentAtForwardedHead: Int64?
    /// The response body so far, when the exchange collects it.
    private var collectedBody: ByteBuffer?
    /// Whether the response body's consumer asked us to stop reading (the read-idle clock stands still meanwhile).
    private(set) var readingPaused = false
    /// Whether a `read` arrived while paused.
    private var pendingRead = false
    private var bodyState = BodyState.notStarted
    /// Whether ``drainBody(for:)`` is running, and whether it was called again meanwhile.
    private var draining = false
    private var drainAgain = false
    /// Body bytes written since the event loop last had a chance to read, and whether a drain waits for it.
    private var bodyBytesSinceRead = 0
    private var drainAfterReadScheduled = false
    /// See ``drainBody(for:)``.
    static let drainBudget = 256 * 1024
    private var continueTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?
    /// Checks for read inactivity. It outlives an exchange and is re-armed only when it fires, so keep-alive
    /// requests schedule no timer of their own.
    var idleTimer: Scheduled<Void>?
    var idleTimerDue: NIODeadline?
    /// When a byte was last read or written, on the event loop's clock (so tests can advance it).
    var lastActivity: NIODeadline
    /// What happens during the current exchange, for the diagnosis.
    var recorder = ExchangeRecorder()
    /// Whether we closed the connection ourselves (so an EOF is not the server's).
    private var closedByUs = false
    let eventLoop: any EventLoop
    /// Whether the connection closed; a closed connection takes no new exchange.
    private(set) var isClosed = false
    /// Why the connection closed before an exchange started on it, when a handler in front said so.
    private var closedBecause: HTTPClientError?
    /// The explanation of the last failure a handler in front reported, for ``failRequestWithPipelineError``.
    private var pipelineError: HTTPClientError?
    /// The loop's busy polling, when the client's configuration asks for it (``HTTPClient/Configuration/busyPoll``).
    let busyPoll: LoopBusyPoll?

    init(eventLoop: any EventLoop, busyPoll: LoopBusyPoll? = nil) {
        self.eventLoop = eventLoop
        self.lastActivity = eventLoop.now
        self.busyPoll = busyPoll
    }

    /// Whether the producer may write body parts.
    private enum BodyState {
        case notStarted
        case streaming
        case stopped
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.cancelIdleTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bodyBytesSinceRead = 0
        let now = self.eventLoop.now
        self.lastActivity = now
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            if head.status.code >= 200 {
                self.responseHead = head
                self.record(
                    .responseHeadReceived(
                        status: Int(head.status.code),
                        reason: head.status.reasonPhrase,
                        connectionClose: !head.isKeepAlive,
                        contentLength: head.headers.first(name: "content-length").flatMap { Int64($0) }
                    ),
                    at: now
                )
            } else if head.status.code == 100 {
                self.record(.continueReceived, at: now)
            }
            let action = self.machine.responseHeadReceived(
                status: Int(head.status.code),
                connectionClose: !head.isKeepAlive
            )
            self.run(action, context: context)
        case .body(let part):
            if self.machine.wantsImmediateAcknowledgements { self.acknowledgeAtOnce(context: context) }
            let action = self.machine.responseBodyPartReceived(part)
            self.record(.bodyBytesReceived(total: self.machine.bodyBytesReceived), at: now)
            self.run(action, context: context)
        case .end:
            self.record(.responseFinished(total: self.machine.bodyBytesReceived), at: now)
            let action = self.machine.responseEndReceived()
            self.run(action, context: context)
        }
    }

    /// Asks the kernel to acknowledge the next segments at once (see
    /// `ClientExchangeStateMachine.wantsImmediateAcknowledgements`; a 4 MiB error page through a 16 KiB server
    /// buffer took two seconds without it). `TCP_QUICKACK` is Linux's; the kernel clears it by itself, so it is
    /// set again on every read.
    private func acknowledgeAtOnce(context: ChannelHandlerContext) {
        #if os(Linux)
        try? context.channel.syncOptions?.setOption(Self.quickAck, value: 1)
        #endif
    }

    /// `TCP_QUICKACK` (Linux).
    static let quickAck = ChannelOptions.Types.SocketOption(level: .tcp, name: .init(rawValue: 12))

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let clientError = error as? HTTPClientError {
            // A handler in front (decompression, TLS) already explained the failure: the running exchange fails
            // with that explanation, and so does one refused later on this (idle) connection.
            if self.exchange == nil { self.closedBecause = clientError }
            self.pipelineError = clientError
            let action = self.machine.pipelineFailed()
            self.run(action, context: context)
            return
        }
        if let parseError = error as? HTTPParserError {
            let action =
                parseError == .invalidEOFState
                ? self.machine.responseCutShortByEOF() : self.machine.responseParseFailed("\(parseError)")
            self.run(action, context: context)
            return
        }
        let info = SystemErrors.info(for: error)
        self.record(.readFailed(info))
        if info.name == "ECONNRESET" { self.record(.resetReceived) }
        self.recordTCPInfo(context: context)
        let action = self.machine.readFailed(info)
        self.run(action, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosed = true
        self.cancelIdleTimer()
        if !self.closedByUs, !self.recorder.sawReset { self.record(.finReceived) }
        let action = self.machine.channelInactive()
        self.run(action, context: context)
        if self.exchange != nil {
            // The machine decides every outcome on close; reaching here is our own bug. Fail, never hang.
            let failure = ExchangeFailure(
                reason: .protocolViolation("internal inconsistency: the connection closed without an outcome"),
                phase: self.machine.phase,
                bodyBytesSent: self.machine.bodyBytesSent,
                bodyBytesReceived: self.machine.bodyBytesReceived,
                writeError: nil,
                readError: nil
            )
            self.complete(.failure(.exchange(failure)))
        }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, self.bodyState == .streaming, let exchange = self.exchange {
            self.drainBody(for: exchange)
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Calls from the client (on the event loop)

    /// Starts `exchange` on this connection.
    func start(_ exchange: ClientExchange) {
        // The caller cancelled before this ran: send nothing, and leave the connection as it is (see markCancelled).
        guard !exchange.isCancelled else { return exchange.failBeforeStart(.cancelledBeforeStart) }
        guard let context = self.context, !self.isClosed, self.exchange == nil else {
            let failure = self.closedBecause.map { ClientExchange.Failure.client($0) } ?? .stale
            exchange.bodyStart?.succeed(false)
            exchange.responseHead?.fail(failure)
            exchange.responseBody.finish(failure)
            exchange.response.fail(failure)
            return
        }
        self.exchange = exchange
        self.busyPoll?.policy.value.exchangeStarted()
        self.machine = ClientExchangeStateMachine()
        self.recorder.begin(exchange.timeline)
        self.responseHead = nil
        self.bodyBytesSentAtForwardedHead = nil
        self.collectedBody = nil
        self.readingPaused = false
        self.bodyState = .notStarted
        self.lastActivity = self.eventLoop.now
        if let deadline = exchange.deadline {
            self.deadlineTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
                self.timerFired(.request) { $0.requestTimeoutFired() }
            }
        }
        self.armIdleCheck(context: context)
        let action = self.machine.requestStarted(
            hasBody: exchange.hasBody,
            expectContinue: exchange.expectContinue,
            closesConnection: exchange.closesConnection
        )
        self.run(action, context: context)
    }

    /// Writes the body parts waiting in the exchange's pipe while the channel is writable, then flushes; when
    /// the producer has finished and every part is out, the body ends. Called when the producer offers a part
    /// the connection is not already coming for, and when the channel becomes writable again.
    func drainBody(for exchange: ClientExchange) {
        guard let context = self.context, exchange.isSame(as: self.exchange), let pipe = exchange.bodyPipe else {
            return
        }
        // A stopped body already stopped its pipe (`stopBody`).
        guard self.bodyState == .streaming else { return }
        // A flush can make the channel writable again, which calls back in here; the outer call then comes back
        // in a task of its own rather than looping.
        if self.draining {
            self.drainAgain = true
            return
        }
        // NIO runs the tasks queued while it runs tasks before it looks at the sockets again, so a drain that
        // keeps coming back (a fast producer, a server reading as fast as we write) would keep an early answer
        // unread until the whole body is out. After `drainBudget` bytes the next drain waits for a timer, which
        // lets the loop read first.
        if self.bodyBytesSinceRead >= Self.drainBudget {
            self.scheduleDrainAfterRead(exchange, context: context)
            return
        }
        self.draining = true
        self.drainAgain = false
        var wrote = false
        defer {
            if wrote { context.flush() }
            self.draining = false
            if self.drainAgain, self.bodyState == .streaming {
                context.eventLoop.assumeIsolatedUnsafeUnchecked().execute { self.drainBody(for: exchange) }
            }
        }
        while context.channel.isWritable, self.bodyState == .streaming {
            switch pipe.take() {
            case .part(let part):
                self.bodyBytesSinceRead += part.readableBytes
                self.writeBodyPart(part, pipe: pipe, context: context)
                wrote = true
            case .end:
                if wrote { context.flush() }
                wrote = false
                self.run(self.machine.requestBodyFinished(), context: context)
                return
            case .empty:
                return
            }
        }
    }

    /// Drains again once the event loop has looked at its sockets (a timer, not a task: see ``drainBody(for:)``).
    private func scheduleDrainAfterRead(_ exchange: ClientExchange, context: ChannelHandlerContext) {
        guard !self.drainAfterReadScheduled else { return }
        self.drainAfterReadScheduled = true
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .microseconds(5)) {
            self.drainAfterReadScheduled = false
            self.bodyBytesSinceRead = 0
            self.drainBody(for: exchange)
        }
    }

    private func writeBodyPart(_ part: ByteBuffer, pipe: RequestBodyPipe, context: ChannelHandlerContext) {
        let count = part.readableBytes
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { result in
            switch result {
            case .success:
                self.lastActivity = self.eventLoop.now
                self.machine.bodyPartWritten(count: count)
                self.record(.bodyBytesSent(total: self.machine.bodyBytesSent), at: self.lastActivity)
                pipe.written(count)
            case .failure(let error):
                self.writeFailed(error)
            }
        }
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(part))), promise: written)
    }

    /// The body source threw.
    func bodySourceFailed(_ error: any Error, for exchange: ClientExchange) {
        guard let context = self.context, exchange.isSame(as: self.exchange) else { return }
        let action = self.machine.requestBodySourceFailed("\(error)")
        self.run(action, context: context)
    }

    /// The caller cancelled.
    func cancel(_ exchange: ClientExchange) {
        guard let context = self.context, exchange.isSame(as: self.exchange) else { return }
        let action = self.machine.cancelled()
        self.run(action, context: context)
    }

    /// The response body's consumer wants more.
    func resumeReading(exchangeID: ObjectIdentifier) {
        guard let context = self.context, self.exchange?.id == exchangeID, self.readingPaused else { return }
        self.readingPaused = false
        // The wait was the consumer's, not the server's: the read-idle clock starts again from here.
        self.lastActivity = self.eventLoop.now
        if self.pendingRead {
            self.pendingRead = false
            context.read()
        }
    }

    /// The response body's consumer stopped listening before the end.
    func responseBodyAbandoned(exchangeID: ObjectIdentifier) {
        guard let context = self.context, self.exchange?.id == exchangeID, self.responseHead != nil else { return }
        self.record(.closedByUs(reason: "the caller stopped reading the response body"))
        self.complete(.failure(.abandoned))
        self.closedByUs = true
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if self.readingPaused {
            self.pendingRead = true
        } else {
            context.read()
        }
    }

    // MARK: - Actions

    func run(_ action: ClientExchangeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .sendHeadWithoutBody:
            guard let exchange = self.exchange else { return }
            context.write(Self.wrapOutboundOut(.head(exchange.head)), promise: nil)
            self.record(
                .requestHeadSent(bytes: ExchangeRecorder.estimatedSize(of: exchange.head)),
                at: self.lastActivity
            )
            self.writeEnd(context: context)
        case .sendHeadAndWaitForContinue:
            guard let exchange = self.exchange else { return }
            self.writeHead(exchange.head, context: context)
            self.continueTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(
                in: exchange.continueTimeout
            ) {
                self.timerFired(.continueWait) { $0.continueTimeoutFired() }
            }
        case .sendHeadAndStartBody:
            guard let exchange = self.exchange else { return }
            self.writeHead(exchange.head, context: context)
            self.startBody()
        case .startBody:
            self.startBody()
        case .sendBodyEnd:
            self.writeEnd(context: context)
        case .forwardResponseHead(_, let stopBody):
            if stopBody { self.stopBody() }
            if let head = self.responseHead {
                let sent = self.machine.bodyBytesSentAtResponse ?? self.machine.bodyBytesSent
                self.bodyBytesSentAtForwardedHead = sent
                self.exchange?.responseHead?.succeed(ClientExchange.ArrivedHead(head: head, bodyBytesSent: sent))
            }
        case .stopBody:
            self.stopBody()
        case .forwardResponseBodyPart(let part):
            self.append(part, context: context)
        case .succeedRequest(let close):
            self.succeed(retry: false, close: close, context: context)
        case .retryWithoutExpect:
            self.succeed(retry: true, close: true, context: context)
        case .failRequest(var failure):
            if !self.isClosed { self.record(.closedByUs(reason: Self.closeReason(failure.reason))) }
            failure.timeline = self.recorder.timeline
            self.complete(.failure(.exchange(failure)))
            self.closedByUs = true
            context.close(promise: nil)
        case .failRequestWithPipelineError:
            if let error = self.pipelineError { self.complete(.failure(.client(error))) }
            self.closedByUs = true
            context.close(promise: nil)
        case .closeConnection:
            self.closedByUs = true
            context.close(promise: nil)
        case .doNothing:
            break
        }
    }

    /// Why the client closes the connection of an exchange that failed while it was open, for the timeline (and the
    /// diagnosis that tells it).
    private static func closeReason(_ reason: ExchangeFailure.Reason) -> String {
        switch reason {
        case .requestBodySourceFailed(let why): "the request body's source failed: \(why)"
        case .protocolViolation(let what): "the response is not valid HTTP/1.1 (\(what))"
        default: "the exchange failed"
        }
    }

    private func writeHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenFailure { self.writeFailed($0) }
        context.writeAndFlush(Self.wrapOutboundOut(.head(head)), promise: promise)
        self.record(.requestHeadSent(bytes: ExchangeRecorder.estimatedSize(of: head)), at: self.lastActivity)
    }

    private func writeEnd(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { result in
            guard let context = self.context else { return }
            switch result {
            case .success:
                self.record(.requestBodyFinished(total: self.machine.bodyBytesSent))
                let action = self.machine.requestEndWritten()
                self.run(action, context: context)
            case .failure(let error):
                self.writeFailed(error)
            }
        }
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: promise)
        self.spinForResponse(context: context)
    }

    private func writeFailed(_ error: any Error) {
        guard let context = self.context else { return }
        let info = SystemErrors.info(for: error)
        if self.exchange != nil, !self.closedByUs { self.record(.writeFailed(info)) }
        let action = self.machine.writeFailed(info)
        self.run(action, context: context)
    }

    private func startBody() {
        self.continueTimer?.cancel()
        self.continueTimer = nil
        guard self.bodyState == .notStarted else { return }
        self.bodyState = .streaming
        self.exchange?.bodyStart?.succeed(true)
    }

    private func stopBody() {
        self.continueTimer?.cancel()
        self.continueTimer = nil
        if self.bodyState == .notStarted { self.exchange?.bodyStart?.succeed(false) }
        if self.bodyState == .streaming, self.machine.bodyStoppedEarly {
            self.record(.requestBodyStopped(total: self.machine.bodyBytesSent))
        }
        self.bodyState = .stopped
        self.exchange?.bodyPipe?.stop()
    }

    private func append(_ part: ByteBuffer, context: ChannelHandlerContext) {
        guard let exchange = self.exchange else { return }
        switch exchange.responseBody {
        case .stream(let source):
            switch source.yield(part) {
            case .produceMore:
                break
            case .stopProducing:
                self.readingPaused = true
            case .dropped:
                // The consumer is gone; responseBodyAbandoned closes the connection.
                break
            }
        case .collect(let limit):
            // The first part is kept as it is (no copy); later ones are appended to it.
            if var body = self.collectedBody {
                self.collectedBody = nil
                body.writeImmutableBuffer(part)
                self.collectedBody = body
            } else {
                self.collectedBody = part
            }
            if let body = self.collectedBody, body.readableBytes > limit {
                self.record(.closedByUs(reason: "the response body is larger than the client's limit"))
                self.complete(.failure(.responseBodyTooLarge(limit: limit)))
                self.closedByUs = true
                context.close(promise: nil)
            }
        }
    }

    private func succeed(retry: Bool, close: Bool, context: ChannelHandlerContext) {
        guard let exchange = self.exchange else { return }
        // Complete before closing: closing runs channelInactive at once, which must find the exchange done.
        defer {
            if close {
                self.closedByUs = true
                context.close(promise: nil)
            }
        }
        if retry {
            self.complete(.success(.retryWithoutExpect))
            return
        }
        // An early answer whose server then stopped taking the body (it closed, a write failed, a timer fired):
        // the body stops here, and the timeline says so.
        if self.bodyState == .streaming, self.machine.bodyStoppedEarly { self.stopBody() }
        let completed = ClientExchange.Completed(
            bodyBytesSent: self.machine.bodyBytesSent,
            bodyBytesSentAfterResponse: self.machine.bodyBytesSent - (self.machine.bodyBytesSentAtResponse ?? 0),
            stoppedEarly: exchange.hasBody && self.machine.bodyStoppedEarly,
            receivedContinue: self.machine.continueReceived,
            connectionReusable: !close,
            collected: self.collectedResponse()
        )
        self.complete(.success(.response(completed)))
    }

    /// The whole response, when the exchange collects its body and the head went to the caller.
    private func collectedResponse() -> ClientExchange.CollectedResponse? {
        guard case .collect = self.exchange?.responseBody, let head = self.responseHead,
            let sent = self.bodyBytesSentAtForwardedHead
        else { return nil }
        return ClientExchange.CollectedResponse(
            head: head,
            body: self.collectedBody ?? ByteBuffer(),
            bodyBytesSentAtHead: sent
        )
    }

    /// Completes the current exchange and releases everything it holds; the connection is then
    /// ready for the next one. Completing twice does nothing.
    private func complete(_ result: Result<ClientExchange.Outcome, ClientExchange.Failure>) {
        guard let exchange = self.exchange else { return }
        self.stopBody()
        self.continueTimer?.cancel()
        self.deadlineTimer?.cancel()
        self.continueTimer = nil
        self.deadlineTimer = nil
        self.exchange = nil
        self.responseHead = nil
        self.bodyBytesSentAtForwardedHead = nil
        self.collectedBody = nil
        self.recorder.end()
        self.bodyState = .notStarted
        if self.readingPaused {
            self.readingPaused = false
            if self.pendingRead, let context = self.context {
                self.pendingRead = false
                context.read()
            }
        }
        switch result {
        case .success(let outcome):
            // Read before the caller hears of the response: a request it sends at once must end the spin.
            let spinAfter = self.busyPoll.flatMap { self.spinsForNextRequest($0, exchange: exchange) }
            exchange.responseHead?.fail(ClientExchange.Failure.noResponseHead)  // no-op once succeeded
            exchange.responseBody.finish()
            exchange.response.succeed(outcome)
            if let spinAfter, let busyPoll = self.busyPoll { self.spinForRequest(busyPoll, after: spinAfter) }
        case .failure(let failure):
            _ = self.busyPoll?.policy.value.exchangeEnded(handedToCallerOffLoop: false)
            exchange.responseHead?.fail(failure)
            exchange.responseBody.finish(failure)
            exchange.response.fail(failure)
        }
    }
}

@available(*, unavailable)
extension ClientExchangeHandler: Sendable {}
