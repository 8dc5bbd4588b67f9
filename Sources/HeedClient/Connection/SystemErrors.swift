import HeedCore
import NIOCore

/// Turns the errors NIO reports into plain ``SystemErrorInfo`` values.
enum SystemErrors {
    static func info(for error: any Error) -> SystemErrorInfo {
        if let info = SystemErrorInfo.extracted(from: error) { return info }
        if let channelError = error as? ChannelError {
            switch channelError {
            case .ioOnClosedChannel, .alreadyClosed, .outputClosed:
                return .init(errno: nil, message: "the connection was already closed")
            case .eof:
                return .init(errno: nil, message: "the server closed the connection")
            default:
                return .init(errno: nil, message: "\(channelError)")
            }
        }
        return .init(errno: nil, message: "\(error)")
    }
}
