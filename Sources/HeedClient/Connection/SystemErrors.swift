import HeedCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the errors NIO reports into plain ``ExchangeFailure/SystemError`` values.
enum SystemErrors {
    static func info(for error: any Error) -> ExchangeFailure.SystemError {
        if let ioError = error as? IOError {
            let number = ioError.errnoCode
            return .init(errno: number, name: Self.name(of: number), message: Self.message(of: number))
        }
        if let channelError = error as? ChannelError {
            switch channelError {
            case .ioOnClosedChannel, .alreadyClosed, .outputClosed:
                return .init(errno: nil, name: nil, message: "the connection was already closed")
            case .eof:
                return .init(errno: nil, name: nil, message: "the server closed the connection")
            default:
                return .init(errno: nil, name: nil, message: "\(channelError)")
            }
        }
        return .init(errno: nil, name: nil, message: "\(error)")
    }

    /// The system's own text for `number` (strerror).
    static func message(of number: Int32) -> String {
        guard let text = strerror(number) else { return "error \(number)" }
        return String(cString: text)
    }

    /// The symbolic name of the errno values a connection meets.
    static func name(of number: Int32) -> String? {
        switch number {
        case EPIPE: "EPIPE"
        case ECONNRESET: "ECONNRESET"
        case ECONNABORTED: "ECONNABORTED"
        case ECONNREFUSED: "ECONNREFUSED"
        case ETIMEDOUT: "ETIMEDOUT"
        case EHOSTUNREACH: "EHOSTUNREACH"
        case ENETUNREACH: "ENETUNREACH"
        case ENETDOWN: "ENETDOWN"
        case ENETRESET: "ENETRESET"
        case EPROTOTYPE: "EPROTOTYPE"
        case ENOTCONN: "ENOTCONN"
        case ESHUTDOWN: "ESHUTDOWN"
        case EADDRNOTAVAIL: "EADDRNOTAVAIL"
        case EADDRINUSE: "EADDRINUSE"
        case EMFILE: "EMFILE"
        case ENFILE: "ENFILE"
        case ENOBUFS: "ENOBUFS"
        case EACCES: "EACCES"
        case EPERM: "EPERM"
        case EINTR: "EINTR"
        case EAGAIN: "EAGAIN"
        default: nil
        }
    }
}
