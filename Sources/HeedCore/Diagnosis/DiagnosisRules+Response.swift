// Rules for exchanges in which a response head arrived.
extension DiagnosisRule {
    /// The server answered an error status before the request body was complete (including a refused
    /// `Expect: 100-continue`), whether or not the connection was closed or reset afterwards.
    static let earlyRejection = DiagnosisRule(
        name: "early-rejection",
        matches: { facts in
            guard let response = facts.attempt.response else {
                return false
            }
            return response.status >= 400 && !response.bodyWasComplete && facts.hasBody
        },
        build: { facts in
            let attempt = facts.attempt
            let response = attempt.response ?? .init(status: 0, reason: "", connectionClose: false, bodySentBefore: 0)
            let statusLine = "\(response.status) \(response.reason)"
            let explanation = StatusExplanation(status: response.status, method: facts.timeline.method)
            let refusedExpect =
                response.bodySentBefore == 0 && facts.timeline.expectsContinue && !attempt.continueReceived
            var evidence = [
                "The \(statusLine) head arrived after \(facts.bodyProgress(response.bodySentBefore)) of the body was sent."
            ]
            let summary: String
            let phase: ExchangePhase
            if refusedExpect {
                let body = facts.bodyTotal.map { "none of the \(HumanUnits.bytes($0)) body" } ?? "none of the body"
                summary =
                    "The server rejected the request before its body was sent: it answered \(statusLine) "
                    + "to Expect: 100-continue, so \(body) was sent. \(explanation.cause)"
                phase = .awaitingResponse
                evidence = ["The server answered \(statusLine) instead of 100 Continue."]
            } else {
                let ending: String
                if !attempt.responseFinished && (attempt.fin || attempt.resetSeen) {
                    ending =
                        "then \(facts.closeVerb) the connection before the whole answer arrived "
                        + "(\(facts.responseProgress) received)"
                    phase = .receivingBody
                } else {
                    let closed = attempt.fin || attempt.resetSeen || response.connectionClose
                    ending =
                        if closed {
                            "then \(facts.closeVerb) the connection"
                        } else if attempt.bodyStopped {
                            "so the client stopped sending the body"
                        } else {
                            "before the rest of the body was sent"
                        }
                    phase = .sendingBody
                }
                summary =
                    "The server rejected the upload: it answered \(statusLine) after receiving "
                    + "\(facts.bodyProgress(response.bodySentBefore)), \(ending). \(explanation.cause)"
            }
            if let write = attempt.writeFailure {
                evidence.append("Writing the rest of the body then failed with \(write).")
            }
            return Diagnosis(
                summary: summary,
                phase: phase,
                peerAction: .answeredEarly(status: response.status),
                causes: [LikelyCause(explanation.cause, evidence: evidence)],
                advice: explanation.advice + (refusedExpect ? [] : facts.expectContinueAdvice),
                catalogueName: facts.catalogueName(orElse: attempt.resetSeen ? "ECONNRESET" : nil)
            )
        }
    )

    /// The server answered a non-error status before the request body was complete.
    static let earlyAnswer = DiagnosisRule(
        name: "early-answer",
        matches: { facts in
            guard let response = facts.attempt.response else {
                return false
            }
            return !response.bodyWasComplete && facts.hasBody && facts.attempt.bodyStopped
        },
        build: { facts in
            let response = facts.attempt.response ?? .init(status: 0, reason: "", connectionClose: false)
            let sent = facts.bodyProgress(response.bodySentBefore)
            let cause = "The server decided without reading the whole body (for example a redirect or a cached answer)."
            return Diagnosis(
                summary: "The server answered \(response.status) \(response.reason) before the request body was "
                    + "complete (\(sent) sent), so the client stopped sending the rest. \(cause)",
                phase: .sendingBody,
                peerAction: .answeredEarly(status: response.status),
                causes: [LikelyCause(cause, evidence: ["The response head arrived after \(sent) was sent."])],
                catalogueName: facts.attempt.socketError?.name
            )
        }
    )

    /// The response head arrived but the body did not: the peer closed or reset in the middle of it.
    static let responseCutShort = DiagnosisRule(
        name: "response-cut-short",
        matches: { facts in
            let attempt = facts.attempt
            return attempt.response != nil && !attempt.responseFinished
                && (attempt.fin || attempt.resetSeen || attempt.readFailure != nil)
        },
        build: { facts in
            let response = facts.attempt.response ?? .init(status: 0, reason: "", connectionClose: false)
            let received = HumanUnits.bytes(facts.attempt.bodyReceived)
            let body =
                response.contentLength.map { "after \(received) of the \(HumanUnits.bytes($0)) body" }
                ?? "after \(received) of a chunked body, before its last chunk"
            let cause = "The server, or a proxy in front of it, most likely crashed or timed out while sending."
            return Diagnosis(
                summary: "The response was cut short: the server \(facts.closeVerb) the connection \(body) "
                    + "(\(response.status) \(response.reason)). \(cause)",
                phase: .receivingBody,
                peerAction: facts.closeAction,
                causes: [
                    LikelyCause(cause, evidence: ["The connection ended \(body)."]),
                    LikelyCause("A proxy between client and server limits response size or time."),
                ],
                advice: ["Check the server's and any proxy's logs for an error at that moment.", "Retry the request."],
                catalogueName: facts.catalogueName(orElse: facts.attempt.resetSeen ? "ECONNRESET" : nil)
            )
        }
    )

    static let completed = DiagnosisRule(
        name: "completed",
        matches: { $0.succeeded },
        build: { facts in
            let response = facts.attempt.response
            let status = response.map { "\($0.status) \($0.reason)" } ?? "a response"
            return Diagnosis(
                summary: "The exchange completed: the server answered \(status) "
                    + "(\(HumanUnits.bytes(facts.attempt.bodySent)) sent, "
                    + "\(HumanUnits.bytes(facts.attempt.bodyReceived)) received).",
                phase: .completed,
                peerAction: .answered(status: response?.status ?? 0)
            )
        }
    )
}

extension ExchangeAttempt.ResponseHead {
    /// A placeholder for rules that already checked the head exists.
    init(status: Int, reason: String, connectionClose: Bool, bodySentBefore: Int64 = 0) {
        self.init(
            status: status,
            reason: reason,
            connectionClose: connectionClose,
            contentLength: nil,
            bodySentBefore: bodySentBefore,
            bodyWasComplete: true
        )
    }
}
