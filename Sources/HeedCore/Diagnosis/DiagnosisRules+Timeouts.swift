// Rules for exchanges ended by one of our timeouts, by us, or by something no other rule explains.
extension DiagnosisRule {
    static let readIdleTimeout = DiagnosisRule(
        name: "read-idle-timeout",
        matches: { $0.attempt.timeout == .readIdle },
        build: { facts in
            let attempt = facts.attempt
            let idle = HumanUnits.duration(
                nanoseconds: (attempt.timeoutAt ?? 0).saturatingSubtract(attempt.lastActivityAt)
            )
            let summary: String
            let cause: String
            switch facts.phase {
            case .receivingBody:
                cause = "The server, or a proxy in front of it, stopped sending."
                summary =
                    "The response stalled: no bytes arrived for \(idle) after \(facts.responseProgress) of the body, "
                    + "so the read timeout fired. \(cause)"
            case .sendingBody:
                cause = "The server is overloaded or stuck, or it is waiting for something else."
                summary =
                    "The upload stalled: the server stopped reading after \(facts.bodyProgress(attempt.bodySent)) "
                    + "and sent nothing for \(idle), so the read timeout fired. \(cause)"
            case .awaitingResponse where attempt.bodyFinished || !facts.hasBody:
                cause = "The server is slow or stuck handling the request."
                summary =
                    "No response arrived within \(idle) after the whole request was sent (\(facts.requestContent)), "
                    + "so the read timeout fired. \(cause)"
            default:
                cause = "The server is slow or stuck."
                summary = "Nothing arrived for \(idle) while \(facts.phase), so the read timeout fired. \(cause)"
            }
            return Diagnosis(
                summary: summary,
                phase: facts.phase,
                peerAction: .silent,
                causes: [LikelyCause(cause, evidence: ["No byte arrived from the server for \(idle)."])],
                advice: [
                    "Check the server's logs for a slow or stuck request.", "Raise the read timeout if it is slow.",
                ]
            )
        }
    )

    static let requestTimeout = DiagnosisRule(
        name: "request-timeout",
        matches: { $0.attempt.timeout == .request },
        build: { facts in
            let attempt = facts.attempt
            let elapsed = HumanUnits.duration(nanoseconds: attempt.timeoutAt ?? facts.timeline.elapsed)
            let doing: String
            switch facts.phase {
            case .resolving: doing = "resolving the host name '\(facts.timeline.host)'"
            case .connecting: doing = "connecting to \(facts.endpoint)"
            case .tlsHandshake: doing = "in the TLS handshake with \(facts.endpoint)"
            case .sendingHead: doing = "sending the request head"
            case .awaitingContinue: doing = "waiting for the server to answer Expect: 100-continue"
            case .sendingBody: doing = "sending the body (\(facts.bodyProgress(attempt.bodySent)) sent)"
            case .awaitingResponse: doing = "waiting for the response after sending the request"
            case .receivingBody, .completed: doing = "receiving the response body (\(facts.responseProgress) received)"
            }
            let cause =
                facts.phase == .sendingBody
                ? "The server or the network is slower than the deadline allows, or the body is too large for it."
                : "The server or the network is slower than the deadline allows."
            return Diagnosis(
                summary: "The request did not finish within its \(elapsed) deadline: it was still \(doing) "
                    + "when the deadline expired. \(cause)",
                phase: facts.phase,
                peerAction: attempt.response == nil && attempt.bodyReceived == 0 ? .silent : .nothing,
                causes: [LikelyCause(cause, evidence: ["The deadline expired after \(elapsed) while \(doing)."])],
                advice: ["Raise the request deadline, or find out which phase is slow from the timeline."]
            )
        }
    )

    static let cancelledByUs = DiagnosisRule(
        name: "closed-by-client",
        matches: { !$0.succeeded && $0.attempt.closedByUs != nil },
        build: { facts in
            let reason = facts.attempt.closedByUs ?? ""
            return Diagnosis(
                summary: "The client closed the connection while \(facts.phase) "
                    + "(\(HumanUnits.bytes(facts.attempt.bodySent)) sent, "
                    + "\(HumanUnits.bytes(facts.attempt.bodyReceived)) received): \(reason).",
                phase: facts.phase,
                peerAction: .nothing,
                causes: [LikelyCause("The client gave up on the request: \(reason).")]
            )
        }
    )

    static let unexplainedFailure = DiagnosisRule(
        name: "unexplained-failure",
        matches: { _ in true },
        build: { facts in
            let error = facts.attempt.socketError?.description ?? facts.errorDescription ?? "no error was recorded"
            return Diagnosis(
                summary: "The request failed while \(facts.phase) "
                    + "(\(HumanUnits.bytes(facts.attempt.bodySent)) sent, "
                    + "\(HumanUnits.bytes(facts.attempt.bodyReceived)) received): \(error).",
                phase: facts.phase,
                peerAction: facts.closeAction,
                causes: [],
                advice: ["Run with -v to see the whole timeline."],
                catalogueName: facts.attempt.socketError?.name
            )
        }
    )
}
