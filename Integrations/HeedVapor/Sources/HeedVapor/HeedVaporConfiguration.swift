public import HeedCore
public import NIOCore
public import Vapor

/// Answers a Vapor request on its head alone, before any of its body is read.
///
/// The request carries the method, URL and header fields but no body. Return a response to answer at
/// once (a 401 for a missing credential, a 413 for an upload a route will not take, ...); return nil to
/// have the body collected and the request passed to the application's responder as usual. It runs on
/// the connection's event loop, so it must not block.
public typealias HeedVaporHeadResponder = @Sendable (Request) -> Response?

/// How a ``HeedVaporServer`` listens, what it accepts, and how it closes connections.
public struct HeedVaporConfiguration: Sendable {
    /// Vapor's default for collected request bodies, 16 KiB (`app.routes.defaultMaxBodySize`).
    public static let defaultMaxBodySize = 16 * 1024

    /// The address to listen on: a host name or IP address.
    public var hostname: String
    /// The port to listen on; 0 picks a free port (``HeedVaporServer/localAddress`` tells which).
    public var port: Int
    /// The per-connection limits: head size, body size, timeouts, keep-alive drain, minimum body rate.
    ///
    /// `limits.maxBodySize` is the largest request body the server collects for the application: a larger
    /// `Content-Length` is answered 413 with `Connection: close` before any of the body is read, and a
    /// chunked body is answered 413 as soon as it passes the limit.
    public var limits: ServerLimits
    /// The limits of the lingering close after a response that ends the connection; nil closes at once
    /// (for experiments only: a client that is still sending may then get a reset instead of the response).
    public var lingeringClose: LingeringCloseConfiguration?
    /// The most connections served at once; further clients wait in the listen backlog.
    public var maxConnections: Int
    /// The listen backlog.
    public var backlog: Int32
    /// Decides on request heads before their bodies are read, if set.
    public var headResponder: HeedVaporHeadResponder?
    /// How long a stop (`app.server.shutdown()`, or the application's) waits for the requests in progress before
    /// it closes their connections; zero stops at once. The server's default, 10 seconds.
    public var shutdownGracePeriod: TimeAmount

    /// The largest request body the server collects, in bytes: `limits.maxBodySize`.
    public var maxBodySize: Int {
        get { self.limits.maxBodySize }
        set { self.limits.maxBodySize = newValue }
    }

    /// The overall deadline of a request body, as a rate the client must keep up after a grace period:
    /// `limits.minimumBodyRate`. A body that falls behind is answered 408 Request Timeout (or, after an early
    /// response, its connection is closed). The server's default is 500 bytes per second after 20 seconds; nil
    /// bounds a body only by `limits.idleTimeout` between reads, which a client sending a byte just within each
    /// timeout never reaches.
    public var minimumBodyRate: MinimumBodyRate? {
        get { self.limits.minimumBodyRate }
        set { self.limits.minimumBodyRate = newValue }
    }

    /// Creates a configuration.
    /// - Parameters:
    ///   - hostname: The address to listen on.
    ///   - port: The port; 0 picks a free one.
    ///   - maxBodySize: The largest request body collected, in bytes; Vapor's 16 KiB by default.
    ///   - limits: The other per-connection limits, ``minimumBodyRate`` among them (its `maxBodySize` is replaced
    ///     by `maxBodySize`).
    ///   - lingeringClose: The lingering-close limits, or nil to close at once.
    ///   - maxConnections: The most connections served at once.
    ///   - backlog: The listen backlog.
    ///   - headResponder: Decides on request heads before their bodies are read, if set.
    ///   - shutdownGracePeriod: How long a stop waits for the requests in progress; 10 seconds by default.
    public init(
        hostname: String = "127.0.0.1",
        port: Int = 8080,
        maxBodySize: Int = Self.defaultMaxBodySize,
        limits: ServerLimits = .init(),
        lingeringClose: LingeringCloseConfiguration? = .init(),
        maxConnections: Int = 1024,
        backlog: Int32 = 256,
        headResponder: HeedVaporHeadResponder? = nil,
        shutdownGracePeriod: TimeAmount = .seconds(10)
    ) {
        self.hostname = hostname
        self.port = port
        self.limits = limits
        self.limits.maxBodySize = maxBodySize
        self.lingeringClose = lingeringClose
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.headResponder = headResponder
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
