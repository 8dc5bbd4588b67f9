// Rules for connections the peer closed or reset before any response byte arrived.
extension DiagnosisRule {
    /// A pooled keep-alive connection ended before any answer: the idle-close race.
    static let staleConnectionClosed = DiagnosisRule(
        name: "stale-connection-closed",
        matches: { $0.attempt.looksLikeStaleConnection },
        build: { facts in
            let sent =
                if !facts.hasBody {
                    "after the request was sent"
                } else if facts.attempt.bodyFinished {
                    "after the whole request was sent (\(facts.requestContent))"
                } else {
                    "while the request body was being sent (\(facts.bodyProgress(facts.attempt.bodySent)) sent)"
                }
            let retry =
                facts.isIdempotent
                ? "retrying it on a new connection is safe."
                : "\(facts.timeline.method) requests are not retried automatically because they are not idempotent."
            let previous = facts.attempt.previousRequests
            return Diagnosis(
                summary: "The server \(facts.closeVerb) the reused keep-alive connection without answering, "
                    + "\(sent). It most likely closed the connection for being idle just as this request was "
                    + "sent; \(retry)",
                phase: facts.phase,
                peerAction: facts.closeAction,
                causes: [
                    LikelyCause(
                        "The server closed the idle keep-alive connection as the request was sent.",
                        evidence: [
                            "The connection had served \(previous) request\(previous == 1 ? "" : "s") before.",
                            "It ended before any response byte arrived.",
                        ]
                    ),
                    LikelyCause("The server crashed while handling the request."),
                ],
                advice: [
                    "Retry the request on a new connection if repeating it is safe.",
                    "Make the client's idle timeout shorter than the server's keep-alive timeout.",
                ],
                catalogueName: facts.catalogueName(orElse: nil)
            )
        }
    )

    /// FIN or RST on a new connection before the request head was sent (during the TLS handshake, or as the head was
    /// written).
    static let closedBeforeRequest = DiagnosisRule(
        name: "closed-before-request",
        matches: { !$0.attempt.headSent && $0.attempt.response == nil && ($0.attempt.fin || $0.attempt.resetSeen) },
        build: { facts in
            let cause =
                facts.phase == .tlsHandshake
                ? "The server does not speak TLS on this port, or it rejected the handshake."
                : "The server accepts connections but closes them at once: it is overloaded, or a filter rejects "
                    + "this client."
            return Diagnosis(
                summary: "The server \(facts.closeVerb) the connection before the request was sent, "
                    + (facts.phase == .tlsHandshake ? "during the TLS handshake. " : "as its head was being written. ")
                    + cause,
                phase: facts.phase,
                peerAction: facts.closeAction,
                causes: [
                    LikelyCause(cause, evidence: ["The connection ended before the request head was written."])
                ],
                advice: ["Check the server's logs and connection limits.", "Check the URL's scheme and port."],
                catalogueName: facts.catalogueName(orElse: facts.attempt.resetSeen ? "ECONNRESET" : nil)
            )
        }
    )

    /// RST (or ECONNRESET/EPIPE) while the body was still being sent, and no response at all.
    static let resetWhileSendingBody = DiagnosisRule(
        name: "reset-while-sending-body",
        matches: { $0.closedBeforeResponse && $0.attempt.resetSeen && $0.phase == .sendingBody },
        build: { facts in
            let sent = facts.attempt.bodySent
            var detail = "\(facts.bodyProgress(sent)) sent"
            let acked = facts.bodyBytesAcked
            if let acked {
                detail += acked >= sent ? ", all of it acknowledged" : ", \(HumanUnits.bytes(acked)) of it acknowledged"
            }
            let refused = LikelyCause(
                "The server, or a proxy in front of it, refused the upload and reset the connection without answering.",
                evidence: acked.map { acked in
                    acked * 10 < sent * 9
                        ? [
                            "Only \(HumanUnits.bytes(acked)) of the \(HumanUnits.bytes(sent)) sent was acknowledged: "
                                + "the server stopped reading early."
                        ]
                        : []
                } ?? ["No response byte arrived before the reset."]
            )
            let crashed = LikelyCause(
                "The server crashed or hit a time or size limit while receiving the body.",
                evidence: acked.map { acked in
                    acked * 10 >= sent * 9
                        ? [
                            "\(HumanUnits.bytes(acked)) of the \(HumanUnits.bytes(sent)) sent was acknowledged: "
                                + "the server's machine received it."
                        ]
                        : []
                } ?? []
            )
            let receivedMost = acked.map { $0 * 10 >= sent * 9 && sent > 0 } ?? false
            let tail =
                receivedMost
                ? "The server received what was sent and then gave up: it most likely crashed or hit a time or size "
                    + "limit."
                : "The server, or a proxy in front of it, most likely refused the upload or crashed."
            let tryExpect =
                facts.timeline.expectsContinue
                ? "" : " Try Expect: 100-continue to learn the server's answer before sending the body."
            return Diagnosis(
                summary: "The server reset the connection while the request body was being sent (\(detail)) "
                    + "without sending any response. \(tail)\(tryExpect)",
                phase: .sendingBody,
                peerAction: .reset,
                causes: receivedMost ? [crashed, refused] : [refused, crashed],
                advice: facts.expectContinueAdvice + ["Check the server's and any proxy's logs and body size limits."],
                catalogueName: facts.catalogueName(orElse: "ECONNRESET")
            )
        }
    )

