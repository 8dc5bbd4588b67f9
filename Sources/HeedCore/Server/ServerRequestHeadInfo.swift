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

    /// The declared body length, or nil when the body is chunked or absent.
    public var contentLength: Int?
    /// Whether the body uses chunked transfer coding.
    public var isChunked: Bool
    /// The request's expectation.
    public var expectation: Expectation
    /// Whether the client wants the connection kept alive after this exchange.
    public var keepAlive: Bool

    /// Creates head information.
    /// - Parameters:
    ///   - contentLength: The declared body length, if any.
    ///   - isChunked: Whether the body is chunked.
    ///   - expectation: The `Expect` field.
    ///   - keepAlive: Whether the client wants to keep the connection.
    public init(contentLength: Int?, isChunked: Bool, expectation: Expectation, keepAlive: Bool) {
        self.contentLength = contentLength
        self.isChunked = isChunked
        self.expectation = expectation
        self.keepAlive = keepAlive
    }

    /// Whether a body follows the head.
    public var hasBody: Bool {
        self.isChunked || (self.contentLength ?? 0) > 0
    }
}
