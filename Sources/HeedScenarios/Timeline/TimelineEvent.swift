/// One thing that one side of a scenario did or saw, stamped with when it happened.
public struct TimelineEvent: Sendable, Hashable, Codable {
    /// Which side of the connection recorded the event.
    public enum Side: String, Sendable, Hashable, Codable {
        case client
        case server
    }

    /// What kind of event it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The server listens.
        case listen
        /// The client connected.
        case connect
        /// The server accepted a connection.
        case accept
        /// Bytes went into the socket (consecutive writes are merged).
        case send
        /// Bytes came out of the socket (consecutive reads are merged).
        case receive
        /// The side had to wait for the other one (a full buffer, a deliberate pause).
        case wait
        /// The server read a request head.
        case requestHead
        /// A response was written (server) or read (client).
        case response
        /// The side shut down its write side: the other side reads end of stream (FIN).
        case halfClose
        /// The side closed the socket with a FIN.
        case close
        /// The side closed the socket with an RST.
        case reset
        /// The side read end of stream.
        case endOfStream
        /// A socket call failed.
        case error
        /// The side stopped (gave up, or timed out).
        case giveUp
        /// A response had arrived but the client never read it.
        case responseLost
        /// What the client reported in the end.
        case result
    }

    /// When the event began, in microseconds since the run started.
    public var atMicroseconds: Int64
    /// When a merged event (a run of sends or receives) ended, in microseconds since the run started.
    public var untilMicroseconds: Int64?
    /// The side that recorded it.
    public var side: Side
    /// What happened.
    public var kind: Kind
    /// Bytes sent or received, for `send`, `receive`, `response` and `responseLost`.
    public var bytes: Int?
    /// The error, for `error` events.
    public var errno: ErrnoInfo?
    /// The event in words, without the time (`read the request head: POST /upload, 8388608 body bytes`).
    public var text: String

    /// Creates an event.
    public init(
        atMicroseconds: Int64,
        untilMicroseconds: Int64? = nil,
        side: Side,
        kind: Kind,
        bytes: Int? = nil,
        errno: ErrnoInfo? = nil,
        text: String
    ) {
        self.atMicroseconds = atMicroseconds
        self.untilMicroseconds = untilMicroseconds
        self.side = side
        self.kind = kind
        self.bytes = bytes
        self.errno = errno
        self.text = text
    }
}
