/// An error the server reports to an application reading a request body.
public struct ServerError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case bodyTooLarge(limit: Int)
        case requestTimedOut
        case connectionClosed
        case requestAborted
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The body passed ``ServerLimits/maxBodySize``; the server answered 413.
    public static func bodyTooLarge(limit: Int) -> Self { Self(.bodyTooLarge(limit: limit)) }
    /// The client was silent for longer than the idle timeout; the server answered 408.
    public static let requestTimedOut = Self(.requestTimedOut)
    /// The connection closed before the body was complete.
    public static let connectionClosed = Self(.connectionClosed)
    /// The request could not be read to its end (a malformed body, or the client stopped sending).
    public static let requestAborted = Self(.requestAborted)

    public var description: String {
        switch self.code {
        case .bodyTooLarge(let limit):
            "The request body is larger than the limit of \(limit) bytes; the server answered 413."
        case .requestTimedOut:
            "The client stopped sending the request body for longer than the idle timeout."
        case .connectionClosed:
            "The connection closed before the request body was complete."
        case .requestAborted:
            "The request body could not be read to its end."
        }
    }
}