    /// FIN while the body was still being sent, and no response at all.
    static let closedWhileSendingBody = DiagnosisRule(
        name: "closed-while-sending-body",
        matches: { $0.closedBeforeResponse && $0.phase == .sendingBody },
        build: { facts in
            let cause =
                "The server most likely refused the upload without answering, or hit a limit on request size or time."
            return Diagnosis(
                summary: "The server closed the connection while the request body was being sent "
                    + "(\(facts.bodyProgress(facts.attempt.bodySent)) sent) without sending any response. \(cause)",
                phase: .sendingBody,
                peerAction: .closedCleanly,
                causes: [
                    LikelyCause(cause, evidence: ["The server closed its side (FIN) before any response byte."]),
                    LikelyCause("The server crashed while receiving the body."),
                ],
                advice: facts.expectContinueAdvice + ["Check the server's logs and body size limits."],
                catalogueName: facts.catalogueName(orElse: nil)
            )
        }
    )

    /// RST after the whole request was sent, and no response at all.
    static let resetWithoutResponse = DiagnosisRule(
        name: "reset-without-response",
        matches: { $0.closedBeforeResponse && $0.attempt.resetSeen },
        build: { facts in
            let cause = "The server most likely crashed while handling the request."
            return Diagnosis(
                summary: "The server reset the connection after the whole request was sent "
                    + "(\(facts.requestContent)) without sending any response. \(cause)",
                phase: facts.phase,
                peerAction: .reset,
                causes: [
                    LikelyCause(cause, evidence: ["The connection was reset before any response byte arrived."]),
                    LikelyCause("A proxy or load balancer between client and server dropped the connection."),
                ],
                advice: ["Check the server's logs at the time of the request."],
                catalogueName: facts.catalogueName(orElse: "ECONNRESET")
            )
        }
    )

    /// FIN after the whole request was sent, and no response at all.
    static let closedWithoutResponse = DiagnosisRule(
        name: "closed-without-response",
        matches: { $0.closedBeforeResponse },
        build: { facts in
            let cause = "The server most likely crashed while handling the request, or refused it without answering."
            let retry =
                facts.isIdempotent
                ? "Retrying the request is safe."
                : "Retry only if repeating the \(facts.timeline.method) is harmless: it is not idempotent."
            return Diagnosis(
                summary: "The server closed the connection after the whole request was sent "
                    + "(\(facts.requestContent)) without sending any response. \(cause)",
                phase: facts.phase,
                peerAction: .closedCleanly,
                causes: [
                    LikelyCause(cause, evidence: ["The server closed its side (FIN) before any response byte."]),
                    LikelyCause("The server limits requests per connection or their duration."),
                ],
                advice: [retry, "Check the server's logs at the time of the request."],
                catalogueName: facts.catalogueName(orElse: nil)
            )
        }
    )
}

extension ExchangeAttempt {
    /// A pooled connection that ended before any response byte: the signature of the keep-alive idle-close race.
    var looksLikeStaleConnection: Bool {
        self.reused && self.response == nil && (self.fin || self.resetSeen)
    }
}
