/// What one attempt of an exchange did, folded out of its events in a single pass.
struct ExchangeAttempt: Hashable {
    /// The final response head, as recorded.
    struct ResponseHead: Hashable {
        var status: Int
        var reason: String
        var connectionClose: Bool
        var contentLength: Int64?
        /// Request body bytes sent when the head arrived.
        var bodySentBefore: Int64
        /// Whether the request body was complete when the head arrived.
        var bodyWasComplete: Bool
    }

    var startedAt: UInt64 = 0
    var resolved: [String]?
    var resolutionFailure: SystemErrorInfo?
    var connectingAddress: String?
    var connectingAt: UInt64?
    var connectFailure: SystemErrorInfo?
    var connected = false
    var reused = false
    var previousRequests = 0
    var remote: String?
    var tlsEstablished = false
    var tlsFailure: String?
    var headSent = false
    var headBytes = 0
    var bodySent: Int64 = 0
    var bodyFinished = false
    var bodyStopped = false
    var continueReceived = false
    var continueExpired = false
    var response: ResponseHead?
    var bodyReceived: Int64 = 0
    var responseFinished = false
    var fin = false
    var reset = false
    var writeFailure: SystemErrorInfo?
    var readFailure: SystemErrorInfo?
    var timeout: TimeoutKind?
    var timeoutAt: UInt64?
    /// When the last event before the timeout happened: the start of the silence a read-idle timeout measures.
    var lastActivityAt: UInt64 = 0
    var closedByUs: String?
    var tcpInfo: TCPInfoSnapshot?
    /// Why this attempt was abandoned for a new one, if it was.
    var retryReason: String?
    var endedAt: UInt64 = 0

    /// Folds the events of one attempt.
    init(_ events: ArraySlice<ExchangeEvent>) {
        self.startedAt = events.first?.at ?? 0
        for event in events {
            self.apply(event)
        }
    }

    private mutating func apply(_ event: ExchangeEvent) {
        self.endedAt = max(self.endedAt, event.at)
        switch event.kind {
        case .resolved(let addresses): self.resolved = addresses
        case .resolutionFailed(let info): self.resolutionFailure = info
        case .waitingForConnection:
            // Only the report shows it: a wait that ends in time changes nothing, and one that does not fails with
            // the pool's own error before the exchange starts.
            break
        case .connecting(let address):
            self.connectingAddress = address
            self.connectingAt = event.at
        case .connectFailed(let info): self.connectFailure = info
        case .connected(_, let remote):
            self.connected = true
            self.remote = remote
        case .reusedConnection(_, let remote, let previousRequests):
            self.connected = true
            self.reused = true
            self.remote = remote
            self.previousRequests = previousRequests
        case .tlsEstablished: self.tlsEstablished = true
        case .tlsFailed(let reason): self.tlsFailure = reason
        case .requestHeadSent(let bytes):
            self.headSent = true
            self.headBytes = bytes
        case .bodyBytesSent(let total): self.bodySent = max(self.bodySent, total)
        case .requestBodyFinished(let total):
            self.bodySent = max(self.bodySent, total)
            self.bodyFinished = true
        case .requestBodyStopped(let total):
            self.bodySent = max(self.bodySent, total)
            self.bodyStopped = true
        case .continueReceived: self.continueReceived = true
        case .continueTimeoutExpired: self.continueExpired = true
        case .responseHeadReceived(let status, let reason, let connectionClose, let contentLength):
            // Informational heads other than 100 (for example 103) are not final answers.
            guard status >= 200 else {
                break
            }
            self.response = ResponseHead(
                status: status,
                reason: reason,
                connectionClose: connectionClose,
                contentLength: contentLength,
                bodySentBefore: self.bodySent,
                bodyWasComplete: self.bodyFinished
            )
        case .bodyBytesReceived(let total): self.bodyReceived = max(self.bodyReceived, total)
        case .responseFinished(let total):
            self.bodyReceived = max(self.bodyReceived, total)
            self.responseFinished = true
        case .finReceived: self.fin = true
        case .resetReceived: self.reset = true
        case .writeFailed(let info): self.writeFailure = self.writeFailure ?? info
        case .readFailed(let info): self.readFailure = self.readFailure ?? info
        case .timeoutFired(let kind):
            if kind == .continueWait {
                self.continueExpired = true
            } else if self.timeout == nil {
                self.timeout = kind
                self.timeoutAt = event.at
            }
        case .closedByUs(let reason): self.closedByUs = self.closedByUs ?? reason
        case .retried(let reason): self.retryReason = reason
        case .tcpInfo(let info): self.tcpInfo = info
        }
        if self.timeout == nil, !event.kind.isTimeout {
            self.lastActivityAt = event.at
        }
    }

    // MARK: - Derived facts

    /// Whether the peer reset the connection, directly seen or implied by a socket error.
    var resetSeen: Bool {
        if self.reset {
            return true
        }
        let names = [self.writeFailure?.name, self.readFailure?.name]
        return names.contains { $0 == "ECONNRESET" || $0 == "EPIPE" || $0 == "ECONNABORTED" }
    }

    /// The socket error that ended the attempt, if any: the read error first (it is the peer's word), then the write
    /// error.
    var socketError: SystemErrorInfo? {
        self.readFailure ?? self.writeFailure
    }

    /// Whether the request has a body, given what the timeline knows.
    func hasBody(declaredLength: Int64?) -> Bool {
        if let declaredLength {
            return declaredLength > 0
        }
        return self.bodySent > 0 || !self.bodyFinished
    }

    /// The phase the attempt was in when it ended.
    func phase(in timeline: ExchangeTimeline) -> ExchangePhase {
        if self.resolutionFailure != nil {
            return .resolving
        }
        if !self.connected {
            let startedConnecting = self.connectingAddress != nil || self.connectFailure != nil
            return startedConnecting || self.resolved != nil ? .connecting : .resolving
        }
        if timeline.usesTLS, !self.reused, !self.tlsEstablished {
            return .tlsHandshake
        }
        if !self.headSent {
            return .sendingHead
        }
        if self.responseFinished {
            return .completed
        }
        if self.response != nil {
            return .receivingBody
        }
        let bodyDone =
            self.bodyFinished || self.bodyStopped || !self.hasBody(declaredLength: timeline.requestBodyLength)
        if bodyDone {
            return .awaitingResponse
        }
        let waitingForContinue =
            timeline.expectsContinue && !self.continueReceived && !self.continueExpired && self.bodySent == 0
        return waitingForContinue ? .awaitingResponse : .sendingBody
    }
}

extension ExchangeEvent.Kind {
    var isTimeout: Bool {
        if case .timeoutFired = self {
            return true
        }
        return false
    }
}
