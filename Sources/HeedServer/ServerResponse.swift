public import HTTPTypes
public import NIOCore

/// A complete response: a head and a body held in memory.
///
/// The server writes `Content-Length` itself and adds `Connection: close` when it closes the connection
/// after the response; `Content-Length`, `Transfer-Encoding` and `Connection` fields set here are ignored.
public struct ServerResponse: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The body.
    public var body: ByteBuffer

    /// Creates a response.
    /// - Parameters:
    ///   - head: The status and header fields.
    ///   - body: The body; empty by default.
    public init(head: HTTPResponse, body: ByteBuffer = ByteBuffer()) {
        self.head = head
        self.body = body
    }

    /// Creates a plain-text response.
    /// - Parameters:
    ///   - status: The status.
    ///   - text: The body, sent as `text/plain; charset=utf-8`.
    public init(status: HTTPResponse.Status, text: String) {
        var fields = HTTPFields()
        fields[.contentType] = "text/plain; charset=utf-8"
        self.init(head: HTTPResponse(status: status, headerFields: fields), body: ByteBuffer(string: text))
    }
}
