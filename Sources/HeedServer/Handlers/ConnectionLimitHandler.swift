import NIOCore

/// Caps the connections a server channel serves at once: at the cap it stops accepting, so further
/// clients wait in the listen backlog, and it resumes as connections close.
final class ConnectionLimitHandler: ChannelDuplexHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    typealias OutboundIn = Never

    private let maxConnections: Int
    private var openConnections = 0
    private var readPending = false

    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = Self.unwrapInboundIn(data)
        self.openConnections += 1
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let serverLoop = context.eventLoop
        child.closeFuture.whenComplete { _ in
            serverLoop.execute {
                handler.value.connectionClosed(context: boundContext.value)
            }
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if self.openConnections >= self.maxConnections {
            self.readPending = true
        } else {
            context.read()
        }
    }

    private func connectionClosed(context: ChannelHandlerContext) {
        self.openConnections -= 1
        if self.readPending && self.openConnections < self.maxConnections {
            self.readPending = false
            context.read()
        }
    }
}

@available(*, unavailable)
extension ConnectionLimitHandler: Sendable {}
