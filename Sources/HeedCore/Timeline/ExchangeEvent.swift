/// One thing that happened during an HTTP exchange, stamped with the time it happened.
///
/// A client connection records these into an ``ExchangeTimeline`` as it works; the ``DiagnosisEngine`` reads them back
/// to explain a failure.
public struct ExchangeEvent: Sendable, Hashable, Codable {
    /// Nanoseconds since the exchange started.
    public var at: UInt64
    /// What happened.
    public var kind: Kind

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - at: Nanoseconds since the exchange started.
    ///   - kind: What happened.
    public init(at: UInt64, kind: Kind) {
        self.at = at
        self.kind = kind
    }

    /// What happened. Byte counts are cumulative totals for the current attempt.
    public enum Kind: Sendable, Hashable, Codable {
        /// The host name resolved to these addresses.
        case resolved(addresses: [String])
        /// Resolving the host name failed (for example `EAI_NONAME`).
        case resolutionFailed(SystemErrorInfo)
        /// Every connection the client allows to the host (`limit`) was busy: the request waited for one.
        case waitingForConnection(limit: Int)
        /// A connection attempt to this address started.
        case connecting(address: String)
        /// A connection attempt failed (for example `ECONNREFUSED`).
        case connectFailed(SystemErrorInfo)
        /// The TCP connection is established.
        case connected(local: String, remote: String)
        /// The request is sent on a pooled keep-alive connection instead of a new one.
        case reusedConnection(local: String, remote: String, previousRequests: Int)
        /// The TLS handshake finished.
        case tlsEstablished(protocolVersion: String?)
        /// The TLS handshake failed; `reason` is the TLS library's message.
        case tlsFailed(reason: String)
        /// The request head is written; `bytes` is its size on the wire.
        case requestHeadSent(bytes: Int)
        /// Request body bytes written so far (cumulative). Consecutive records coalesce.
        case bodyBytesSent(total: Int64)
        /// The whole request body is written.
        case requestBodyFinished(total: Int64)
        /// We stopped sending the body because the server answered early.
        case requestBodyStopped(total: Int64)
        /// The server sent `100 Continue`.
        case continueReceived
        /// The server did not answer `Expect: 100-continue` in time, so the body is sent anyway.
        case continueTimeoutExpired
        /// The final response head arrived.
        case responseHeadReceived(status: Int, reason: String, connectionClose: Bool, contentLength: Int64?)
        /// Response body bytes read so far (cumulative). Consecutive records coalesce.
        case bodyBytesReceived(total: Int64)
        /// The whole response body arrived.
        case responseFinished(total: Int64)
        /// The peer closed its sending side (TCP FIN, read returned end of file).
        case finReceived
        /// The peer reset the connection (TCP RST).
        case resetReceived
        /// A write to the socket failed.
        case writeFailed(SystemErrorInfo)
        /// A read from the socket failed.
        case readFailed(SystemErrorInfo)
        /// One of our timeouts fired.
        case timeoutFired(TimeoutKind)
        /// We closed the connection; `reason` says why.
        case closedByUs(reason: String)
        /// The request is retried on a new connection; the events after this belong to the new attempt.
        case retried(reason: String)
        /// The kernel's view of the connection (Linux `TCP_INFO`).
        case tcpInfo(TCPInfoSnapshot)
    }
}

/// The client timeouts that can end an exchange.
public enum TimeoutKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Establishing the TCP connection took too long.
    case connect
    /// The proxy did not answer `CONNECT` within the connect timeout (counted from the start of the TCP connect).
    case proxyConnect
    /// The TLS handshake did not finish within the connect timeout (counted from the start of the TCP connect).
    case tlsHandshake
    /// No bytes arrived from the server for too long.
    case readIdle
    /// The whole request took longer than its deadline.
    case request
    /// The server did not answer `Expect: 100-continue` within the wait.
    case continueWait
}
