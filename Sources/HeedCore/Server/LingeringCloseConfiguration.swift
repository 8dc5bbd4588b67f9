public import NIOCore

/// The limits of a lingering close (RFC 9112 §9.6): how long and how much a server keeps reading,
/// after it has sent its last response and shut down its write side, before it closes the socket.
///
/// Every limit is bounded. The defaults follow nginx (`lingering_time 30s`, `lingering_timeout 5s`)
/// and add a byte limit, so a client can hold a lingering connection for at most ``lingerTime``
/// and make the server read at most ``maxDiscardBytes``.
public struct LingeringCloseConfiguration: Sendable, Hashable {
    /// The longest the whole close may take, from the close request: flushing the response, then reading
    /// and discarding (nginx `lingering_time`). A client that never reads the response is cut off by it too.
    public var lingerTime: TimeAmount
    /// The longest the server waits for the next bytes from the client while lingering (nginx `lingering_timeout`).
    public var lingerReadTimeout: TimeAmount
    /// The most bytes the server reads and discards while lingering before it closes anyway.
    public var maxDiscardBytes: Int
    /// Whether an application's own half-close (`close(mode: .output)`) starts the lingering phase at once,
    /// rather than waiting for its full close. On by default: an HTTP server that shut down its write side
    /// is done with the exchange, and one that then holds the connection without reading would stall a
    /// client that is still sending.
    public var lingerOnApplicationHalfClose: Bool

    /// Creates a configuration.
    /// - Parameters:
    ///   - lingerTime: The total time limit of the lingering phase.
    ///   - lingerReadTimeout: The idle limit between two reads while lingering.
    ///   - maxDiscardBytes: The byte limit of the lingering phase.
    ///   - lingerOnApplicationHalfClose: Whether the application's own half-close starts lingering.
    public init(
        lingerTime: TimeAmount = .seconds(30),
        lingerReadTimeout: TimeAmount = .seconds(5),
        maxDiscardBytes: Int = 64 * 1024 * 1024,
        lingerOnApplicationHalfClose: Bool = true
    ) {
        self.lingerOnApplicationHalfClose = lingerOnApplicationHalfClose
        self.lingerTime = lingerTime
        self.lingerReadTimeout = lingerReadTimeout
        self.maxDiscardBytes = maxDiscardBytes
    }
}
