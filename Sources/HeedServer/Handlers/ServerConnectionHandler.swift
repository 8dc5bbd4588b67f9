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
    let accessLog: (@Sendable (ServerAccessRecord) -> Void)?
    private let maxBodySize: Int

    /// The request being served.
    private(set) var requestMethod: HTTPMethod = .GET
    private(set) var requestTarget: String = ""
    private(set) var requestVersion: HTTPVersion = .http1_1
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

    /// Read gating: reads stop while the application is behind, pipelined parts wait, the next request is
    /// held back for the output, or the input is ignored.
    private var bodyConsumerIsBehind = false
    private var readPending = false
    /// The next request is held back because the client does not read its responses: the channel went over
    /// its write buffer's high watermark. Cleared when it says it is writable again.
    private var isHeldBackForOutput = false
    /// The decoder refused bytes after a request that closes the connection (RFC 9112 §9.6): that request
    /// is still answered, what follows it is ignored and nothing more is read.
    private var inputIsIgnored = false

    /// Kept to resume reads when the application's body consumer asks for more.
    private var context: ChannelHandlerContext?

    /// A lazy timer: one scheduled task that fires no later than `deadline` (see `+Timers`).
    var deadline: NIODeadline?
    var timer: Scheduled<Void>?
    var timerFireTime: NIODeadline = .distantFuture

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
        if part.isHead && self.mustHoldBackNextRequest(context: context) {
            self.isHeldBackForOutput = true
            self.pipelined.append(part)
            return
        }
        self.process(part, context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if self.isHeldBackForOutput && context.channel.isWritable {
            self.isHeldBackForOutput = false
            self.replayPipelined(context: context)
        }
        context.fireChannelWritabilityChanged()
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
        guard let failure = Self.decodingFailure(error) else {
            let action = self.stateMachine.channelInactive()
            self.run(action, context: context)
            context.close(promise: nil)
            return
        }
        let noHeadParsed = self.stateMachine.isIdle
        let action = self.stateMachine.decodingFailed(failure)
        if noHeadParsed, case .reject = action {
            // The access log shows "-" rather than the previous request.
            self.requestMethod = .RAW(value: "-")
            self.requestTarget = "-"
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
        if self.bodyConsumerIsBehind || !self.pipelined.isEmpty || self.inputIsIgnored {
            self.readPending = true
        } else if self.stateMachine.isIdle && self.mustHoldBackNextRequest(context: context) {
            self.isHeldBackForOutput = true
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
        if self.readPending && !self.bodyConsumerIsBehind && self.pipelined.isEmpty && !self.isHeldBackForOutput
            && !self.inputIsIgnored
        {
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

    /// The connection's deadline passed.
    func deadlinePassed(context: ChannelHandlerContext) {
        let action = self.stateMachine.timeoutFired()
        self.run(action, context: context)
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
            if part.isHead && self.mustHoldBackNextRequest(context: context) {
                self.isHeldBackForOutput = true
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
        case .ignoreInput:
            self.inputIsIgnored = true
        }
    }

    private func askResponder(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard let request = HTTPRequest(serverHead: head) else {
            let action = self.stateMachine.decodingFailed(.malformed)
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

    /// Whether the next request must wait because the responses already written are not flowing out (the
    /// client does not read them): the channel is over its write buffer's high watermark, or it was and has
    /// not yet said it is writable again. Holding requests back (and reads with them) rather than answering
    /// them into memory keeps a client that pipelines without reading from growing the server's memory
    /// without bound, as NIO's `HTTPServerPipelineHandler` does while a response is pending.
    ///
    /// The idle clock keeps running meanwhile: unlike a pause for a slow application, this one is the
    /// client's doing, and a client that neither sends (it cannot) nor reads is idle. It restarts as held
    /// requests are answered.
    private func mustHoldBackNextRequest(context: ChannelHandlerContext) -> Bool {
        self.isHeldBackForOutput || !context.channel.isWritable
    }

    private func finishBodySource(error: any Error) {
        if let source = self.bodySource {
            self.bodySource = nil
            source.finish(error)
        }
        self.bodyConsumerIsBehind = false
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
