import HeedCore
import NIOCore
import NIOHTTP1

/// Runs exchanges on one connection, one at a time, translating between NIO and
/// ``ClientExchangeStateMachine``. It makes no protocol decision of its own.
final class ClientExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var machine = ClientExchangeStateMachine()
    private var exchange: ClientExchange?
    private var context: ChannelHandlerContext?
    private var responseHead: HTTPResponseHead?
    private var responseBody: ByteBuffer?
    private var bodyState = BodyState.notStarted
    private var pendingWritable: EventLoopPromise<Bool>?
    private var continueTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var lastActivity = NIODeadline.now()
    private let eventLoop: any EventLoop
    /// Whether the connection closed; a closed connection takes no new exchange.
    private(set) var isClosed = false
    /// Why the connection closed before an exchange started on it, when a handler in front said so.
    private var closedBecause: HTTPClientError?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
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
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.lastActivity = .now()
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            if head.status.code >= 200 { self.responseHead = head }
            let action = self.machine.responseHeadReceived(
                status: Int(head.status.code),
                connectionClose: !head.isKeepAlive
            )
            self.run(action, context: context)
        case .body(let part):
            let action = self.machine.responseBodyPartReceived(part)
            self.run(action, context: context)
        case .end:
            let action = self.machine.responseEndReceived()
            self.run(action, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let clientError = error as? HTTPClientError {
            // A handler in front (decompression, TLS) already explained the failure.
            if self.exchange == nil { self.closedBecause = clientError }
            self.complete(.failure(.client(clientError)))
            context.close(promise: nil)
            return
        }
        if let parseError = error as? HTTPParserError {
            let action =
                parseError == .invalidEOFState
                ? self.machine.responseCutShortByEOF() : self.machine.responseParseFailed("\(parseError)")
            self.run(action, context: context)
            return
        }
        let action = self.machine.readFailed(SystemErrors.info(for: error))
        self.run(action, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosed = true
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
        if context.channel.isWritable, let promise = self.pendingWritable {
            self.pendingWritable = nil
            promise.succeed(self.bodyState == .streaming)
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Calls from the client (on the event loop)

    /// Starts `exchange` on this connection.
    func start(_ exchange: ClientExchange) {
        guard let context = self.context, !self.isClosed, self.exchange == nil else {
            exchange.response.fail(self.closedBecause.map { ClientExchange.Failure.client($0) } ?? .stale)
            exchange.bodyStart.succeed(false)
            return
        }
        self.exchange = exchange
        self.machine = ClientExchangeStateMachine()
        self.responseHead = nil
        self.responseBody = nil
        self.bodyState = .notStarted
        self.lastActivity = .now()
        if let deadline = exchange.deadline {
            self.deadlineTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) {
                self.timerFired { $0.requestTimeoutFired() }
            }
        }
        self.scheduleIdleCheck(context: context)
        let action = self.machine.requestStarted(hasBody: exchange.hasBody, expectContinue: exchange.expectContinue)
        self.run(action, context: context)
    }

    /// Writes a body part. The future says whether to go on (`false`: the client sends no more).
    func writeBodyPart(_ part: ByteBuffer, for exchange: ClientExchange) -> EventLoopFuture<Bool> {
        guard let context = self.context, exchange.isSame(as: self.exchange), self.bodyState == .streaming else {
            return self.eventLoop.makeSucceededFuture(false)
        }
        let count = part.readableBytes
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { result in
            switch result {
            case .success:
                self.lastActivity = .now()
                self.machine.bodyPartWritten(count: count)
            case .failure(let error):
                self.writeFailed(error)
            }
        }
        context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(part))), promise: written)
        if context.channel.isWritable || self.bodyState != .streaming {
            return context.eventLoop.makeSucceededFuture(self.bodyState == .streaming)
        }
        let promise = context.eventLoop.makePromise(of: Bool.self)
        self.pendingWritable = promise
        return promise.futureResult
    }

    /// The body source is exhausted.
    func finishBody(for exchange: ClientExchange) {
        guard let context = self.context, exchange.isSame(as: self.exchange) else { return }
        let action = self.machine.requestBodyFinished()
        self.run(action, context: context)
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

    // MARK: - Actions

    private func run(_ action: ClientExchangeStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .sendHeadWithoutBody:
            guard let exchange = self.exchange else { return }
            context.write(Self.wrapOutboundOut(.head(exchange.head)), promise: nil)
            self.writeEnd(context: context)
        case .sendHeadAndWaitForContinue:
            guard let exchange = self.exchange else { return }
            self.writeHead(exchange.head, context: context)
            self.continueTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(
                in: exchange.continueTimeout
            ) {
                self.timerFired { $0.continueTimeoutFired() }
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
        case .stopBody:
            self.stopBody()
        case .forwardResponseBodyPart(let part):
            self.append(part, context: context)
        case .succeedRequest(let close):
            self.succeed(retry: false, close: close, context: context)
        case .retryWithoutExpect:
            self.succeed(retry: true, close: true, context: context)
        case .failRequest(let failure):
            self.complete(.failure(.exchange(failure)))
            context.close(promise: nil)
        case .closeConnection:
            context.close(promise: nil)
        case .doNothing:
            break
        }
    }

    private func writeHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenFailure { self.writeFailed($0) }
        context.writeAndFlush(Self.wrapOutboundOut(.head(head)), promise: promise)
    }

    private func writeEnd(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { result in
            guard let context = self.context else { return }
            switch result {
            case .success:
                let action = self.machine.requestEndWritten()
                self.run(action, context: context)
            case .failure(let error):
                self.writeFailed(error)
            }
        }
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: promise)
    }

    private func writeFailed(_ error: any Error) {
        guard let context = self.context else { return }
        let action = self.machine.writeFailed(SystemErrors.info(for: error))
        self.run(action, context: context)
    }

    private func startBody() {
        self.continueTimer?.cancel()
        self.continueTimer = nil
        guard self.bodyState == .notStarted else { return }
        self.bodyState = .streaming
        self.exchange?.bodyStart.succeed(true)
    }

    private func stopBody() {
        self.continueTimer?.cancel()
        self.continueTimer = nil
        if self.bodyState == .notStarted { self.exchange?.bodyStart.succeed(false) }
        self.bodyState = .stopped
        if let promise = self.pendingWritable {
            self.pendingWritable = nil
            promise.succeed(false)
        }
    }

    private func append(_ part: ByteBuffer, context: ChannelHandlerContext) {
        guard let exchange = self.exchange else { return }
        if self.responseBody == nil {
            self.responseBody = part
        } else {
            self.responseBody!.writeImmutableBuffer(part)
        }
        if self.responseBody!.readableBytes > exchange.responseBodyLimit {
            self.complete(.failure(.bodyTooLarge(exchange.responseBodyLimit)))
            context.close(promise: nil)
        }
    }

    private func succeed(retry: Bool, close: Bool, context: ChannelHandlerContext) {
        guard let exchange = self.exchange else { return }
        // Complete before closing: closing runs channelInactive at once, which must find the exchange done.
        defer { if close { context.close(promise: nil) } }
        if retry {
            self.complete(.success(.retryWithoutExpect))
            return
        }
        guard let head = self.responseHead else {
            let failure = ExchangeFailure(
                reason: .protocolViolation("the exchange completed without a response head"),
                phase: self.machine.phase,
                bodyBytesSent: self.machine.bodyBytesSent,
                bodyBytesReceived: self.machine.bodyBytesReceived,
                writeError: nil,
                readError: nil
            )
            self.complete(.failure(.exchange(failure)))
            context.close(promise: nil)
            return
        }
        let response = ClientExchange.Outcome.response(
            head: head,
            body: self.responseBody ?? context.channel.allocator.buffer(capacity: 0),
            bodyBytesSent: self.machine.bodyBytesSent,
            bodyBytesSentAfterResponse: self.machine.bodyBytesSent - (self.machine.bodyBytesSentAtResponse ?? 0),
            stoppedEarly: exchange.hasBody && self.machine.bodyStoppedEarly,
            receivedContinue: self.machine.continueReceived,
            connectionReusable: !close
        )
        self.complete(.success(response))
    }

    /// Completes the current exchange and releases everything it holds; the connection is then
    /// ready for the next one. Completing twice does nothing.
    private func complete(_ result: Result<ClientExchange.Outcome, ClientExchange.Failure>) {
        guard let exchange = self.exchange else { return }
        self.stopBody()
        self.continueTimer?.cancel()
        self.deadlineTimer?.cancel()
        self.idleTimer?.cancel()
        self.continueTimer = nil
        self.deadlineTimer = nil
        self.idleTimer = nil
        self.exchange = nil
        self.responseBody = nil
        self.responseHead = nil
        self.bodyState = .notStarted
        switch result {
        case .success(let outcome): exchange.response.succeed(outcome)
        case .failure(let failure): exchange.response.fail(failure)
        }
    }

    // MARK: - Timers

    private func timerFired(_ event: (inout ClientExchangeStateMachine) -> ClientExchangeStateMachine.Action) {
        guard let context = self.context, self.exchange != nil else { return }
        let action = event(&self.machine)
        self.run(action, context: context)
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext) {
        guard let timeout = self.exchange?.readIdleTimeout else { return }
        let due = self.lastActivity + timeout
        self.idleTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: due) {
            guard let context = self.context, self.exchange != nil else { return }
            if NIODeadline.now() >= self.lastActivity + timeout {
                self.timerFired { $0.readIdleTimeoutFired() }
            } else {
                self.scheduleIdleCheck(context: context)
            }
        }
    }
}

@available(*, unavailable)
extension ClientExchangeHandler: Sendable {}
