import NIOCore
import NIOEmbedded
import Testing

@testable import HeedClient

@Suite struct ProxyConnectHandlerTests {
    /// Records the events that get past the handler.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var activeCount = 0
        var reads: [String] = []

        func channelActive(context: ChannelHandlerContext) { self.activeCount += 1 }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.reads.append(String(buffer: Self.unwrapInboundIn(data)))
        }
    }

    /// CONNECT goes out first; later writes and channelActive wait for the 200; then the handler leaves.
    @Test func opensTunnel() throws {
        let channel = EmbeddedChannel()
        let established = channel.eventLoop.makePromise(of: Void.self)
        let recorder = Recorder()
        try channel.pipeline.syncOperations.addHandler(
            ProxyConnectHandler(target: "localhost:443", authorization: "Basic YTpi", established: established)
        )
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3128)).wait()
        let connect = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(
            String(buffer: connect)
                == "CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\nProxy-Authorization: Basic YTpi\r\n\r\n"
        )
        #expect(recorder.activeCount == 0)

        channel.writeAndFlush(ByteBuffer(string: "client hello"), promise: nil)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)

        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 Connection established\r\n"))
        #expect(recorder.activeCount == 0)
        try channel.writeInbound(ByteBuffer(string: "\r\nserver hello"))
        #expect(recorder.activeCount == 1)
        #expect(recorder.reads == ["server hello"])
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "client hello")
        #expect(throws: (any Error).self) {
            try channel.pipeline.syncOperations.handler(type: ProxyConnectHandler.self)
        }
        try established.futureResult.wait()
        _ = try channel.finish()
    }

    /// A refusal fails the promise with the status and closes the connection.
    @Test func refused() throws {
        let channel = EmbeddedChannel()
        let established = channel.eventLoop.makePromise(of: Void.self)
        try channel.pipeline.syncOperations.addHandler(
            ProxyConnectHandler(target: "localhost:443", authorization: nil, established: established)
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 3128)).wait()
        _ = try channel.readOutbound(as: ByteBuffer.self)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"))
        #expect(!channel.isActive)
        #expect {
            try established.futureResult.wait()
        } throws: { error in
            guard case .refused(403, "Forbidden") = error as? ProxyConnectHandler.Failure else { return false }
            return true
        }
    }
}
