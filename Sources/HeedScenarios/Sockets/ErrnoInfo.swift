import Glibc

/// A socket error number with its name, its message and the code Windows reports for the same moment.
public struct ErrnoInfo: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The POSIX error number (`104`).
    public var code: Int32
    /// The symbolic name (`ECONNRESET`).
    public var name: String
    /// The C library's message (`Connection reset by peer`).
    public var message: String
    /// The Windows Sockets name for the same event (`WSAECONNRESET`), when there is one.
    public var windowsName: String?
    /// The Windows Sockets number for the same event (`10054`), when there is one.
    public var windowsCode: Int?

    /// Describes an error number.
    /// - Parameter code: A POSIX error number, as `errno` holds it.
    public init(code: Int32) {
        self.code = code
        let known = Self.catalogue[code]
        self.name = known?.name ?? "errno \(code)"
        self.message = String(cString: strerror(code))
        self.windowsName = known?.windows?.name
        self.windowsCode = known?.windows?.code
    }

    /// `ECONNRESET (104, Connection reset by peer)`.
    public var description: String {
        "\(self.name) (\(self.code), \(self.message))"
    }

    /// `WSAECONNRESET (10054)`, or `nil` when Windows has no twin for this error.
    public var windowsDescription: String? {
        guard let name = self.windowsName, let code = self.windowsCode else { return nil }
        return "\(name) (\(code))"
    }

    private static let catalogue: [Int32: (name: String, windows: (name: String, code: Int)?)] = [
        EPIPE: ("EPIPE", ("WSAECONNABORTED", 10053)),
        ECONNRESET: ("ECONNRESET", ("WSAECONNRESET", 10054)),
        ECONNABORTED: ("ECONNABORTED", ("WSAECONNABORTED", 10053)),
        ECONNREFUSED: ("ECONNREFUSED", ("WSAECONNREFUSED", 10061)),
        ETIMEDOUT: ("ETIMEDOUT", ("WSAETIMEDOUT", 10060)),
        ENOTCONN: ("ENOTCONN", ("WSAENOTCONN", 10057)),
        EHOSTUNREACH: ("EHOSTUNREACH", ("WSAEHOSTUNREACH", 10065)),
        ENETUNREACH: ("ENETUNREACH", ("WSAENETUNREACH", 10051)),
        EADDRINUSE: ("EADDRINUSE", ("WSAEADDRINUSE", 10048)),
        EMFILE: ("EMFILE", ("WSAEMFILE", 10024)),
    ]
}
