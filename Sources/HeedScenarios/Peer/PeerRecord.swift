/// What a scripted peer saw and did during one run.
public struct PeerRecord: Sendable, Hashable, Codable {
    /// The port it listened on, on 127.0.0.1.
    public var port: Int
    /// Its timeline: what it read, wrote, and how it closed.
    public var timeline: [TimelineEvent]
    /// The connections it accepted.
    public var connectionsAccepted: Int
    /// The requests whose heads it read, in order.
    public var requests: [RequestSeen]

    /// Creates a record.
    public init(port: Int, timeline: [TimelineEvent], connectionsAccepted: Int, requests: [RequestSeen]) {
        self.port = port
        self.timeline = timeline
        self.connectionsAccepted = connectionsAccepted
        self.requests = requests
    }
}

/// A request head a peer read, and how much of its body arrived.
public struct RequestSeen: Sendable, Hashable, Codable {
    /// The method (`POST`).
    public var method: String
    /// The request target (`/upload`).
    public var target: String
    /// The declared `Content-Length`, if any.
    public var contentLength: Int?
    /// Whether the body is chunked.
    public var isChunked: Bool
    /// Whether the head carried `Expect: 100-continue`.
    public var askedToContinue: Bool
    /// The body bytes the peer read (bytes the client sent but the peer never read are not counted).
    public var bodyBytesRead: Int

    /// Creates a request record.
    public init(
        method: String,
        target: String,
        contentLength: Int?,
        isChunked: Bool,
        askedToContinue: Bool,
        bodyBytesRead: Int
    ) {
        self.method = method
        self.target = target
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.askedToContinue = askedToContinue
        self.bodyBytesRead = bodyBytesRead
    }
}
