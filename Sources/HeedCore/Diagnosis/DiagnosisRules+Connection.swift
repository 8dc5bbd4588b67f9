// Rules for exchanges that failed before a request byte was sent: name lookup, TCP connect, TLS handshake.
extension DiagnosisRule {
    static let resolutionFailed = DiagnosisRule(
        name: "resolution-failed",
        matches: { $0.attempt.resolutionFailure != nil },
        build: { facts in
            let info = facts.attempt.resolutionFailure ?? SystemErrorInfo(errno: nil, name: "EAI_NONAME")
            let name = info.name ?? "EAI_NONAME"
            let cause =
                switch name {
                case "EAI_AGAIN": "The DNS server did not answer in time; this is often temporary."
                case "EAI_NONAME", "EAI_NODATA": "The name is misspelled or does not exist, or DNS is not reachable."
                default: "Name resolution is not working on this machine."
                }
            return Diagnosis(
                summary: "The host name '\(facts.timeline.host)' could not be resolved (\(name)), "
                    + "so no connection was made and nothing was sent. \(cause)",
                phase: .resolving,
                peerAction: .nothing,
                causes: [LikelyCause(cause, evidence: ["Resolving '\(facts.timeline.host)' failed: \(info)."])],
                advice: [
                    "Check the spelling of the host name.",
                    "Check that this machine can resolve names (for example with `getent hosts \(facts.timeline.host)`).",
                ],
                catalogueName: name
            )
        }
    )

    static let connectTimeout = DiagnosisRule(
        name: "connect-timeout",
        matches: { $0.attempt.timeout == .connect && !$0.attempt.connected },
        build: { facts in
            let start = facts.attempt.connectingAt ?? facts.attempt.startedAt
            let waited = HumanUnits.duration(nanoseconds: (facts.attempt.timeoutAt ?? start).saturatingSubtract(start))
            return Diagnosis(
                summary: "Connecting to \(facts.endpoint) timed out after \(waited), so nothing was sent. "
                    + "The server is down or unreachable, or a firewall silently drops the connection attempts.",
                phase: .connecting,
                peerAction: .silent,
                causes: [
                    LikelyCause(
                        "A firewall drops the connection attempts, or the host is down.",
                        evidence: ["No answer to the connection attempt within \(waited)."]
                    ),
                    LikelyCause("The server is overloaded and its listen queue is full."),
                ],
                advice: [
                    "Check that the host is up and that the port is open to this machine.",
                    "Raise the connect timeout if the network is slow.",
                ],
                catalogueName: "ETIMEDOUT"
            )
        }
    )

    /// The TCP connection stood, but the proxy tunnel or the TLS handshake did not finish within the connect timeout.
    static let setupTimeout = DiagnosisRule(
        name: "setup-timeout",
        matches: { $0.attempt.timeout == .tlsHandshake || $0.attempt.timeout == .proxyConnect },
        build: { facts in
            let start = facts.attempt.connectingAt ?? facts.attempt.startedAt
            let waited = HumanUnits.duration(nanoseconds: (facts.attempt.timeoutAt ?? start).saturatingSubtract(start))
            guard facts.attempt.timeout == .tlsHandshake else {
                let cause = "The proxy is stuck, or it is still trying to reach \(facts.endpoint) itself."
                return Diagnosis(
                    summary: "The proxy accepted the connection but did not answer the CONNECT to \(facts.endpoint) "
                        + "within \(waited), so no request was sent. \(cause)",
                    phase: .connecting,
                    peerAction: .silent,
                    causes: [
                        LikelyCause(cause, evidence: ["No answer to CONNECT within \(waited) of connecting."]),
                        LikelyCause("The proxy port does not speak HTTP (a SOCKS proxy, say)."),
                    ],
                    advice: [
                        "Check the proxy's logs, and that it can reach \(facts.endpoint).",
                        "Raise the connect timeout if the proxy is slow.",
                    ]
                )
            }
            let cause = "The port does not serve TLS and waits for the client to speak first, or the server is stuck."
            return Diagnosis(
                summary: "The TLS handshake with \(facts.endpoint) did not finish within \(waited), "
                    + "so no request was sent. The server accepted the connection but did not complete the handshake. "
                    + cause,
                phase: .tlsHandshake,
                peerAction: .silent,
                causes: [
                    LikelyCause(cause, evidence: ["No complete handshake within \(waited) of connecting."]),
                    LikelyCause("The server is overloaded and slow to answer new connections."),
                ],
                advice: [
                    "Check that the URL uses https:// only for a TLS port.",
                    "Raise the connect timeout if the server is slow.",
                ]
            )
        }
    )

