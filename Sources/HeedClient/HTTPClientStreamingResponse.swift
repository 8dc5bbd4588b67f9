public import HTTPTypes

/// A response whose body is still arriving.
public struct HTTPClientStreamingResponse: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The body, as it arrives.
    public var body: HTTPClientResponseBody
    /// Request body bytes the connection had accepted when the response head arrived.
    public var requestBodyBytesSentAtResponse: Int64
    /// The request body's length, if it was known.
    public var requestBodyLength: Int64?

    /// The status code.
    public var status: HTTPResponse.Status { self.head.status }
}
