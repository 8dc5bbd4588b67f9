import HeedCore
public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on SwiftNIO that decides on the request head and closes the way RFC 9112 §9.6 asks.
///
/// The application sees each request head first (a ``HeadResponder``) and either answers at once or
/// accepts, and then the body streams to its async handler. The server enforces ``ServerLimits``
/// (431, 414, 413, 417, timeouts, a connection cap), sends 100 Continue only on acceptance, keeps a
/// connection after an early response by discarding a short declared body, and otherwise closes with a
/// lingering close (``LingeringCloseHandler``), so that a client still sending reads the whole response.
///
/// ```swift
/// let server = HeedServer(configuration: .init(port: 8080)) { request in
///     guard request.method == .put else { return .respond(.init(status: .methodNotAllowed, text: "no\n")) }
///     return .accept { request, body in
///         let bytes = try await body.collect(upTo: 1 << 20)
///         return ServerResponse(status: .ok, text: "got \(bytes.readableBytes) bytes\n")
///     }
/// }
/// try await server.run { address in print("listening on \(address)") }
/// ```
public struct HeedServer: Sendable {
    /// The configuration.
    public let configuration: HeedServerConfiguration
    private let responder: HeadResponder
    private let accessLog: (@Sendable (ServerAccessRecord) -> Void)?
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup

    /// Creates a server; ``run(onListening:)`` starts it.
    /// - Parameters:
    ///   - configuration: Where to listen and which limits to enforce.
    ///   - eventLoopGroup: The event loops to serve on; `MultiThreadedEventLoopGroup.singleton` if nil.
    ///   - logger: The logger for the server's own debug messages.
    ///   - accessLog: Called on the event loop once per response written, if set.
    ///   - responder: Decides on each request head.
    public init(
        configuration: HeedServerConfiguration = .init(),
        eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger = Logger(label: "heed.server", factory: { _ in SwiftLogNoOpLogHandler() }),
        accessLog: (@Sendable (ServerAccessRecord) -> Void)? = nil,
        responder: @escaping HeadResponder
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.accessLog = accessLog
        self.responder = responder
    }

    /// Listens and serves until the task is cancelled, then stops gracefully.
    ///
    /// Cancellation stops the server: it closes the listening socket at once and closes the idle connections;
    /// the requests in progress go on, their responses carry `Connection: close`, and their connections close
    /// after them. Once ``HeedServerConfiguration/shutdownGracePeriod`` has passed, the connections left are
    /// closed at once and the handlers still running are cancelled. `run` returns when every connection is
    /// closed and every handler has returned (a handler that ignores cancellation holds it up).
    /// - Parameter onListening: Called once with the address the server listens on (useful with port 0).
    /// - Throws: The error of binding the listening socket. Cancellation is not an error.
    public func run(onListening: @Sendable (SocketAddress) async -> Void = { _ in }) async throws {
        let (jobs, jobSink) = AsyncStream.makeStream(of: ServerJob.self)
        let connections = ServerConnections()
        let channel: any Channel
        do {
            channel = try await self.bind(jobSink: jobSink, connections: connections)
        } catch {
            jobSink.finish()
            throw error
        }
        if let address = channel.localAddress {
            self.logger.debug("heed server listening", metadata: ["heed-address": "\(address)"])
            await onListening(address)
        }
        // The handlers run in a task of their own, awaited below, so that cancelling `run` does not cancel the
        // requests in progress: a stop cancels them only at the end of its grace period.
        let serving = Task {
            await withDiscardingTaskGroup { group in
                for await job in jobs {
                    group.addTask { await job.work() }
                }
            }
        }
        await withTaskCancellationHandler {
            // Not cancellable: the listening socket closes on cancellation (or on an error of its own).
            try? await channel.closeFuture.get()
            self.logger.debug("heed server stopping")
            connections.stop()
            let forcedStop = channel.eventLoop.scheduleTask(in: self.configuration.shutdownGracePeriod) {
                connections.closeAll()
                serving.cancel()
            }
            await connections.waitUntilAllClosed()
            jobSink.finish()
            await serving.value
            forcedStop.cancel()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    // MARK: - Helpers

    private func bind(
        jobSink: AsyncStream<ServerJob>.Continuation,
        connections: ServerConnections
    ) async throws -> any Channel {
        let configuration = self.configuration
        let responder = self.responder
        let accessLog = self.accessLog
        let launchJob: ServerConnectionHandler.JobLauncher = { work in
            if case .enqueued = jobSink.yield(ServerJob(work: work)) { return true }
            return false
        }
        var bootstrap = ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let limit = ConnectionLimitHandler(maxConnections: configuration.maxConnections)
                    try channel.pipeline.syncOperations.addHandler(limit)
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configureChild(
                        channel,
                        configuration: configuration,
                        responder: responder,
                        accessLog: accessLog,
                        launchJob: launchJob
                    )
                    // Last, so that a stop's message finds the whole pipeline; a stopping server refuses it.
                    guard connections.add(channel) else {
                        throw ServerStopping()
                    }
                }
            }
        if let size = configuration.receiveBufferSize {
            bootstrap = bootstrap.childChannelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(size))
        }
        return try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
    }

    /// How many bytes over the header limit the request decoder may buffer unparsed (a few reads' worth).
    static let decoderBufferMargin = 256 * 1024

    private static func configureChild(
        _ channel: any Channel,
        configuration: HeedServerConfiguration,
        responder: @escaping HeadResponder,
        accessLog: (@Sendable (ServerAccessRecord) -> Void)?,
        launchJob: @escaping ServerConnectionHandler.JobLauncher
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        if let lingering = configuration.lingeringClose {
            try pipeline.addHandler(LingeringCloseHandler(configuration: lingering))
        }
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = configuration.limits.maxHeaderSize
        limits.maxHeaderFieldSize = configuration.limits.maxHeaderSize
        let decoder = ServerRequestDecoder(maxHeaderSize: configuration.limits.maxHeaderSize, limits: limits)
        // The decoder consumes body bytes as it parses them, so its buffer holds at most a partial head and
        // what one read adds, unless the parser stopped (an upgrade): then the bound ends the connection
        // (PayloadTooLargeError, a close) instead of buffering without limit.
        let maximumBufferSize = configuration.limits.maxHeaderSize + Self.decoderBufferMargin
        try pipeline.addHandler(ByteToMessageHandler(decoder, maximumBufferSize: maximumBufferSize))
        try pipeline.addHandler(
            ServerConnectionHandler(
                limits: configuration.limits,
                responder: responder,
                accessLog: accessLog,
                launchJob: launchJob
            )
        )
    }
}

/// Refuses a connection accepted just before a stop, which the stop would otherwise never reach.
struct ServerStopping: Error {}

/// The async work of one accepted request, run in the server's task group.
struct ServerJob: Sendable {
    let work: @Sendable () async -> Void
}
