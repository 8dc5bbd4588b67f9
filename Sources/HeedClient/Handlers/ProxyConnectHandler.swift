import HeedCore
import NIOCore

/// Opens a tunnel through an HTTP proxy with `CONNECT host:port`, then gets out of the way.
///
/// It sits next to the socket. It holds back `channelActive` and every outbound write until the
/// proxy answers 2xx, so the TLS handler behind it starts its handshake only inside the tunnel.
/// The decision about the proxy's answer is ``ProxyConnectResponse``'s.
final class ProxyConnectHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The proxy did not open the tunnel.
    enum Failure: Error {
        case refused(status: Int, reason: String)
        case invalid(String)
        case closed(any Error)
    }

    private let target: String
    private let authorization: String?
    private var established: EventLoopPromise<Void>?
    private var received: [UInt8] = []
    private var pendingWrites: [(NIOAny, EventLoopPromise<Void>?)] = []

    /// - Parameters:
    ///   - target: `host:port` of the origin.
    ///   - authorization: the `Proxy-Authorization` value, if any.
    ///   - established: succeeds when the tunnel is open, fails with ``Failure``.
    init(target: String, authorization: String?, established: EventLoopPromise<Void>) {
        self.target = target
        self.authorization = authorization
        self.established = established
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = "CONNECT \(self.target) HTTP/1.1\r\nHost: \(self.target)\r\n"
        if let authorization = self.authorization { head += "Proxy-Authorization: \(authorization)\r\n" }
        head += "\r\n"
        context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(string: head)), promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard self.established == nil else {
            self.pendingWrites.append((data, promise))
            return
        }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        if self.established == nil { context.flush() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let promise = self.established else {
            context.fireChannelRead(data)
            return
        }
        self.received += Self.unwrapInboundIn(data).readableBytesView
        switch ProxyConnectResponse.bytesReceived(self.received) {
        case .incomplete:
            return
        case .established(let headLength):
            self.established = nil
            let leftover = self.received[headLength...]
            self.received = []
            context.fireChannelActive()
            for (write, writePromise) in self.pendingWrites { context.write(write, promise: writePromise) }
            self.pendingWrites = []
            context.flush()
            promise.succeed()
            if !leftover.isEmpty {
                context.fireChannelRead(Self.wrapInboundOut(context.channel.allocator.buffer(bytes: leftover)))
            }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        case .refused(let status, let reason):
            self.fail(.refused(status: status, reason: reason), context: context)
        case .invalid(let problem):
            self.fail(.invalid(problem), context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard self.established != nil else { return context.fireErrorCaught(error) }
        self.fail(.closed(error), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.established != nil { self.fail(.closed(ChannelError.eof), context: context) }
        context.fireChannelInactive()
    }

    private func fail(_ failure: Failure, context: ChannelHandlerContext) {
        guard let promise = self.established else { return }
        self.established = nil
        for (_, writePromise) in self.pendingWrites { writePromise?.fail(failure) }
        self.pendingWrites = []
        promise.fail(failure)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ProxyConnectHandler: Sendable {}
