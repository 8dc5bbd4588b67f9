public import HeedCore
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
    /// The per-connection limits: head size, body size, timeouts, keep-alive drain.
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

    /// The largest request body the server collects, in bytes: `limits.maxBodySize`.
    public var maxBodySize: Int {
        get { self.limits.maxBodySize }
        set { self.limits.maxBodySize = newValue }
    }

    /// Creates a configuration.
    /// - Parameters:
    ///   - hostname: The address to listen on.
    ///   - port: The port; 0 picks a free one.
    ///   - maxBodySize: The largest request body collected, in bytes; Vapor's 16 KiB by default.
    ///   - limits: The other per-connection limits (its `maxBodySize` is replaced by `maxBodySize`).
    ///   - lingeringClose: The lingering-close limits, or nil to close at once.
    ///   - maxConnections: The most connections served at once.
    ///   - backlog: The listen backlog.
    ///   - headResponder: Decides on request heads before their bodies are read, if set.
    public init(
        hostname: String = "127.0.0.1",
        port: Int = 8080,
        maxBodySize: Int = Self.defaultMaxBodySize,
        limits: ServerLimits = .init(),
        lingeringClose: LingeringCloseConfiguration? = .init(),
        maxConnections: Int = 1024,
        backlog: Int32 = 256,
        headResponder: HeedVaporHeadResponder? = nil
    ) {
        self.hostname = hostname
        self.port = port
        self.limits = limits
        self.limits.maxBodySize = maxBodySize
        self.lingeringClose = lingeringClose
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.headResponder = headResponder
    }
}
