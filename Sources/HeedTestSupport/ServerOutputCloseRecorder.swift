public import NIOCore

/// An outbound handler for `EmbeddedChannel` tests of half-closes: `EmbeddedChannel` turns every close into
/// a full close, so this handler, put first in the pipeline, catches `close(mode: .output)`, records it and
/// succeeds its promise, leaving the channel open as a real socket would be.
public final class ServerOutputCloseRecorder: ChannelOutboundHandler {
    public typealias OutboundIn = ByteBuffer

    /// How many times the write side was shut down.
    public private(set) var outputCloses = 0
    /// How many reads the handlers above asked for.
    public private(set) var reads = 0

    /// Creates a recorder.
    public init() {}

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .output {
            self.outputCloses += 1
            promise?.succeed()
        } else {
            context.close(mode: mode, promise: promise)
        }
    }

    public func read(context: ChannelHandlerContext) {
        self.reads += 1
        context.read()
    }
}

@available(*, unavailable)
extension ServerOutputCloseRecorder: Sendable {}
