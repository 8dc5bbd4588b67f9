import NIOCore

/// A system (socket or resolver) error, reduced to plain values so it can be stored, compared and encoded.
public struct SystemErrorInfo: Sendable, Hashable, Codable {
    /// The error number, if the error came from the system (`104` for `ECONNRESET` on Linux).
    public var errno: Int32?
    /// The symbolic name, such as `"ECONNRESET"` or `"EAI_NONAME"`; the key into the socket-error catalogue.
    public var name: String?
    /// A human-readable message.
    public var message: String

    /// Creates an error description from its parts.
    ///
    /// - Parameters:
    ///   - errno: The error number, if any.
    ///   - name: The symbolic name; when `nil`, it is looked up from `errno` (Linux numbering).
    ///   - message: A human-readable message; when empty, the standard text for the name is used.
    public init(errno: Int32?, name: String? = nil, message: String = "") {
        self.errno = errno
        let known = errno.flatMap { Self.linuxErrnos[$0] }
        self.name = name ?? known?.name
        self.message = message.isEmpty ? (known?.message ?? "Unknown error") : message
    }

    /// Creates an error description from a Linux error number, such as `32` (`EPIPE`).
    ///
    /// - Parameter errno: The Linux error number.
    public init(linuxErrno errno: Int32) {
        self.init(errno: errno)
    }

    /// Extracts the system error from an error thrown by SwiftNIO, if it carries one.
    ///
    /// `IOError` yields its errno; `SocketAddressError.UnknownHost` (a failed name lookup) yields its `EAI_*` code.
    ///
    /// - Parameter error: Any error.
    /// - Returns: The system error, or `nil` if `error` does not carry one.
    public static func extracted(from error: any Error) -> Self? {
        if let ioError = error as? IOError {
            return Self(errno: ioError.errnoCode)
        }
        if let unknownHost = error as? SocketAddressError.UnknownHost {
            let name = Self.resolverErrors[unknownHost.errorCode] ?? "EAI_NONAME"
            return Self(errno: nil, name: name, message: unknownHost.errorDescription)
        }
        return nil
    }

    /// The glibc `getaddrinfo` error codes.
    static let resolverErrors: [Int: String] = [
        -2: "EAI_NONAME", -3: "EAI_AGAIN", -4: "EAI_FAIL", -5: "EAI_NODATA", -9: "EAI_ADDRFAMILY", -11: "EAI_SYSTEM",
    ]

    /// The Linux errnos that matter on sockets, with their names and standard messages.
    static let linuxErrnos: [Int32: (name: String, message: String)] = [
        1: ("EPERM", "Operation not permitted"),
        4: ("EINTR", "Interrupted system call"),
        9: ("EBADF", "Bad file descriptor"),
        11: ("EAGAIN", "Resource temporarily unavailable"),
        13: ("EACCES", "Permission denied"),
        22: ("EINVAL", "Invalid argument"),
        24: ("EMFILE", "Too many open files"),
        32: ("EPIPE", "Broken pipe"),
        88: ("ENOTSOCK", "Socket operation on non-socket"),
        91: ("EPROTOTYPE", "Protocol wrong type for socket"),
        97: ("EAFNOSUPPORT", "Address family not supported by protocol"),
        98: ("EADDRINUSE", "Address already in use"),
        99: ("EADDRNOTAVAIL", "Cannot assign requested address"),
        100: ("ENETDOWN", "Network is down"),
        101: ("ENETUNREACH", "Network is unreachable"),
        103: ("ECONNABORTED", "Software caused connection abort"),
        104: ("ECONNRESET", "Connection reset by peer"),
        105: ("ENOBUFS", "No buffer space available"),
        107: ("ENOTCONN", "Transport endpoint is not connected"),
        108: ("ESHUTDOWN", "Cannot send after transport endpoint shutdown"),
        110: ("ETIMEDOUT", "Connection timed out"),
        111: ("ECONNREFUSED", "Connection refused"),
        112: ("EHOSTDOWN", "Host is down"),
        113: ("EHOSTUNREACH", "No route to host"),
        115: ("EINPROGRESS", "Operation now in progress"),
    ]
}

extension SystemErrorInfo: CustomStringConvertible {
    /// `"ECONNRESET (Connection reset by peer)"`, or the message alone when there is no name.
    public var description: String {
        if let name = self.name {
            return "\(name) (\(self.message))"
        }
        return self.message
    }
}
