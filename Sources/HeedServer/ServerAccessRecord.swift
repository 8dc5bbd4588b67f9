public import HTTPTypes

/// One line of an access log: what a request asked for and how the server answered.
public struct ServerAccessRecord: Sendable, Hashable {
    /// The request method, as sent.
    public var method: String
    /// The request target, as sent.
    public var target: String
    /// The status of the response.
    public var status: HTTPResponse.Status
    /// The body bytes of the response.
    public var responseBodyBytes: Int
    /// Whether the server closes the connection after this response.
    public var closesConnection: Bool

    /// Creates a record.
    /// - Parameters:
    ///   - method: The request method.
    ///   - target: The request target.
    ///   - status: The response status.
    ///   - responseBodyBytes: The response body size.
    ///   - closesConnection: Whether the connection closes after the response.
    public init(
        method: String,
        target: String,
        status: HTTPResponse.Status,
        responseBodyBytes: Int,
        closesConnection: Bool
    ) {
        self.method = method
        self.target = target
        self.status = status
        self.responseBodyBytes = responseBodyBytes
        self.closesConnection = closesConnection
    }
}
