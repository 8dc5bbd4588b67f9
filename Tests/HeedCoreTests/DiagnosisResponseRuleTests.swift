import HeedCore
import Testing

/// Exchanges in which a response head arrived: early rejections, early answers, cut-short bodies, success.
@Suite struct DiagnosisResponseRuleTests {
    /// The early-reject scenarios: 1.1 MB of a 32 MB upload is written, then the server answers.
    static let uploadThenAnswer = Recording.connectAndSendHead + Recording.upload(to: 1_100_000)

    static let cases: [RuleCase] = [
        RuleCase(
            name: "early-reject-linger: 413, then FIN",
            timeline: recorded(
                Self.uploadThenAnswer + [
                    (
                        2_100,
                        .responseHeadReceived(
                            status: 413,
                            reason: "Payload Too Large",
                            connectionClose: true,
                            contentLength: 180
                        )
                    ),
                    (2_150, .requestBodyStopped(total: 1_100_000)),
                    (2_160, .responseFinished(total: 180)),
                    (2_400, .finReceived),
                ]
            ),
            rule: "early-rejection",
            summary: "The server rejected the upload: it answered 413 Payload Too Large after receiving 1.1 MB of "
                + "32 MB, then closed the connection. The request body is larger than the server accepts.",
            phase: .sendingBody,
            peerAction: .answeredEarly(status: 413),
            catalogueName: nil
        ),
        RuleCase(
            name: "early-reject-rst: 413, write fails, response recovered",
            timeline: recorded(
                Self.uploadThenAnswer + [
                    (
                        2_100,
                        .responseHeadReceived(
                            status: 413,
                            reason: "Payload Too Large",
                            connectionClose: true,
                            contentLength: 180
                        )
                    ),
                    (2_120, .writeFailed(Recording.econnreset)),
                    (2_130, .responseFinished(total: 180)),
                    (2_140, .tcpInfo(TCPInfoSnapshot(state: "CLOSE", bytesAcked: 131_222))),
                ]
            ),
            rule: "early-rejection",
            summary: "The server rejected the upload: it answered 413 Payload Too Large after receiving 1.1 MB of "
                + "32 MB, then reset the connection. The request body is larger than the server accepts.",
            phase: .sendingBody,
            peerAction: .answeredEarly(status: 413),
            catalogueName: "ECONNRESET",
            notes: [
                "Sending the body failed with ECONNRESET after 1.1 MB, but the server's 413 response had already "
                    + "arrived and was read in full."
            ]
        ),
        RuleCase(
            name: "early-reject-large cut short by the reset",
            timeline: recorded(
                Self.uploadThenAnswer + [
                    (
                        2_100,
                        .responseHeadReceived(
                            status: 413,
                            reason: "Payload Too Large",
                            connectionClose: true,
                            contentLength: 2_000_000
                        )
                    ),
                    (2_200, .bodyBytesReceived(total: 256_000)),
                    (2_300, .bodyBytesReceived(total: 512_000)),
                    (2_310, .readFailed(Recording.econnreset)),
                ]
            ),
            rule: "early-rejection",
            summary: "The server rejected the upload: it answered 413 Payload Too Large after receiving 1.1 MB of "
                + "32 MB, then reset the connection before the whole answer arrived (512 KB of 2 MB received). "
                + "The request body is larger than the server accepts.",
            phase: .receivingBody,
            peerAction: .answeredEarly(status: 413),
            catalogueName: "ECONNRESET"
        ),
        RuleCase(
            name: "expect-reject: 401 instead of 100 Continue",
            timeline: recorded(
                expectsContinue: true,
                Recording.connectAndSendHead + [
                    (
                        600,
                        .responseHeadReceived(
                            status: 401,
                            reason: "Unauthorized",
                            connectionClose: false,
                            contentLength: 0
                        )
                    ),
                    (610, .requestBodyStopped(total: 0)),
                    (620, .responseFinished(total: 0)),
                ]
            ),
            rule: "early-rejection",
            summary: "The server rejected the request before its body was sent: it answered 401 Unauthorized to "
                + "Expect: 100-continue, so none of the 32 MB body was sent. The request lacks valid credentials.",
            phase: .awaitingResponse,
            peerAction: .answeredEarly(status: 401),
            catalogueName: nil
        ),
        RuleCase(
            name: "403 on a keep-alive connection: the client stops sending",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 64_000) + [
                    (
                        500,
                        .responseHeadReceived(
                            status: 403,
                            reason: "Forbidden",
                            connectionClose: false,
                            contentLength: 9
                        )
                    ),
                    (510, .requestBodyStopped(total: 64_000)),
                    (520, .responseFinished(total: 9)),
                    (530, .closedByUs(reason: "the body was not fully sent")),
                ]
            ),
            rule: "early-rejection",
            summary: "The server rejected the upload: it answered 403 Forbidden after receiving 64 KB of 32 MB, "
                + "so the client stopped sending the body. The server refuses this request with these credentials.",
            phase: .sendingBody,
            peerAction: .answeredEarly(status: 403),
            catalogueName: nil
        ),
        RuleCase(
            name: "400 early, the client sends the rest anyway",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 64_000) + [
                    (
                        500,
                        .responseHeadReceived(
                            status: 400,
                            reason: "Bad Request",
                            connectionClose: false,
                            contentLength: 0
                        )
                    ),
                    (510, .responseFinished(total: 0)),
                ] + Recording.upload(to: 32_000_000, from: 600).dropFirst() + [
                    (50_000, .requestBodyFinished(total: 32_000_000))
                ]
            ),
            rule: "early-rejection",
            summary: "The server rejected the upload: it answered 400 Bad Request after receiving 64 KB of 32 MB, "
                + "before the rest of the body was sent. The server considered the request malformed.",
            phase: .sendingBody,
            peerAction: .answeredEarly(status: 400),
            catalogueName: nil
        ),
        RuleCase(
            name: "early 200: the server did not need the body",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 64_000) + [
                    (500, .responseHeadReceived(status: 200, reason: "OK", connectionClose: false, contentLength: 2)),
                    (510, .requestBodyStopped(total: 64_000)),
                    (520, .responseFinished(total: 2)),
                ]
            ),
            rule: "early-answer",
            summary: "The server answered 200 OK before the request body was complete (64 KB of 32 MB sent), so the "
                + "client stopped sending the rest. The server decided without reading the whole body (for example "
                + "a redirect or a cached answer).",
            phase: .sendingBody,
            peerAction: .answeredEarly(status: 200),
            catalogueName: nil
        ),
        RuleCase(
            name: "response cut short (Content-Length)",
            timeline: recorded(
                method: "GET",
                target: "http://127.0.0.1:8080/big",
                bodyLength: 0,
                Recording.connectAndSendHead + [
                    (
                        800,
                        .responseHeadReceived(
                            status: 200,
                            reason: "OK",
                            connectionClose: false,
                            contentLength: 2_000_000
                        )
                    ),
                    (900, .bodyBytesReceived(total: 65_536)),
                    (1_900, .bodyBytesReceived(total: 512_000)),
                    (2_000, .finReceived),
                ]
            ),
            rule: "response-cut-short",
            summary: "The response was cut short: the server closed the connection after 512 KB of the 2 MB body "
                + "(200 OK). The server, or a proxy in front of it, most likely crashed or timed out while sending.",
            phase: .receivingBody,
            peerAction: .closedCleanly,
            catalogueName: nil
        ),
        RuleCase(
            name: "response cut short (chunked, reset)",
            timeline: recorded(
                method: "GET",
                target: "http://127.0.0.1:8080/stream",
                bodyLength: 0,
                Recording.connectAndSendHead + [
                    (800, .responseHeadReceived(status: 200, reason: "OK", connectionClose: false, contentLength: nil)),
                    (1_900, .bodyBytesReceived(total: 1_250_000)),
                    (2_000, .resetReceived),
                ]
            ),
            rule: "response-cut-short",
            summary: "The response was cut short: the server reset the connection after 1.3 MB of a chunked body, "
                + "before its last chunk (200 OK). The server, or a proxy in front of it, most likely crashed or "
                + "timed out while sending.",
            phase: .receivingBody,
            peerAction: .reset,
            catalogueName: "ECONNRESET"
        ),
        RuleCase(
            name: "completed upload",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 32_000_000) + [
                    (49_400, .requestBodyFinished(total: 32_000_000)),
                    (
                        49_900,
                        .responseHeadReceived(
                            status: 201,
                            reason: "Created",
                            connectionClose: false,
                            contentLength: 1_200
                        )
                    ),
                    (50_000, .responseFinished(total: 1_200)),
                ]
            ),
            rule: "completed",
            summary: "The exchange completed: the server answered 201 Created (32 MB sent, 1.2 KB received).",
            phase: .completed,
            peerAction: .answered(status: 201),
            catalogueName: nil
        ),
    ]

    /// Each recorded exchange with a response reads as its pinned sentence.
    @Test(arguments: Self.cases) func diagnosis(_ ruleCase: RuleCase) {
        check(ruleCase)
    }

    /// The cause sentence follows the status of an early rejection.
    @Test(arguments: [
        (400, "Bad Request", "The server considered the request malformed."),
        (401, "Unauthorized", "The request lacks valid credentials."),
        (403, "Forbidden", "The server refuses this request with these credentials."),
        (413, "Content Too Large", "The request body is larger than the server accepts."),
        (417, "Expectation Failed", "The server does not support Expect: 100-continue."),
        (422, "Unprocessable Content", "The server refused the request."),
        (500, "Internal Server Error", "The server failed while handling the request."),
        (503, "Service Unavailable", "The server is overloaded or down for maintenance."),
    ])
    func causeFollowsStatus(status: Int, reason: String, cause: String) {
        let timeline = recorded(
            Self.uploadThenAnswer + [
                (2_100, .responseHeadReceived(status: status, reason: reason, connectionClose: true, contentLength: 0)),
                (2_110, .responseFinished(total: 0)),
                (2_120, .finReceived),
            ]
        )
        let diagnosis = DiagnosisEngine.diagnose(timeline)
        #expect(
            diagnosis.summary
                == "The server rejected the upload: it answered \(status) \(reason) after receiving 1.1 MB of 32 MB, "
                + "then closed the connection. \(cause)"
        )
        #expect(diagnosis.causes.first?.explanation == cause)
        #expect(diagnosis.peerAction == .answeredEarly(status: status))
    }
}
