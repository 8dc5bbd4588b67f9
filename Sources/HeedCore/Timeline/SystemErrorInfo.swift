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
        let known = errno.flatMap { SocketErrorCatalogue.entry(linuxErrno: $0) }
        let file = known == nil ? errno.flatMap { Self.fileErrors[$0] } : nil
        self.name = name ?? known?.name ?? file?.name
        self.message = message.isEmpty ? (known?.linuxMessage ?? file?.message ?? "Unknown error") : message
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
            let name =
                SocketErrorCatalogue.entry(linuxAddressInfoError: Int32(unknownHost.errorCode))?.name ?? "EAI_NONAME"
            return Self(errno: nil, name: name, message: unknownHost.errorDescription)
        }
        return nil
    }
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
