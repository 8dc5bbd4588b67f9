public import HTTPTypes
public import HeedCore

/// A response whose body is still arriving.
public struct HTTPClientStreamingResponse: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The body, as it arrives. Read it inside the `streamingResponse` closure: once the closure returns, reading
    /// it throws ``HTTPClientError`` (`response-body-unreadable`).
    public var body: HTTPClientResponseBody
    /// Request body bytes the connection had accepted when the response head arrived.
    public var requestBodyBytesSentAtResponse: Int64
    /// The request body's length, if it was known.
    public var requestBodyLength: Int64?
    /// The URL that answered: the request's, or the last redirect's.
    public var url: HTTPURL? = nil
    /// How many redirects were followed to get here.
    public var redirectCount: Int = 0

    /// The status code.
    public var status: HTTPResponse.Status { self.head.status }
}
