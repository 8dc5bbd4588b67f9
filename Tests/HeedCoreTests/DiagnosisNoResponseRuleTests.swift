import HeedCore
import Testing

/// Connections the peer closed or reset before any response byte arrived.
@Suite struct DiagnosisNoResponseRuleTests {
    /// reset-mid-body: 3.2 MB of a 32 MB upload is written, then the peer resets.
    static let uploadThenReset =
        Recording.connectAndSendHead + Recording.upload(to: 3_200_000) + [
            (5_300, .writeFailed(Recording.econnreset))
        ]

    static let cases: [RuleCase] = [
        RuleCase(
            name: "reset-mid-body, TCP_INFO shows the server stopped reading",
            timeline: recorded(
                Self.uploadThenReset + [
                    (5_310, .tcpInfo(TCPInfoSnapshot(state: "CLOSE", bytesAcked: 64_150, bytesSent: 3_200_150)))
                ]
            ),
            rule: "reset-while-sending-body",
            summary: "The server reset the connection while the request body was being sent (3.2 MB of 32 MB sent, "
                + "64 KB of it acknowledged) without sending any response. The server, or a proxy in front of it, "
                + "most likely refused the upload or crashed. Try Expect: 100-continue to learn the server's answer "
                + "before sending the body.",
            phase: .sendingBody,
            peerAction: .reset,
            catalogueName: "ECONNRESET"
        ),
        RuleCase(
            name: "reset-mid-body, no TCP_INFO",
            timeline: recorded(Self.uploadThenReset),
            rule: "reset-while-sending-body",
            summary: "The server reset the connection while the request body was being sent (3.2 MB of 32 MB sent) "
                + "without sending any response. The server, or a proxy in front of it, most likely refused the "
                + "upload or crashed. Try Expect: 100-continue to learn the server's answer before sending the body.",
            phase: .sendingBody,
            peerAction: .reset,
            catalogueName: "ECONNRESET"
        ),
        RuleCase(
            name: "reset-mid-body, TCP_INFO shows everything arrived",
            timeline: recorded(
                expectsContinue: true,
                Recording.connectAndSendHead + [(400, .continueReceived)] + Recording.upload(to: 3_200_000) + [
                    (5_300, .resetReceived), (5_301, .writeFailed(Recording.epipe)),
                    (5_310, .tcpInfo(TCPInfoSnapshot(state: "CLOSE", bytesAcked: 3_200_150))),
                ]
            ),
            rule: "reset-while-sending-body",
            summary: "The server reset the connection while the request body was being sent (3.2 MB of 32 MB sent, "
                + "all of it acknowledged) without sending any response. The server received what was sent and then "
                + "gave up: it most likely crashed or hit a time or size limit.",
            phase: .sendingBody,
            peerAction: .reset,
            catalogueName: "EPIPE"
        ),
        RuleCase(
            name: "FIN while the body is being sent",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 3_200_000) + [(5_300, .finReceived)]
            ),
            rule: "closed-while-sending-body",
            summary: "The server closed the connection while the request body was being sent (3.2 MB of 32 MB sent) "
                + "without sending any response. The server most likely refused the upload without answering, or "
                + "hit a limit on request size or time.",
            phase: .sendingBody,
            peerAction: .closedCleanly,
            catalogueName: nil
        ),
        RuleCase(
            name: "no-response-close on a new connection",
            timeline: recorded(
                bodyLength: 1_000,
                Recording.connectAndSendHead + [
                    (300, .bodyBytesSent(total: 1_000)), (310, .requestBodyFinished(total: 1_000)),
                    (5_000, .finReceived),
                ]
            ),
            rule: "closed-without-response",
            summary: "The server closed the connection after the whole request was sent (1 KB body) without sending "
                + "any response. The server most likely crashed while handling the request, or refused it without "
                + "answering.",
            phase: .awaitingResponse,
            peerAction: .closedCleanly,
            catalogueName: nil
        ),
        RuleCase(
            name: "reset after a GET, no response",
            timeline: recorded(
                method: "GET",
                target: "http://127.0.0.1:8080/",
                bodyLength: 0,
                Recording.connectAndSendHead + [(5_000, .readFailed(Recording.econnreset))]
            ),
            rule: "reset-without-response",
            summary: "The server reset the connection after the whole request was sent (no body) without sending any "
                + "response. The server most likely crashed while handling the request.",
            phase: .awaitingResponse,
            peerAction: .reset,
            catalogueName: "ECONNRESET"
        ),
        RuleCase(
            name: "stale keep-alive connection, POST not retried",
            timeline: recorded(
                bodyLength: 0,
                [
                    (0, .reusedConnection(local: "127.0.0.1:50412", remote: "127.0.0.1:8080", previousRequests: 3)),
                    (40, .requestHeadSent(bytes: 150)), (90, .finReceived),
                ]
            ),
            rule: "stale-connection-closed",
            summary: "The server closed the reused keep-alive connection without answering, after the request was "
                + "sent. It most likely closed the connection for being idle just as this request was sent; POST "
                + "requests are not retried automatically because they are not idempotent.",
            phase: .awaitingResponse,
            peerAction: .closedCleanly,
            catalogueName: nil
        ),
        RuleCase(
            name: "reset during the TLS handshake",
            timeline: recorded(
                method: "GET",
                target: "https://127.0.0.1:8443/",
                port: 8443,
                usesTLS: true,
                bodyLength: 0,
                Recording.connect + [(400, .readFailed(Recording.econnreset))]
            ),
            rule: "closed-before-request",
            summary: "The server reset the connection before the request was sent, during the TLS handshake. "
                + "The server does not speak TLS on this port, or it rejected the handshake.",
            phase: .tlsHandshake,
            peerAction: .reset,
            catalogueName: "ECONNRESET"
        ),
        RuleCase(
            name: "FIN as soon as the connection is accepted",
            timeline: recorded(method: "GET", bodyLength: 0, Recording.connect + [(200, .finReceived)]),
            rule: "closed-before-request",
            summary: "The server closed the connection before the request was sent, as its head was being written. "
                + "The server accepts connections but closes them at once: it is overloaded, or a filter rejects "
                + "this client.",
            phase: .sendingHead,
            peerAction: .closedCleanly,
            catalogueName: nil
        ),
    ]

    /// Each recorded no-response failure reads as its pinned sentence.
    @Test(arguments: Self.cases) func diagnosis(_ ruleCase: RuleCase) {
        check(ruleCase)
    }

    /// The causes are ranked by what TCP_INFO says the server received.
    @Test func causesFollowTheAcknowledgedBytes() throws {
        let refused = DiagnosisEngine.diagnose(try #require(Self.cases.first?.timeline))
        #expect(refused.causes.first?.explanation.contains("refused the upload") == true)
        #expect(refused.causes.first?.evidence.first?.hasPrefix("Only 64 KB of the 3.2 MB sent") == true)
        let crashed = DiagnosisEngine.diagnose(Self.cases[2].timeline)
        #expect(crashed.causes.first?.explanation.contains("crashed") == true)
        #expect(crashed.advice.allSatisfy { !$0.contains("Expect: 100-continue") })
    }
}
