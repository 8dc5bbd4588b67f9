/// The peer's side of a scenario: socket options and the steps it takes on each connection.
public struct PeerScript: Sendable, Hashable {
    /// `SO_RCVBUF` for accepted connections; a small one makes a sending client block early.
    public var receiveBufferSize: Int?
    /// `SO_SNDBUF` for accepted connections; a small one makes a large response block until the client reads.
    public var sendBufferSize: Int?
    /// The steps, in order.
    public var steps: [PeerStep]

    /// Creates a script.
    public init(receiveBufferSize: Int? = nil, sendBufferSize: Int? = nil, steps: [PeerStep]) {
        self.receiveBufferSize = receiveBufferSize
        self.sendBufferSize = sendBufferSize
        self.steps = steps
    }
}

/// One step of a scripted peer.
public enum PeerStep: Sendable, Hashable {
    /// Read until the end of the request head (`\r\n\r\n`).
    case readHead
    /// Read this many bytes of the request body (fewer if the body ends first).
    case readBody(bytes: Int)
    /// Read the rest of the request body, as its `Content-Length` or chunked framing says.
    case readWholeBody
    /// Do nothing for a while: the story's delay (a slow application, a full disk).
    case pause(Duration)
    /// Write a response.
    case respond(ScriptedResponse)
    /// Shut down the write side (`shutdown(SHUT_WR)`, a FIN) and keep the read side open.
    case halfClose
    /// Read and discard until the client closes, at most `maxBytes` or `maxDuration` (a lingering close).
    case drain(maxBytes: Int, maxDuration: Duration)
    /// Close with `SO_LINGER` 0: the kernel sends RST.
    case reset
    /// Close normally: a FIN, or an RST if request bytes remain unread.
    case close
}

/// A response a scripted peer writes.
public struct ScriptedResponse: Sendable, Hashable {
    /// The status code (`413`).
    public var status: Int
    /// The reason phrase (`Payload Too Large`).
    public var reason: String
    /// The size of the body the response declares in `Content-Length`.
    public var bodySize: Int
    /// How many body bytes the peer actually writes (fewer than `bodySize` cuts the body short).
    public var bodyBytesWritten: Int

    /// Creates a response; by default the whole declared body is written.
    public init(status: Int, reason: String, bodySize: Int = 0, bodyBytesWritten: Int? = nil) {
        self.status = status
        self.reason = reason
        self.bodySize = bodySize
        self.bodyBytesWritten = bodyBytesWritten ?? bodySize
    }
}
