/// An error of ``HeedVaporServer``.
public struct HeedVaporError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case alreadyStarted
        case unixDomainSocketUnsupported(path: String)
        case notListening
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// `start` was called on a server that is running.
    public static let alreadyStarted = Self(.alreadyStarted)

    /// The server was asked to listen on a Unix domain socket; it listens on TCP only.
    /// - Parameter path: The socket path asked for.
    public static func unixDomainSocketUnsupported(path: String) -> Self {
        Self(.unixDomainSocketUnsupported(path: path))
    }

    /// The server stopped before it was listening.
    public static let notListening = Self(.notListening)

    public var description: String {
        switch self.code {
        case .alreadyStarted:
            "the HeedVapor server is already running"
        case .unixDomainSocketUnsupported(let path):
            "the HeedVapor server listens on TCP only, not on the Unix domain socket \(path)"
        case .notListening:
            "the HeedVapor server stopped before it was listening"
        }
    }
}
