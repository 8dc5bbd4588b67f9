public import NIOCore

/// The limits a Heed server enforces on every connection. None is unbounded.
public struct ServerLimits: Sendable, Hashable {
    /// The largest request head (request target and header fields) in bytes; a larger one gets 431, or 414 if
    /// the request target alone is longer.
    public var maxHeaderSize: Int
    /// The largest request body in bytes; a larger one gets 413, decided from `Content-Length` before
    /// reading, or as soon as a streamed or chunked body passes it.
    public var maxBodySize: Int
    /// How long a new connection has to deliver a complete request head.
    public var headerReadTimeout: TimeAmount
    /// How long a connection may stay silent: between requests on a kept-alive connection,
    /// and between two reads of a request body.
    public var idleTimeout: TimeAmount
    /// The most request-body bytes the server reads and discards after an early response to keep the
    /// connection alive; a longer remaining body makes it answer with `Connection: close` instead.
    public var keepAliveDrainLimit: Int
    /// The overall deadline of a request body, as a rate the client must keep up after a grace period; a body
    /// read past it gets 408 (or, after an early response, a close). `nil` bounds a body only by ``idleTimeout``
    /// between reads, which a client sending a byte just within each timeout never reaches.
    public var minimumBodyRate: MinimumBodyRate?

    /// Creates limits.
    /// - Parameters:
    ///   - maxHeaderSize: The largest request head, in bytes.
    ///   - maxBodySize: The largest request body, in bytes.
    ///   - headerReadTimeout: The time a new connection has to send a complete head.
    ///   - idleTimeout: The longest silence while the server waits for the client.
    ///   - keepAliveDrainLimit: The most bytes discarded to keep a connection after an early response.
    ///   - minimumBodyRate: The overall deadline of a body, as a minimum rate after a grace period, or nil.
    public init(
        maxHeaderSize: Int = 32 * 1024,
        maxBodySize: Int = 16 * 1024 * 1024,
        headerReadTimeout: TimeAmount = .seconds(10),
        idleTimeout: TimeAmount = .seconds(60),
        keepAliveDrainLimit: Int = 256 * 1024,
        minimumBodyRate: MinimumBodyRate? = MinimumBodyRate()
    ) {
        self.maxHeaderSize = maxHeaderSize
        self.maxBodySize = maxBodySize
        self.headerReadTimeout = headerReadTimeout
        self.idleTimeout = idleTimeout
        self.keepAliveDrainLimit = keepAliveDrainLimit
        self.minimumBodyRate = minimumBodyRate
    }
}
