import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import NIOEmbedded
import Testing

@Suite struct LingeringCloseHandlerTests {
    private let configuration = LingeringCloseConfiguration(
        lingerTime: .seconds(30),
        lingerReadTimeout: .seconds(5),
        maxDiscardBytes: 1000
    )

    private func makeChannel() throws -> (EmbeddedChannel, ServerOutputCloseRecorder) {
        let recorder = ServerOutputCloseRecorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.pipeline.syncOperations.addHandler(LingeringCloseHandler(configuration: self.configuration))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, recorder)
    }

    /// Before a close, bytes pass through untouched.
    @Test func passesBytesThroughWhileOpen() throws {
        let (channel, _) = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "GET / HTTP/1.1\r\n"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        _ = try channel.finish()
    }

    /// A close flushes the response, shuts down the write side and discards reads until the client's EOF.
    @Test func closeHalfClosesAndDiscardsUntilEOF() throws {
        let (channel, recorder) = try self.makeChannel()
        channel.write(ByteBuffer(string: "HTTP/1.1 413 Content Too Large\r\n\r\n"), promise: nil)
        let closed = channel.close()
        #expect(recorder.outputCloses == 1)
        #expect(channel.isActive)
        #expect(
            try channel.readOutbound(as: ByteBuffer.self)
                == ByteBuffer(string: "HTTP/1.1 413 Content Too Large\r\n\r\n")
        )
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 500))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(channel.isActive)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
        #expect(throws: Never.self) { try closed.wait() }
    }

    /// A client that stays silent for the per-read timeout is closed; reads push the deadline out.
    @Test func readTimeoutCloses() throws {
        let (channel, _) = try self.makeChannel()
        channel.close(promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 10))
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    /// A client that keeps sending is closed at the total linger time.
    @Test func lingerTimeCloses() throws {
        let (channel, _) = try self.makeChannel()
        channel.close(promise: nil)
        for _ in 0..<29 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
            try channel.writeInbound(ByteBuffer(repeating: 0, count: 1))
        }
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    /// A client that sends more than the byte limit is closed.
    @Test func byteLimitCloses() throws {
        let (channel, _) = try self.makeChannel()
        channel.close(promise: nil)
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 1000))
        #expect(channel.isActive)
        _ = try? channel.writeInbound(ByteBuffer(repeating: 0, count: 1))
        #expect(!channel.isActive)
    }

    /// An application's own half-close starts lingering: inbound bytes are discarded and the client's EOF closes.
    @Test func applicationHalfCloseLingers() throws {
        let (channel, recorder) = try self.makeChannel()
        let halfClosed = channel.close(mode: .output)
        #expect(recorder.outputCloses == 1)
        #expect(throws: Never.self) { try halfClosed.wait() }
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 100))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
    }

    /// A client that never reads a response still being flushed is closed at the linger time.
    @Test func unflushedResponseIsBoundedByLingerTime() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ServerNeverFlushingOutput())
        try channel.pipeline.syncOperations.addHandler(LingeringCloseHandler(configuration: self.configuration))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        channel.close(promise: nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    /// A client that already half-closed gets the whole pending response before the close: the handler closes
    /// once the pending writes are flushed (a close at once would drop them; a half-close after the client's
    /// EOF is a full close in NIO), without lingering. (It used to close at once, cutting a large response.)
    @Test func closeAfterEOFFlushesThenCloses() throws {
        let (channel, recorder) = try self.makeChannel()
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        channel.write(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n"), promise: nil)
        let closed = channel.close()
        #expect(recorder.outputCloses == 0)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n"))
        #expect(!channel.isActive)
        #expect(throws: Never.self) { try closed.wait() }
    }

    /// While lingering the handler asks for reads itself, even if the application stopped reading.
    @Test func lingeringKeepsReading() throws {
        let (channel, recorder) = try self.makeChannel()
        let before = recorder.reads
        channel.close(promise: nil)
        #expect(recorder.reads > before)
        try channel.writeInbound(ByteBuffer(repeating: 0, count: 10))
        channel.pipeline.fireChannelReadComplete()
        #expect(recorder.reads > before + 1)
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(!channel.isActive)
    }
}

/// Stands for a socket whose peer never reads: a half-close stays pending until the channel closes.
private final class ServerNeverFlushingOutput: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    private var pendingOutputClose: EventLoopPromise<Void>?

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .output {
            self.pendingOutputClose = promise
        } else {
            self.pendingOutputClose?.fail(ChannelError.ioOnClosedChannel)
            self.pendingOutputClose = nil
            context.close(mode: mode, promise: promise)
        }
    }
}
