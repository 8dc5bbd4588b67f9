/// Why an exchange failed, with the evidence gathered on the way.
///
/// This is the pure, socket-free record that the client turns into its public error.
public struct ExchangeFailure: Sendable, Hashable {
    /// An operating-system error as a plain value.
    public typealias SystemError = SystemErrorInfo

    /// The timers a client runs.
    public typealias TimeoutKind = HeedCore.TimeoutKind

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
    /// What happened, event by event, when the client recorded it.
    public var timeline: ExchangeTimeline?

    /// Creates a failure; the counts and errors default to none, as for a failure before anything was exchanged.
    public init(
        reason: Reason,
        phase: ExchangePhase,
        bodyBytesSent: Int64 = 0,
        bodyBytesReceived: Int64 = 0,
        writeError: SystemError? = nil,
        readError: SystemError? = nil,
        timeline: ExchangeTimeline? = nil
    ) {
        self.timeline = timeline
        self.reason = reason
        self.phase = phase
        self.bodyBytesSent = bodyBytesSent
        self.bodyBytesReceived = bodyBytesReceived
        self.writeError = writeError
        self.readError = readError
    }
}
