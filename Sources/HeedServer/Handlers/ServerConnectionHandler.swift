import HTTPTypes
import HeedCore
import NIOCore
import NIOHTTP1

/// Serves the requests of one connection: translates between NIO's HTTP/1 parts and the
/// ``ServerConnectionStateMachine``, asks the application on each head, streams accepted bodies to it,
/// and writes responses as raw bytes.
final class ServerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Starts the async work of an accepted request in the server's task group; `false` when the server is
    /// stopping and takes no more work.
    typealias JobLauncher = @Sendable (@escaping @Sendable () async -> Void) -> Bool

    private var stateMachine: ServerConnectionStateMachine
    private let responder: HeadResponder
    private let launchJob: JobLauncher
    private let accessLog: (@Sendable (ServerAccessRecord) -> Void)?
    private let maxBodySize: Int

    /// The request being served.
    private var requestMethod: HTTPMethod = .GET
    private var requestTarget: String = ""
    private var requestVersion: HTTPVersion = .http1_1
    /// The response chosen on the head, written by the `writeResponse` action.
    private var earlyResponse: ServerResponse?
    /// The body stream of an accepted request.
    private var bodySource: RequestBody.Producer.Source?

    /// Parts of pipelined requests, held until the current exchange ends.
    private var pipelined = CircularBuffer<HTTPServerRequestPart>()
    private var isReplaying = false
    /// The client's EOF arrived while pipelined requests were held back: the machine hears of it once they
    /// have all been processed, so that requests received before the EOF are still answered.
    private var inputClosedIsPending = false

    /// Read gating: reads stop while the application is behind or pipelined parts wait.
    private var bodyConsumerIsBehind = false
    private var readPending = false

    /// Kept to resume reads when the application's body consumer asks for more.
    private var context: ChannelHandlerContext?

    /// A lazy timer: one scheduled task that fires no later than `deadline`.
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerFireTime: NIODeadline = .distantFuture

    init(
        limits: ServerLimits,
        responder: @escaping HeadResponder,
        accessLog: (@Sendable (ServerAccessRecord) -> Void)?,
        launchJob: @escaping JobLauncher
    ) {
        self.stateMachine = ServerConnectionStateMachine(limits: limits)
        self.responder = responder
        self.accessLog = accessLog
        self.launchJob = launchJob
        self.maxBodySize = limits.maxBodySize
    }

    // MARK: - Inbound events

    func channelActive(context: ChannelHandlerContext) {
        let action = self.stateMachine.channelActive(now: context.eventLoop.now)
        self.run(action, context: context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive {
            let action = self.stateMachine.channelActive(now: context.eventLoop.now)
            self.run(action, context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        if self.stateMachine.isClosing {
            return
        }
        if !self.pipelined.isEmpty || (!self.stateMachine.isIdle && part.isHead) {
            self.pipelined.append(part)
            return
        }
        self.process(part, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(ChannelEvent.inputClosed) = event as? ChannelEvent {
            if self.pipelined.isEmpty {
                let action = self.stateMachine.inputClosed()
                self.run(action, context: context)
            } else {
                self.inputClosedIsPending = true
            }
        } else if event is ChannelShouldQuiesceEvent {
            self.run(self.stateMachine.serverStopping(), context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let action: ServerConnectionStateMachine.Action
        if let parserError = error as? HTTPParserError {
            if self.stateMachine.isIdle {
                // No head was parsed: the access log shows "-" rather than the previous request.
                self.requestMethod = .RAW(value: "-")
                self.requestTarget = "-"
            }
            action = self.stateMachine.decodingFailed(headTooLarge: parserError == .headerOverflow)
        } else {
            action = self.stateMachine.channelInactive()
            self.run(action, context: context)
            context.close(promise: nil)
            return
        }
        self.run(action, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        self.deadline = nil
        let action = self.stateMachine.channelInactive()
        self.run(action, context: context)
        context.fireChannelInactive()
    }

    // MARK: - Outbound events

    func read(context: ChannelHandlerContext) {
        if self.bodyConsumerIsBehind || !self.pipelined.isEmpty {
            self.readPending = true
        } else {
            context.read()
        }
    }

    // MARK: - Events from the application

    /// The body consumer asked for more, or went away.
    func bodyConsumerWantsMore() {
        let wasBehind = self.bodyConsumerIsBehind
        self.bodyConsumerIsBehind = false
        if let context = self.context {
            if wasBehind {
                self.run(self.stateMachine.readingResumed(now: context.eventLoop.now), context: context)
            }
            self.resumeReadsIfPossible(context: context)
        }
    }

    private func resumeReadsIfPossible(context: ChannelHandlerContext) {
        if self.readPending && !self.bodyConsumerIsBehind && self.pipelined.isEmpty {
            self.readPending = false
            context.read()
        }
    }

    /// The async handler of an accepted request finished.
    private func responseReady(_ response: ServerResponse, context: ChannelHandlerContext) {
        self.earlyResponse = response
        let action = self.stateMachine.responseReady(now: context.eventLoop.now)
        self.run(action, context: context)
        self.earlyResponse = nil
    }

    // MARK: - Request parts

    private func process(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            self.requestMethod = head.method
            self.requestTarget = head.uri
            self.requestVersion = head.version
            let action = self.stateMachine.headReceived(ServerRequestHeadInfo(head))
            self.run(action, head: head, context: context)
        case .body(let buffer):
            let action = self.stateMachine.bodyReceived(byteCount: buffer.readableBytes, now: context.eventLoop.now)
            self.run(action, body: buffer, context: context)
        case .end:
            let action = self.stateMachine.endReceived(now: context.eventLoop.now)
            self.run(action, context: context)
        }
    }

    private func replayPipelined(context: ChannelHandlerContext) {
        guard !self.isReplaying else { return }
        self.isReplaying = true
        defer { self.isReplaying = false }
        while let part = self.pipelined.first {
            if self.stateMachine.isClosing {
                self.pipelined.removeAll()
                break
            }
            if part.isHead && !self.stateMachine.isIdle {
                break
            }
            self.pipelined.removeFirst()
            self.process(part, context: context)
        }
        if self.pipelined.isEmpty && self.inputClosedIsPending {
            self.inputClosedIsPending = false
            let action = self.stateMachine.inputClosed()
            self.run(action, context: context)
        }
        self.resumeReadsIfPossible(context: context)
    }

    // MARK: - Actions

    private func run(
        _ action: ServerConnectionStateMachine.Action,
        head: HTTPRequestHead? = nil,
        body: ByteBuffer? = nil,
        context: ChannelHandlerContext
    ) {
        switch action {
        case .doNothing:
            break
        case .armTimer(let deadline):
            self.armTimer(deadline, context: context)
        case .askResponder:
            self.deadline = nil
            guard let head else {
                preconditionFailure("askResponder without a head")
            }
            self.askResponder(head, context: context)
        case .startBody(let sendContinue, let timerDeadline):
            if sendContinue {
                var buffer = context.channel.allocator.buffer(capacity: 32)
                buffer.writeStaticString(ServerResponseHeadEncoder.continueHead)
                context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
            }
            if let timerDeadline {
                self.armTimer(timerDeadline, context: context)
            }
        case .forwardBody(let timerDeadline):
            self.armTimer(timerDeadline, context: context)
            if let body, let source = self.bodySource {
                if source.yield(body) == .stopProducing {
                    self.bodyConsumerIsBehind = true
                    self.run(self.stateMachine.readingPaused(), context: context)
                }
            }
        case .disarmTimer:
            self.deadline = nil
        case .finishBody:
            self.deadline = nil
            self.bodySource?.finish()
            self.bodySource = nil
        case .writeResponse(let close, let nextRequestDeadline):
            self.finishBodySource(error: ServerError.requestAborted)
            let response = self.earlyResponse ?? ServerResponse(status: .internalServerError, text: "")
            self.earlyResponse = nil
            self.write(response, close: close, context: context)
            if let nextRequestDeadline {
                self.armTimer(nextRequestDeadline, context: context)
                self.replayPipelined(context: context)
            }
        case .writeResponseAndDiscardBody(let timerDeadline):
            let response = self.earlyResponse ?? ServerResponse(status: .internalServerError, text: "")
            self.earlyResponse = nil
            self.write(response, close: false, context: context)
            self.armTimer(timerDeadline, context: context)
        case .requestComplete(let nextRequestDeadline):
            self.armTimer(nextRequestDeadline, context: context)
            self.replayPipelined(context: context)
        case .reject(let rejection):
            self.deadline = nil
            self.finishBodySource(error: Self.error(for: rejection, maxBodySize: self.maxBodySize))
            self.pipelined.removeAll()
            let text = "\(rejection.statusCode) \(rejection.reasonPhrase)\n"
            let status = HTTPResponse.Status(code: rejection.statusCode, reasonPhrase: rejection.reasonPhrase)
            self.write(ServerResponse(status: status, text: text), close: true, context: context)
        case .abortAndClose:
            self.deadline = nil
            self.finishBodySource(error: ServerError.connectionClosed)
            self.pipelined.removeAll()
            context.close(promise: nil)
        case .failBody:
            self.finishBodySource(error: ServerError.connectionClosed)
        }
    }

    private func askResponder(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard let request = HTTPRequest(serverHead: head) else {
            let action = self.stateMachine.decodingFailed(headTooLarge: false)
            self.run(action, context: context)
            return
        }
        switch self.responder(request).kind {
        case .respond(let response):
            self.earlyResponse = response
            let action = self.stateMachine.responderResponded(now: context.eventLoop.now)
            self.run(action, context: context)
        case .accept(let bodyHandler):
            let body = self.makeBody(context: context)
            let action = self.stateMachine.responderAccepted(now: context.eventLoop.now)
            self.run(action, context: context)
            self.launch(bodyHandler, request: request, body: body, context: context)
        }
    }

    private func makeBody(context: ChannelHandlerContext) -> RequestBody {
        let sequence = RequestBody.Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 16),
            finishOnDeinit: false,
            delegate: BodyProducerDelegate(handler: self, eventLoop: context.eventLoop)
        )
        self.bodySource = sequence.source
        self.bodyConsumerIsBehind = false
        return RequestBody(producer: sequence.sequence)
    }

    private func launch(
        _ bodyHandler: @escaping RequestDecision.BodyHandler,
        request: HTTPRequest,
        body: RequestBody,
        context: ChannelHandlerContext
    ) {
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: eventLoop)
        let launched = self.launchJob {
            let response: ServerResponse
            do {
                response = try await bodyHandler(request, body)
            } catch {
                response = ServerResponse(status: .internalServerError, text: "500 Internal Server Error\n")
            }
            eventLoop.execute {
                handler.value.responseReady(response, context: boundContext.value)
            }
        }
        if !launched {
            self.run(self.stateMachine.handlerRefused(), context: context)
        }
    }

    // MARK: - Helpers

    private func finishBodySource(error: any Error) {
        if let source = self.bodySource {
            self.bodySource = nil
            source.finish(error)
        }
        self.bodyConsumerIsBehind = false
    }

    private static func error(for rejection: ServerRejection, maxBodySize: Int) -> ServerError {
        switch rejection {
        case .contentTooLarge: .bodyTooLarge(limit: maxBodySize)
        case .requestTimeout: .requestTimedOut
        case .badRequest, .expectationFailed, .headerFieldsTooLarge, .notImplemented: .requestAborted
        case .serviceUnavailable: .connectionClosed
        }
    }

    private func write(_ response: ServerResponse, close: Bool, context: ChannelHandlerContext) {
        // No body after a HEAD request's head, nor after a 1xx, 204 or 304 one: the bytes would be read as
        // the start of the client's next response.
        let sendsBody = self.requestMethod != .HEAD && ServerResponseHeadEncoder.allowsBody(response.head.status)
        let bodyBytes = sendsBody ? response.body.readableBytes : 0
        let inline = bodyBytes <= 16 * 1024
        var buffer = context.channel.allocator.buffer(capacity: 256 + (inline ? bodyBytes : 0))
        let connection: ServerResponseHeadEncoder.ConnectionField =
            close ? .close : (self.requestVersion == .http1_0 ? .keepAlive : .none)
        ServerResponseHeadEncoder.write(
            response.head,
            contentLength: response.body.readableBytes,
            connection: connection,
            into: &buffer
        )
        if inline {
            if bodyBytes > 0 {
                buffer.writeImmutableBuffer(response.body)
            }
            context.write(Self.wrapOutboundOut(buffer), promise: nil)
        } else {
            context.write(Self.wrapOutboundOut(buffer), promise: nil)
            context.write(Self.wrapOutboundOut(response.body), promise: nil)
        }
        context.flush()
        if let accessLog = self.accessLog {
            accessLog(
                ServerAccessRecord(
                    method: self.requestMethod.rawValue,
                    target: self.requestTarget,
                    status: response.head.status,
                    responseBodyBytes: bodyBytes,
                    closesConnection: close
                )
            )
        }
        if close {
            context.close(promise: nil)
        }
    }

    private func armTimer(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        self.deadline = deadline
        if self.timer != nil && self.timerFireTime <= deadline {
            return
        }
        self.timer?.cancel()
        self.scheduleTimer(at: deadline, context: context)
    }

    private func scheduleTimer(at fireTime: NIODeadline, context: ChannelHandlerContext) {
        self.timerFireTime = fireTime
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(deadline: fireTime) {
            handler.value.timerFired(context: boundContext.value)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        guard let deadline = self.deadline else { return }
        if context.eventLoop.now < deadline {
            self.scheduleTimer(at: deadline, context: context)
            return
        }
        self.deadline = nil
        let action = self.stateMachine.timeoutFired()
        self.run(action, context: context)
    }
}

@available(*, unavailable)
extension ServerConnectionHandler: Sendable {}

extension HTTPServerRequestPart {
    fileprivate var isHead: Bool {
        if case .head = self { return true }
        return false
    }
}
