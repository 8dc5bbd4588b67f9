#if os(Linux)
import HeedCore
import NIOCore
import NIOPosix
import Testing

/// Reading `TCP_INFO` from a real loopback connection through NIO.
@Suite struct TimelineTCPInfoSocketTests {
    /// The client sends 100 000 bytes; the server answers one byte once it has them all. That answer carries the
    /// server's acknowledgement of every byte, so once the client reads it the kernel must report all of them acked.
    @Test(.timeLimit(.minutes(1))) func snapshotFromALoopbackConnection() async throws {
        let payloadSize = 100_000
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnswerWhenComplete(expected: payloadSize))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = try #require(server.localAddress?.port)
        let answered = group.next().makePromise(of: Void.self)
        let client = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SucceedOnRead(promise: answered))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        // Bound the wait: a broken server fails the test instead of hanging it.
        let deadline = client.eventLoop.scheduleTask(in: .seconds(10)) {
            answered.fail(ChannelError.connectTimeout(.seconds(10)))
        }
        try await client.writeAndFlush(ByteBuffer(repeating: 0x61, count: payloadSize))
        try await answered.futureResult.get()
        deadline.cancel()

        let provider = try #require(client as? any SocketOptionProvider)
        let snapshot = try await provider.getTCPInfoSnapshot().get()
        #expect(snapshot.state == "ESTABLISHED")
        #expect(snapshot.bytesAcked == UInt64(payloadSize))
        // tcpi_bytes_sent counts retransmitted bytes too (loopback retransmits under load), so it is at least the payload.
        #expect((snapshot.bytesSent ?? 0) >= UInt64(payloadSize))
        #expect(snapshot.unacked == 0)
        #expect(snapshot.notSentBytes == 0)
        #expect(snapshot.sndCwnd > 0)

        try await client.close()
        try await server.close()
    }
}

/// Server side: counts incoming bytes and writes one byte back when `expected` have arrived.
private final class AnswerWhenComplete: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let expected: Int
    private var received = 0

    init(expected: Int) {
        self.expected = expected
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let before = self.received
        self.received += Self.unwrapInboundIn(data).readableBytes
        if before < self.expected, self.received >= self.expected {
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: "k")), promise: nil)
        }
    }
}

extension AnswerWhenComplete {
    typealias OutboundOut = ByteBuffer
}

/// Client side: succeeds the promise when the server's answer arrives.
private final class SucceedOnRead: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.promise.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
#endif
