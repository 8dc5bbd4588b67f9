/// A response the server connection machine decides on its own, without asking the application.
public enum ServerRejection: Sendable, Hashable {
    /// 400: the request could not be parsed.
    case badRequest
    /// 408: the client was too slow.
    case requestTimeout
    /// 413: the body is larger than ``ServerLimits/maxBodySize``.
    case contentTooLarge
    /// 414: the request target alone is longer than ``ServerLimits/maxHeaderSize``.
    case uriTooLong
    /// 417: the request has an expectation other than `100-continue`.
    case expectationFailed
    /// 431: the head is larger than ``ServerLimits/maxHeaderSize``.
    case headerFieldsTooLarge
    /// 501: the method is not implemented (`CONNECT`).
    case notImplemented
    /// 503: the server is stopping, and the accepted request's handler will never run.
    case serviceUnavailable

    /// The status code of the response.
    public var statusCode: Int {
        switch self {
        case .badRequest: 400
        case .requestTimeout: 408
        case .contentTooLarge: 413
        case .uriTooLong: 414
        case .expectationFailed: 417
        case .headerFieldsTooLarge: 431
        case .notImplemented: 501
        case .serviceUnavailable: 503
        }
    }

    /// The reason phrase of the response.
    public var reasonPhrase: String {
        switch self {
        case .badRequest: "Bad Request"
        case .requestTimeout: "Request Timeout"
        case .contentTooLarge: "Content Too Large"
        case .uriTooLong: "URI Too Long"
        case .expectationFailed: "Expectation Failed"
        case .headerFieldsTooLarge: "Request Header Fields Too Large"
        case .notImplemented: "Not Implemented"
        case .serviceUnavailable: "Service Unavailable"
        }
    }
}
