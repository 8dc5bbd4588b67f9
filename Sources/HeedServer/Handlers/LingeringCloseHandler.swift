public import HeedCore
public import NIOCore

/// Makes any SwiftNIO server close connections the way RFC 9112 §9.6 asks: a lingering close.
///
/// Add it first in a TCP child channel's pipeline (closest to the socket, below TLS if any). When any
/// handler above asks to close the connection, this handler does not close at once: it lets the pending
/// writes (the response) flush, shuts down the write side so the client sees a FIN after the whole
/// response, then reads and discards what the client still sends until the client's EOF or one of the
/// limits in ``LingeringCloseConfiguration`` is reached, and only then closes the socket. Without it, a
/// close with unread request bytes makes Linux send a reset, and the client may never read the response.
///
/// ```swift
/// ServerBootstrap(group: group)
///     .childChannelOption(.allowRemoteHalfClosure, value: true)
///     .childChannelInitializer { channel in
///         channel.eventLoop.makeCompletedFuture {
///             try channel.pipeline.syncOperations.addHandler(LingeringCloseHandler())
///             try channel.pipeline.syncOperations.configureHTTPServerPipeline()
///             // ... your handlers
///         }
///     }
/// ```
///
/// An application's own half-close (`close(mode: .output)`) starts the lingering phase too, unless
/// ``LingeringCloseConfiguration/lingerOnApplicationHalfClose`` is off: Hummingbird 2, for one, half-closes
/// after a `Connection: close` response and then stops reading, which would stall a client still sending.
///
/// Set `ChannelOptions.allowRemoteHalfClosure` to `true` on the child channel if the handlers above
/// want to see a client's half-close; the handler works either way. See `docs/lingering-close.md`.
public final class LingeringCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private var stateMachine: LingeringCloseStateMachine
    private var timer: Scheduled<Void>?

    /// Creates a handler for one connection.
    /// - Parameter configuration: The time and byte limits of the lingering phase.
    public init(configuration: LingeringCloseConfiguration = .init()) {
        self.stateMachine = LingeringCloseStateMachine(configuration: configuration)
    }

    // MARK: - Inbound events

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The hot path: while the connection is open, bytes pass straight through.
        guard self.stateMachine.isDiscarding else {
            context.fireChannelRead(data)
            return
        }
        let byteCount = Self.unwrapInboundIn(data).readableBytes
        let action = self.stateMachine.channelRead(byteCount: byteCount, now: context.eventLoop.now)
        self.run(action, context: context, forward: { $0.fireChannelRead(data) })
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        if self.stateMachine.isDiscarding {
            context.read()
        } else {
            context.fireChannelReadComplete()
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(ChannelEvent.inputClosed) = event as? ChannelEvent {
            let action = self.stateMachine.inputClosed()
            self.run(action, context: context, forward: { $0.fireUserInboundEventTriggered(event) })
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let action = self.stateMachine.errorCaught()
        self.run(action, context: context, forward: { $0.fireErrorCaught(error) })
    }

    public func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimer()
        let action = self.stateMachine.channelInactive()
        self.run(action, context: context, forward: { _ in })
        context.fireChannelInactive()
    }

    // MARK: - Outbound events

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch mode {
        case .all:
            let action = self.stateMachine.closeRequested(promise: promise, now: context.eventLoop.now)
            self.run(action, context: context, forward: { $0.close(mode: mode, promise: promise) })
        case .output:
            let action = self.stateMachine.outputCloseRequested(promise: promise, now: context.eventLoop.now)
            self.run(action, context: context, forward: { $0.close(mode: mode, promise: promise) })
        case .input:
            context.close(mode: mode, promise: promise)
        }
    }

    // MARK: - Actions

    private func run(
        _ action: LingeringCloseStateMachine.Action,
        context: ChannelHandlerContext,
        forward: (ChannelHandlerContext) -> Void
    ) {
        switch action {
        case .forward:
            forward(context)
        case .discard(let deadline):
            if let deadline {
                self.armTimer(at: deadline, context: context)
            }
        case .closeOutput(let notify, let timerDeadline):
            self.armTimer(at: timerDeadline, context: context)
            let outputClosed = context.eventLoop.makePromise(of: Void.self)
            if let notify {
                outputClosed.futureResult.cascade(to: notify)
            }
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            outputClosed.futureResult.whenComplete { result in
                let handler = loopBoundSelf.value
                let context = loopBoundContext.value
                switch result {
                case .success:
                    let action = handler.stateMachine.outputClosed(now: context.eventLoop.now)
                    handler.run(action, context: context, forward: { _ in })
                case .failure:
                    let action = handler.stateMachine.outputCloseFailed()
                    handler.run(action, context: context, forward: { _ in })
                }
            }
            context.flush()
            context.close(mode: .output, promise: outputClosed)
        case .awaitPendingWrites(let timerDeadline):
            self.armTimer(at: timerDeadline, context: context)
            // Writes complete in order: an empty write's promise completes once every earlier write is flushed.
            let flushed = context.eventLoop.makePromise(of: Void.self)
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            flushed.futureResult.whenComplete { result in
                let handler = loopBoundSelf.value
                let context = loopBoundContext.value
                let action: LingeringCloseStateMachine.Action
                switch result {
                case .success: action = handler.stateMachine.outputClosed(now: context.eventLoop.now)
                case .failure: action = handler.stateMachine.outputCloseFailed()
                }
                handler.run(action, context: context, forward: { _ in })
            }
            context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: flushed)
        case .startLingering(let deadline):
            self.armTimer(at: deadline, context: context)
            context.read()
        case .close(let promise):
            self.cancelTimer()
            context.close(mode: .all, promise: promise)
        case .chainPromise(let promise, let existing):
            if let promise, let existing {
                existing.futureResult.cascade(to: promise)
            }
        case .succeedPromise(let promise):
            promise?.succeed()
        case .doNothing:
            break
        }
    }

    // MARK: - Helpers

    private func armTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        self.timer?.cancel()
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let handler = loopBoundSelf.value
            handler.timer = nil
            let action = handler.stateMachine.timerFired()
            handler.run(action, context: loopBoundContext.value, forward: { _ in })
        }
    }

    private func cancelTimer() {
        self.timer?.cancel()
        self.timer = nil
    }
}

@available(*, unavailable)
extension LingeringCloseHandler: Sendable {}
