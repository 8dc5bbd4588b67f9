public import HeedCore
public import NIOCore

/// How a ``HeedServer`` listens and which limits it enforces.
public struct HeedServerConfiguration: Sendable {
    /// The address to listen on: a host name or IP address.
    public var host: String
    /// The port to listen on; 0 picks a free port.
    public var port: Int
    /// The per-connection limits: head size, body size, timeouts, keep-alive drain.
    public var limits: ServerLimits
    /// The limits of the lingering close after a response that ends the connection; nil closes at once
    /// (for experiments: a client that is still sending may then get a reset instead of the response).
    public var lingeringClose: LingeringCloseConfiguration?
    /// The most connections served at once; further clients wait in the listen backlog.
    public var maxConnections: Int
    /// The listen backlog.
    public var backlog: Int32
    /// The receive buffer size of accepted sockets (`SO_RCVBUF`), or nil for the system default.
    public var receiveBufferSize: Int?
    /// How long a stop waits for the requests in progress before it closes their connections and cancels their
    /// handlers (see ``HeedServer/run(onListening:)``); zero stops at once.
    public var shutdownGracePeriod: TimeAmount

    /// Creates a configuration.
    /// - Parameters:
    ///   - host: The address to listen on.
    ///   - port: The port; 0 picks a free one.
    ///   - limits: The per-connection limits.
    ///   - lingeringClose: The lingering-close limits, or nil to close at once.
    ///   - maxConnections: The most connections served at once.
    ///   - backlog: The listen backlog.
    ///   - receiveBufferSize: `SO_RCVBUF` for accepted sockets, or nil.
    ///   - shutdownGracePeriod: How long a stop waits for the requests in progress.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        limits: ServerLimits = .init(),
        lingeringClose: LingeringCloseConfiguration? = .init(),
        maxConnections: Int = 1024,
        backlog: Int32 = 256,
        receiveBufferSize: Int? = nil,
        shutdownGracePeriod: TimeAmount = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.lingeringClose = lingeringClose
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.receiveBufferSize = receiveBufferSize
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
