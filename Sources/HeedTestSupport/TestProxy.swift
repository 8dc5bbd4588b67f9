import HeedCore
import NIOCore
import NIOPosix
import Synchronization

/// An HTTP proxy on 127.0.0.1 (port 0) for loopback tests. It records each request head it
/// receives, and forwards only to 127.0.0.1: `CONNECT 127.0.0.1:PORT` opens a tunnel that relays
/// bytes both ways; an absolute-form request (`GET http://127.0.0.1:PORT/x`) is rewritten to
/// origin form and relayed. `localhost:PORT` goes to 127.0.0.1 too; anything aimed elsewhere gets 403.
public final class TestProxy: Sendable {
    public let port: Int
    private let channel: any Channel

    /// Starts the proxy. With `refuseWith`, every request is answered with that status line instead.
    public init(refuseWith statusLine: String? = nil) async throws {
        let heads = HeadLog()
        self.log = heads
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ProxyFrontHandler(log: heads, refusal: statusLine)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.port = self.channel.localAddress?.port ?? 0
    }

    private let log: HeadLog

    /// The request heads received, as text (request line and fields).
    public var receivedHeads: [String] { self.log.heads }

    /// Stops listening.
    public func shutdown() async {
        try? await self.channel.close()
    }
}

final class HeadLog: Sendable {
    private let state = Mutex<[String]>([])
    var heads: [String] { self.state.withLock { $0 } }
    func append(_ head: String) { self.state.withLock { $0.append(head) } }
}

/// Reads a request head from the client, then connects to the origin and relays.
private final class ProxyFrontHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let log: HeadLog
    private let refusal: String?
    private var received: [UInt8] = []
    private var origin: (any Channel)?
    private var pending: [ByteBuffer] = []
    private var connecting = false

    init(log: HeadLog, refusal: String?) {
        self.log = log
        self.refusal = refusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        if let origin = self.origin {
            origin.writeAndFlush(buffer, promise: nil)
            return
        }
        if self.connecting {
            self.pending.append(buffer)
            return
        }
        self.received += buffer.readableBytesView
        guard let end = HTTPHeadTerminator.index(in: self.received) else {
            if self.received.count > 64 * 1024 { context.close(promise: nil) }
            return
        }
        let headText = String(decoding: self.received[..<end], as: UTF8.self)
        let rest = Array(self.received[(end + 4)...])
        self.received = []
        self.log.append(headText)
        if let refusal = self.refusal {
            return self.answer(
                "HTTP/1.1 \(refusal)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                context: context
            )
        }
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let parts = lines.first?.split(separator: " ").map(String.init) ?? []
        guard parts.count == 3 else { return self.answer("HTTP/1.1 400 Bad Request\r\n\r\n", context: context) }
        let isConnect = parts[0] == "CONNECT"
        let authority: Substring
        if isConnect {
            authority = Substring(parts[1])
        } else {
            guard parts[1].hasPrefix("http://") else {
                return self.answer("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n", context: context)
            }
            let afterScheme = parts[1].dropFirst("http://".count)
            authority = afterScheme.prefix { $0 != "/" }
            let path = afterScheme.dropFirst(authority.count)
            lines[0] = "\(parts[0]) \(path.isEmpty ? "/" : String(path)) \(parts[2])"
        }
        let loopbackNames = ["127.0.0.1:", "localhost:"]
        let port = loopbackNames.first { authority.hasPrefix($0) }.flatMap { Int(authority.dropFirst($0.count)) }
        guard let port else {
            return self.answer(
                "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                context: context
            )
        }
        var first: [UInt8] = []
        if !isConnect {
            first =
                Array(
                    lines.filter { !$0.lowercased().hasPrefix("proxy-authorization:") }.joined(separator: "\r\n").utf8
                )
                + [13, 10, 13, 10]
        }
        first += rest
        self.connecting = true
        let client = context.channel
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelInitializer { origin in
                origin.eventLoop.makeCompletedFuture {
                    try origin.pipeline.syncOperations.addHandler(RelayHandler(partner: client))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .assumeIsolated()
            .whenComplete { result in
                let handler = loopBound.value
                switch result {
                case .success(let origin):
                    handler.origin = origin
                    handler.connecting = false
                    if isConnect {
                        client.writeAndFlush(
                            ByteBuffer(string: "HTTP/1.1 200 Connection Established\r\n\r\n"),
                            promise: nil
                        )
                    }
                    if !first.isEmpty { origin.write(ByteBuffer(bytes: first), promise: nil) }
                    for buffer in handler.pending { origin.write(buffer, promise: nil) }
                    handler.pending = []
                    origin.flush()
                case .failure:
                    handler.answer(
                        "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        channel: client
                    )
                }
            }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.origin?.close(promise: nil)
        context.fireChannelInactive()
    }

    private func answer(_ text: String, context: ChannelHandlerContext) {
        self.answer(text, channel: context.channel)
    }

    private func answer(_ text: String, channel: any Channel) {
        channel.writeAndFlush(ByteBuffer(string: text)).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Writes what one channel reads to its partner; closes the partner when it closes.
private final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel

    init(partner: any Channel) {
        self.partner = partner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner.writeAndFlush(Self.unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner.close(promise: nil)
        context.fireChannelInactive()
    }
}
