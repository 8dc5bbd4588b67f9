/// What the server connection machine needs to know about a request head: its framing and expectations.
public struct ServerRequestHeadInfo: Sendable, Hashable {
    /// The `Expect` header field of a request.
    public enum Expectation: Sendable, Hashable {
        /// No `Expect` field.
        case none
        /// `Expect: 100-continue`: the client waits for 100 Continue before sending its body.
        case continue100
        /// Any other expectation; the server answers 417 Expectation Failed.
        case unsupported
    }

    /// The declared body length, or nil when the body is chunked or absent. A declared length too large for
    /// `Int` is `Int.max`, over any body limit.
    public var contentLength: Int?
    /// Whether the body uses chunked transfer coding.
    public var isChunked: Bool
    /// The request's expectation.
    public var expectation: Expectation
    /// Whether the client wants the connection kept alive after this exchange.
    public var keepAlive: Bool
    /// Whether the head is invalid although it parsed (an HTTP/1.1 request without `Host`, or with more than
    /// one): the server answers 400 Bad Request without asking the application.
    public var isInvalid: Bool
    /// Whether the method is one the server does not implement (`CONNECT`): the server answers
    /// 501 Not Implemented without asking the application.
    public var isUnsupportedMethod: Bool

    /// Creates head information.
    /// - Parameters:
    ///   - contentLength: The declared body length, if any.
    ///   - isChunked: Whether the body is chunked.
    ///   - expectation: The `Expect` field.
    ///   - keepAlive: Whether the client wants to keep the connection.
    ///   - isInvalid: Whether the head is invalid (400 Bad Request).
    ///   - isUnsupportedMethod: Whether the method is not implemented (501 Not Implemented).
    public init(
        contentLength: Int?,
        isChunked: Bool,
        expectation: Expectation,
        keepAlive: Bool,
        isInvalid: Bool = false,
        isUnsupportedMethod: Bool = false
    ) {
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.expectation = expectation
        self.keepAlive = keepAlive
        self.isInvalid = isInvalid
        self.isUnsupportedMethod = isUnsupportedMethod
    }

    /// Whether a body follows the head.
    public var hasBody: Bool {
        self.isChunked || (self.contentLength ?? 0) > 0
    }
}
