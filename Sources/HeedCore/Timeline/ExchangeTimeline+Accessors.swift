extension ExchangeTimeline {
    /// The events of each attempt, split at ``ExchangeEvent/Kind/retried(reason:)`` (which ends its attempt).
    var attemptSlices: [ArraySlice<ExchangeEvent>] {
        var slices: [ArraySlice<ExchangeEvent>] = []
        var start = self.events.startIndex
        for index in self.events.indices {
            if case .retried = self.events[index].kind {
                slices.append(self.events[start...index])
                start = index + 1
            }
        }
        slices.append(self.events[start...])
        return slices
    }

    /// The last (current) attempt, folded.
    var currentAttempt: ExchangeAttempt {
        let slices = self.attemptSlices
        return ExchangeAttempt(slices[slices.count - 1])
    }

    /// How many attempts the timeline holds (one more than the number of retries).
    public var attemptCount: Int {
        1 + self.events.count { if case .retried = $0.kind { true } else { false } }
    }

    /// Request body bytes sent in the current attempt.
    public var bytesSent: Int64 {
        self.currentAttempt.bodySent
    }

    /// Response body bytes received in the current attempt.
    public var bytesReceived: Int64 {
        self.currentAttempt.bodyReceived
    }

    /// The final response status of the current attempt, if its head arrived.
    public var responseStatus: Int? {
        self.currentAttempt.response?.status
    }

    /// The phase the current attempt is in (at a failure: the phase it failed in).
    public var phase: ExchangePhase {
        self.currentAttempt.phase(in: self)
    }

    /// Whether the peer closed its side (FIN) during the current attempt.
    public var sawFIN: Bool {
        self.currentAttempt.fin
    }

    /// Whether the peer reset the connection during the current attempt, seen directly or through
    /// `ECONNRESET`/`EPIPE`/`ECONNABORTED`.
    public var sawReset: Bool {
        self.currentAttempt.resetSeen
    }

    /// The last `TCP_INFO` snapshot of the current attempt, if one was recorded.
    public var tcpInfo: TCPInfoSnapshot? {
        self.currentAttempt.tcpInfo
    }

    /// Nanoseconds from the start of the exchange to the last recorded event.
    public var elapsed: UInt64 {
        self.events.last?.at ?? 0
    }
}