    static let connectRefused = DiagnosisRule(
        name: "connect-refused",
        matches: { $0.attempt.connectFailure?.name == "ECONNREFUSED" },
        build: { facts in
            Diagnosis(
                summary: "The connection to \(facts.endpoint) was refused (ECONNREFUSED), so nothing was sent. "
                    + "No server is listening on that port, or a firewall rejected the connection.",
                phase: .connecting,
                peerAction: .reset,
                causes: [
                    LikelyCause(
                        "No server is listening on port \(facts.timeline.port).",
                        evidence: ["The host answered the connection attempt with a reset."]
                    ),
                    LikelyCause("A firewall rejects connections to this port."),
                ],
                advice: ["Check that the server is running and listening on \(facts.endpoint)."],
                catalogueName: "ECONNREFUSED"
            )
        }
    )

    static let connectFailed = DiagnosisRule(
        name: "connect-failed",
        matches: { $0.attempt.connectFailure != nil },
        build: { facts in
            let info = facts.attempt.connectFailure ?? SystemErrorInfo(errno: nil, message: "unknown error")
            let cause =
                switch info.name {
                case "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN", "EHOSTDOWN":
                    "There is no network route to the server."
                case "ETIMEDOUT": "The server did not answer the connection attempt."
                case "EADDRNOTAVAIL": "This machine has no usable local address for that destination."
                default: "The connection could not be established."
                }
            return Diagnosis(
                summary: "Connecting to \(facts.endpoint) failed with \(info), so nothing was sent. \(cause)",
                phase: .connecting,
                peerAction: info.name == "ETIMEDOUT" ? .silent : .nothing,
                causes: [LikelyCause(cause, evidence: ["connect() failed: \(info)."])],
                advice: ["Check the address and this machine's network connection."],
                catalogueName: info.name
            )
        }
    )

    static let tlsFailed = DiagnosisRule(
        name: "tls-failed",
        matches: { $0.attempt.tlsFailure != nil },
        build: { facts in
            let reason = facts.attempt.tlsFailure ?? ""
            let lowered = reason.lowercased()
            let certificate = ["certificate", "verif", "trust", "hostname"].contains { lowered.contains($0) }
            let certificateCause = LikelyCause(
                "The server's certificate is not trusted for '\(facts.timeline.host)'.",
                evidence: certificate ? ["The TLS library reported: \(reason)."] : []
            )
            let protocolCause = LikelyCause(
                "The server does not speak TLS on this port, or shares no TLS version or cipher with the client.",
                evidence: certificate ? [] : ["The TLS library reported: \(reason)."]
            )
            let causes = certificate ? [certificateCause, protocolCause] : [protocolCause, certificateCause]
            return Diagnosis(
                summary: "The TLS handshake with \(facts.endpoint) failed (\(reason)), so no request was sent. "
                    + causes[0].explanation,
                phase: .tlsHandshake,
                peerAction: facts.closeAction,
                causes: causes,
                advice: [
                    "Check that the URL uses https:// only for a TLS port.",
                    "Check the server's certificate chain and the name it was issued for.",
                ],
                catalogueName: facts.attempt.socketError?.name
            )
        }
    )
}
