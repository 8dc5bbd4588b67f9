/// Why an exchange failed, with the evidence gathered on the way.
///
/// This is the pure, socket-free record that the client turns into its public error.
public struct ExchangeFailure: Sendable, Hashable {
    /// An operating-system error as a plain value.
    public struct SystemError: Sendable, Hashable {
        /// The errno value, when the failure came from a system call.
        public var errno: Int32?
        /// The errno's symbolic name (`ECONNRESET`), when known.
        public var name: String?
        /// The text the system or the library gave.
        public var message: String

        public init(errno: Int32?, name: String?, message: String) {
            self.errno = errno
            self.name = name
            self.message = message
        }
    }

    /// The timers a client runs.
    public enum TimeoutKind: String, Sendable, Hashable, Codable {
        case connect
        case readIdle
        case request
    }

    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The connection closed cleanly (FIN) before any response byte.
        case closedWithoutResponse
        /// The connection was reset before any response byte.
        case resetWithoutResponse
        /// Writing failed and no response had arrived when the connection closed.
        case writeFailedWithoutResponse
        /// The connection ended inside the response body.
        case responseTruncated
        /// The peer broke HTTP/1.1.
        case protocolViolation(String)
        /// The request body's source failed (a file read error, a throwing sequence).
        case requestBodySourceFailed(String)
        /// A timer fired.
        case timeout(TimeoutKind)
        /// The caller cancelled.
        case cancelled
    }

    public var reason: Reason
    public var phase: ExchangePhase
    public var bodyBytesSent: Int64
    public var bodyBytesReceived: Int64
    public var writeError: SystemError?
    public var readError: SystemError?

    public init(
        reason: Reason,
        phase: ExchangePhase,
        bodyBytesSent: Int64,
        bodyBytesReceived: Int64,
        writeError: SystemError?,
        readError: SystemError?
    ) {
        self.reason = reason
        self.phase = phase
        self.bodyBytesSent = bodyBytesSent
        self.bodyBytesReceived = bodyBytesReceived
        self.writeError = writeError
        self.readError = readError
    }
}
