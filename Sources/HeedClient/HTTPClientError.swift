public import HeedCore

/// Why a request failed, told in plain words.
///
/// Every description names the phase the exchange was in, the request body bytes sent of the
/// total, what the peer did (closed, reset, stayed silent) and the underlying system error by name.
public struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidURL(HTTPURLError)
        case connectFailed(host: String, port: Int, error: ExchangeFailure.SystemError)
        case nameResolutionFailed(host: String, message: String)
        /// `host:port` is the peer of the step that ran out of time: the proxy while its tunnel opens. `seconds`
        /// were allowed from the start of the connect, ended by the request's deadline if `byDeadline`.
        case connectTimeout(host: String, port: Int, seconds: Double, step: ConnectStep, byDeadline: Bool)
        case exchange(ExchangeFailure, context: Context)
        case responseBodyTooLarge(limit: Int)
        case invalidRequest(String)
        case shutdown
        case connectionPoolTimeout(host: String, port: Int, limit: Int)
        case cancelledWaitingForConnection(host: String, port: Int, limit: Int)
        /// A streamed response body read after its consumer closure returned (`afterConsumer`), or after an earlier
        /// iteration stopped early and the connection dropped it.
        case responseBodyUnreadable(method: String, url: String, afterConsumer: Bool)
        case feature(FeatureFailure)
    }

    /// The step of connection setup that ran out of time; the connect timeout covers them all.
    enum ConnectStep: Hashable, Sendable {
        /// The TCP connect.
        case tcp
        /// The proxy's answer to `CONNECT target`.
        case proxyTunnel(target: String)
        /// The TLS handshake with the origin.
        case tlsHandshake

        /// The timeout the timeline records.
        var timeoutKind: TimeoutKind {
            switch self {
            case .tcp: .connect
            case .proxyTunnel: .proxyConnect
            case .tlsHandshake: .tlsHandshake
            }
        }
    }

    /// The request the failure belongs to, for descriptions.
    struct Context: Hashable, Sendable {
        /// Empty for a failure raised below the request (connection setup), until ``with(timeline:)`` fills it in.
        var method: String
        var url: String
        var requestBodyLength: Int64?
    }

    private var code: Code
    /// What happened, event by event, as far as the client saw it.
    public private(set) var timeline: ExchangeTimeline?
    private init(_ code: Code) { self.code = code }

    /// This error with the timeline that explains it; a failure raised during connection setup also takes the
    /// request's method and URL from it.
    func with(timeline: ExchangeTimeline?) -> Self {
        var copy = self
        copy.timeline = timeline ?? copy.exchangeFailure?.timeline
        if case .exchange(let failure, let context) = copy.code, context.method.isEmpty, let timeline {
            let request = Context(
                method: timeline.method,
                url: timeline.target,
                requestBodyLength: timeline.requestBodyLength
            )
            copy.code = .exchange(failure, context: request)
        }
        return copy
    }

    /// The timeline event that records this error, for connect-phase failures.
    var connectEvent: ExchangeEvent.Kind? {
        switch self.code {
        case .connectFailed(_, _, let error): .connectFailed(error)
        case .nameResolutionFailed(_, let message):
            .resolutionFailed(SystemErrorInfo(errno: nil, name: "EAI_NONAME", message: message))
        case .connectTimeout(_, _, _, let step, _): .timeoutFired(step.timeoutKind)
        case .exchange(let failure, _) where failure.reason == .cancelled:
            .closedByUs(reason: "the request was cancelled while the connection was being set up")
        default: self.isTLSFailure ? .tlsFailed(reason: self.detail) : nil
        }
    }

    /// The diagnosis of the failure: the summary sentence, likely causes, evidence and advice.
    public var diagnosis: Diagnosis? {
        guard let timeline = self.timeline else { return nil }
        return DiagnosisEngine.diagnose(timeline)
    }

    /// A multi-line report for logs and `heed -v`: the summary, the timeline in two columns, the
    /// kernel's TCP view, the likely causes and what to do.
    public var report: String {
        guard let timeline = self.timeline, let diagnosis = self.diagnosis else { return self.description }
        return diagnosis.report(timeline: timeline)
    }

    static func invalidURL(_ error: HTTPURLError) -> Self { Self(.invalidURL(error)) }
    static func connectFailed(host: String, port: Int, error: ExchangeFailure.SystemError) -> Self {
        Self(.connectFailed(host: host, port: port, error: error))
    }
    static func nameResolutionFailed(host: String, message: String) -> Self {
        Self(.nameResolutionFailed(host: host, message: message))
    }
    static func connectTimeout(
        host: String,
        port: Int,
        seconds: Double,
        step: ConnectStep = .tcp,
        byDeadline: Bool = false
    ) -> Self {
        Self(.connectTimeout(host: host, port: port, seconds: seconds, step: step, byDeadline: byDeadline))
    }
    /// The caller cancelled while the connection for `url` was being set up: the same error as a cancelled
    /// exchange, so that cancellation reads one way. The request's method comes with the timeline.
    static func cancelled(during phase: ExchangePhase, url: String) -> Self {
        let failure = ExchangeFailure(reason: .cancelled, phase: phase)
        return Self(.exchange(failure, context: Context(method: "", url: url, requestBodyLength: nil)))
    }
    static func exchange(_ failure: ExchangeFailure, context: Context) -> Self {
        Self(.exchange(failure, context: context))
    }
    static func responseBodyTooLarge(limit: Int) -> Self { Self(.responseBodyTooLarge(limit: limit)) }
    static func invalidRequest(_ reason: String) -> Self { Self(.invalidRequest(reason)) }
    /// The client was shut down (its `withClient` scope ended) before the request could complete: it was under way,
    /// waiting for a connection, or made after the scope ended.
    public static let shutdown = Self(.shutdown)
    /// Every connection allowed to the request's host was busy until the request's deadline.
    static func connectionPoolTimeout(_ key: ConnectionKey, limit: Int) -> Self {
        Self(.connectionPoolTimeout(host: key.host, port: key.port, limit: limit))
    }
    /// The request's task was cancelled while it waited for a connection.
    static func cancelledWaitingForConnection(_ key: ConnectionKey, limit: Int) -> Self {
        Self(.cancelledWaitingForConnection(host: key.host, port: key.port, limit: limit))
    }
    /// The streamed response body of `method url` can no longer be read (see ``Code/responseBodyUnreadable``).
    static func responseBodyUnreadable(method: String, url: String, afterConsumer: Bool) -> Self {
        Self(.responseBodyUnreadable(method: method, url: url, afterConsumer: afterConsumer))
    }
    static func feature(_ failure: FeatureFailure) -> Self { Self(.feature(failure)) }

    /// The TLS, redirect, decompression or proxy failure, if it is one.
    var featureFailure: FeatureFailure? {
        if case .feature(let failure) = self.code { return failure }
        return nil
    }

    /// The exchange record behind the failure, when the connection was open.
    public var exchangeFailure: ExchangeFailure? {
        if case .exchange(let failure, _) = self.code { return failure }
        return nil
    }

    /// Whether a timer ended the request.
    public var isTimeout: Bool {
        switch self.code {
        case .connectTimeout, .connectionPoolTimeout: return true
        case .exchange(let failure, _):
            if case .timeout = failure.reason { return true }
            return false
        default: return false
        }
    }

    /// Whether the failure happened before a connection was established.
    public var isConnectFailure: Bool {
        switch self.code {
        case .connectFailed, .nameResolutionFailed, .connectTimeout: true
        default: false
        }
    }

    /// A stable label without details, for metrics and exit codes.
    public var shortDescription: String {
        switch self.code {
        case .invalidURL: "invalid-url"
        case .connectFailed: "connect-failed"
        case .nameResolutionFailed: "name-resolution-failed"
        case .connectTimeout(_, _, _, .tcp, _): "connect-timeout"
        case .connectTimeout(_, _, _, .proxyTunnel, _): "proxy-connect-timeout"
        case .connectTimeout(_, _, _, .tlsHandshake, _): "tls-handshake-timeout"
        case .exchange(let failure, _):
            switch failure.reason {
            case .closedWithoutResponse: "closed-without-response"
            case .resetWithoutResponse: "reset-without-response"
            case .writeFailedWithoutResponse: "write-failed-without-response"
            case .responseTruncated: "response-truncated"
            case .protocolViolation: "protocol-violation"
            case .timeout(let kind): "timeout-\(kind.rawValue)"
            case .requestBodySourceFailed: "request-body-source-failed"
            case .cancelled: "cancelled"
            }
        case .responseBodyTooLarge: "response-body-too-large"
        case .invalidRequest: "invalid-request"
        case .shutdown: "shutdown"
        case .connectionPoolTimeout: "connection-pool-timeout"
        case .cancelledWaitingForConnection: "cancelled"
        case .responseBodyUnreadable: "response-body-unreadable"
        case .feature(let failure): failure.shortDescription
        }
    }

    /// The diagnosis's one-sentence summary when the client recorded what happened, otherwise ``detail``.
    public var description: String {
        // TLS, redirect, decompression and proxy failures, and a proxy or TLS step that ran out of time, have
        // sentences of their own, more precise than a rule's (the timeline does not know the proxy).
        if self.featureFailure == nil, !self.isSetupStepTimeout, let diagnosis = self.diagnosis,
            diagnosis.rule != "unexplained-failure"
        {
            return diagnosis.summary
        }
        return self.detail
    }

    /// The failure told from the exchange's own record: phase, bytes, errors.
    public var detail: String {
        switch self.code {
        case .invalidURL(let error):
            return error.description
        case .connectFailed(let host, let port, let error):
            return "Could not connect to \(host):\(port): \(Self.describe(error))."
        case .nameResolutionFailed(let host, let message):
            return "Could not resolve the host name '\(host)': \(message)."
        case .connectTimeout(let host, let port, let seconds, .tcp, _):
            return "Timed out after \(Self.seconds(seconds)) connecting to \(host):\(port); nothing answered."
        case .connectTimeout(let host, let port, let seconds, .proxyTunnel(let target), let byDeadline):
            return
                "The proxy \(Self.address(host, port)) did not answer the CONNECT to \(target) \(Self.limit(seconds, byDeadline)); no request was sent."
        case .connectTimeout(let host, let port, let seconds, .tlsHandshake, let byDeadline):
            return
                "The TLS handshake with \(Self.address(host, port)) did not finish \(Self.limit(seconds, byDeadline)): the server accepted the connection but did not complete the handshake; no request was sent."
        case .exchange(let failure, let context):
            return Self.describe(failure, context: context)
        case .responseBodyTooLarge(let limit):
            return "The response body is larger than the limit of \(HumanUnits.bytes(Int64(limit)))."
        case .invalidRequest(let reason):
            return "The request is not valid: \(reason)."
        case .shutdown:
            return
                "The HTTP client was shut down (its withClient scope ended) before the request could complete; a request made after that is never sent."
        case .connectionPoolTimeout(let host, let port, let limit):
            let busy = limit == 1 ? "it stayed busy" : "all stayed busy"
            return
                "Timed out waiting for \(Self.pooled(limit)) to \(host):\(port) (maxConnectionsPerHost): \(busy) until the request's deadline; nothing was sent."
        case .cancelledWaitingForConnection(let host, let port, let limit):
            return
                "The request was cancelled while it waited for \(Self.pooled(limit)) to \(host):\(port) (maxConnectionsPerHost); nothing was sent."
        case .responseBodyUnreadable(let method, let url, afterConsumer: true):
            return
                "The response body of \(method) \(url) was read after the closure given to execute(_:body:timeout:streamingResponse:) returned; it can only be read inside that closure."
        case .responseBodyUnreadable(let method, let url, afterConsumer: false):
            return
                "The response body of \(method) \(url) can no longer be read: an earlier iteration stopped before its end, which closed the connection; iterate the body once."
        case .feature(let failure):
            return failure.description
        }
    }

    // MARK: - Sentences

    private static func describe(_ failure: ExchangeFailure, context: Context) -> String {
        let request = context.method.isEmpty ? context.url : "\(context.method) \(context.url)"
        let sent = Self.sentClause(failure, context: context)
        switch failure.reason {
        case .closedWithoutResponse:
            return
                "The server closed the connection \(failure.phase.words) of \(request) without sending any response\(sent)."
        case .resetWithoutResponse:
            let error = failure.readError.map { " (\(Self.describe($0)))" } ?? ""
            return
                "The server reset the connection \(failure.phase.words) of \(request)\(error) without sending any response\(sent)."
        case .writeFailedWithoutResponse:
            let error = failure.writeError.map { Self.describe($0) } ?? "an unknown error"
            let read = failure.readError.map { "; reading then failed too (\(Self.describe($0)))" } ?? ""
            return
                "Sending \(request) failed \(failure.phase.words) with \(error), and the server sent no response before the connection closed\(sent)\(read). The server, or a proxy in front of it, refused or dropped the request."
        case .responseTruncated:
            return
                "The connection ended while the response body of \(request) was arriving: \(HumanUnits.bytes(failure.bodyBytesReceived)) received, fewer than the server announced. The response is incomplete."
        case .protocolViolation(let what):
            return
                "The server's response to \(request) is not valid HTTP/1.1 (\(what)) \(failure.phase.words); the connection was closed."
        case .timeout(let kind):
            switch kind {
            case .connect, .proxyConnect, .tlsHandshake: return "Timed out connecting for \(request)."
            case .readIdle:
                return
                    "Timed out \(failure.phase.words) of \(request): nothing arrived from the server and nothing could be sent for the read timeout\(sent)."
            case .request:
                return "The request \(request) did not complete within its time limit \(failure.phase.words)\(sent)."
            case .continueWait:
                return "Timed out waiting for the server to answer Expect: 100-continue for \(request)."
            }
        case .requestBodySourceFailed(let reason):
            return "Reading the request body of \(request) failed \(failure.phase.words)\(sent): \(reason)."
        case .cancelled:
            return "The request \(request) was cancelled \(failure.phase.words)\(sent)."
        }
    }

    private static func sentClause(_ failure: ExchangeFailure, context: Context) -> String {
        guard let total = context.requestBodyLength else {
            return failure.bodyBytesSent > 0 ? " (\(HumanUnits.bytes(failure.bodyBytesSent)) of the body sent)" : ""
        }
        guard total > 0 else { return "" }
        return " (\(HumanUnits.bytes(failure.bodyBytesSent)) of \(HumanUnits.bytes(total)) of the body sent)"
    }

    static func describe(_ error: ExchangeFailure.SystemError) -> String {
        switch (error.name, error.errno) {
        case (let name?, let number?): "\(name), errno \(number): \(error.message)"
        case (let name?, nil): "\(name): \(error.message)"
        case (nil, let number?): "errno \(number): \(error.message)"
        case (nil, nil): error.message
        }
    }

    /// `host:port`, with an IPv6 address in brackets.
    private static func address(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Whether the proxy tunnel or the TLS handshake ran out of the connect timeout.
    private var isSetupStepTimeout: Bool {
        if case .connectTimeout(_, _, _, let step, _) = self.code { return step != .tcp }
        return false
    }

    /// "within 10 s (the connect timeout)", or "in the 480 ms left before the request's deadline".
    private static func limit(_ seconds: Double, _ byDeadline: Bool) -> String {
        byDeadline
            ? "in the \(Self.seconds(seconds)) left before the request's deadline"
            : "within \(Self.seconds(seconds)) (the connect timeout)"
    }

    /// "one of the 4 connections allowed", "the only connection allowed".
    private static func pooled(_ limit: Int) -> String {
        limit == 1 ? "the only connection allowed" : "one of the \(limit) connections allowed"
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(Int((value * 1000).rounded())) ms"
    }
}
