import NIOCore

/// Everything the rules need, derived once from a timeline (and the error that ended it, if given).
struct DiagnosisFacts {
    let timeline: ExchangeTimeline
    /// The current (last) attempt, with the error's information folded in.
    let attempt: ExchangeAttempt
    /// The attempts before the current one, oldest first.
    let previousAttempts: [ExchangeAttempt]
    /// The phase the current attempt ended in.
    let phase: ExchangePhase
    /// The error's text, when it carried no system error the rules understand.
    let errorDescription: String?

    init(timeline: ExchangeTimeline, error: (any Error)?) {
        let attempts = timeline.attemptSlices.map { ExchangeAttempt($0) }
        var attempt = attempts[attempts.count - 1]
        var errorDescription: String? = nil
        if let error {
            if let channelError = error as? ChannelError, case .connectTimeout(let amount) = channelError {
                if attempt.timeout == nil {
                    attempt.timeout = .connect
                    let start = attempt.connectingAt ?? attempt.startedAt
                    attempt.timeoutAt = start + UInt64(clamping: amount.nanoseconds)
                }
            } else if let info = SystemErrorInfo.extracted(from: error) {
                if info.name?.hasPrefix("EAI_") == true {
                    attempt.resolutionFailure = attempt.resolutionFailure ?? info
                } else if !attempt.connected {
                    attempt.connectFailure = attempt.connectFailure ?? info
                } else if attempt.socketError == nil {
                    attempt.readFailure = info
                }
            } else {
                errorDescription = String(describing: error)
            }
        }
        self.timeline = timeline
        self.attempt = attempt
        self.previousAttempts = Array(attempts.dropLast())
        self.phase = attempt.phase(in: timeline)
        self.errorDescription = errorDescription
    }

    // MARK: - Derived facts

    /// Whether the current attempt ended with a complete response.
    var succeeded: Bool {
        self.attempt.responseFinished
    }

    /// `"host:port"`.
    var endpoint: String {
        "\(self.timeline.host):\(self.timeline.port)"
    }

    /// Whether the request has a body.
    var hasBody: Bool {
        self.attempt.hasBody(declaredLength: self.timeline.requestBodyLength)
    }

    /// The full body length, if known: declared up front or learnt when the body finished.
    var bodyTotal: Int64? {
        self.timeline.requestBodyLength ?? (self.attempt.bodyFinished ? self.attempt.bodySent : nil)
    }

    /// Whether the method may be retried safely (RFC 9110 §9.2.2).
    var isIdempotent: Bool {
        ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(self.timeline.method.uppercased())
    }

    /// Whether the peer closed or reset the connection after the request head was sent but before any response byte
    /// arrived.
    var closedBeforeResponse: Bool {
        self.attempt.headSent && self.attempt.response == nil && (self.attempt.fin || self.attempt.resetSeen)
    }

    /// Request body bytes the peer acknowledged, from `TCP_INFO` (its `bytesAcked` minus the request head).
    var bodyBytesAcked: Int64? {
        guard let acked = self.attempt.tcpInfo?.bytesAcked else {
            return nil
        }
        let body = Int64(clamping: acked) - Int64(self.attempt.headBytes)
        return min(max(body, 0), self.attempt.bodySent)
    }

    /// The catalogue name of the socket error that ended the attempt, else `fallback`.
    func catalogueName(orElse fallback: String?) -> String? {
        self.attempt.socketError?.name ?? fallback
    }

    // MARK: - Phrases

    /// `"1.1 MB of 32 MB"` when the body length is known, else `"1.1 MB"`.
    func bodyProgress(_ sent: Int64) -> String {
        guard let total = self.bodyTotal else {
            return HumanUnits.bytes(sent)
        }
        return "\(HumanUnits.bytes(sent)) of \(HumanUnits.bytes(total))"
    }

    /// `"512 KB of 2 MB"` for a response body with a known length, else `"512 KB"`.
    var responseProgress: String {
        let received = HumanUnits.bytes(self.attempt.bodyReceived)
        guard let length = self.attempt.response?.contentLength else {
            return received
        }
        return "\(received) of \(HumanUnits.bytes(length))"
    }

    /// `"32 MB body"` or `"no body"`: what the whole request carried.
    var requestContent: String {
        self.hasBody ? "\(HumanUnits.bytes(self.attempt.bodySent)) body" : "no body"
    }

    /// `"reset"` or `"closed"`: how the peer ended the connection.
    var closeVerb: String {
        self.attempt.resetSeen ? "reset" : "closed"
    }

    /// The peer's action when the connection ended without a response.
    var closeAction: PeerAction {
        self.attempt.resetSeen ? .reset : (self.attempt.fin ? .closedCleanly : .nothing)
    }

    /// The advice to use `Expect: 100-continue`, when the request has a body and did not use it.
    var expectContinueAdvice: [String] {
        guard self.hasBody, !self.timeline.expectsContinue else {
            return []
        }
        return ["Send the request with Expect: 100-continue so the server can refuse it before the body is sent."]
    }
}
