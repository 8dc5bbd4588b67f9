import HeedCore
import Testing

/// Exchanges ended by one of our timeouts, by us, or by something no rule explains.
@Suite struct DiagnosisTimeoutRuleTests {
    static let cases: [RuleCase] = [
        RuleCase(
            name: "read-idle timeout waiting for the response",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 32_000_000) + [
                    (49_400, .requestBodyFinished(total: 32_000_000)), (30_049_400, .timeoutFired(.readIdle)),
                    (30_049_500, .closedByUs(reason: "read-idle timeout")),
                ]
            ),
            rule: "read-idle-timeout",
            summary: "No response arrived within 30 s after the whole request was sent (32 MB body), so the read "
                + "timeout fired. The server is slow or stuck handling the request.",
            phase: .awaitingResponse,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "read-idle timeout in the response body",
            timeline: recorded(
                method: "GET",
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
                    (1_000, .bodyBytesReceived(total: 512_000)), (15_001_000, .timeoutFired(.readIdle)),
                ]
            ),
            rule: "read-idle-timeout",
            summary: "The response stalled: no bytes arrived for 15 s after 512 KB of 2 MB of the body, so the read "
                + "timeout fired. The server, or a proxy in front of it, stopped sending.",
            phase: .receivingBody,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "read-idle timeout while the upload is stuck",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 3_200_000) + [
                    (30_005_300, .timeoutFired(.readIdle))
                ]
            ),
            rule: "read-idle-timeout",
            summary: "The upload stalled: the server stopped reading after 3.2 MB of 32 MB and sent nothing for 30 s, "
                + "so the read timeout fired. The server is overloaded or stuck, or it is waiting for something else.",
            phase: .sendingBody,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "whole-request deadline while sending the body",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 3_200_000) + [
                    (60_000_000, .timeoutFired(.request))
                ]
            ),
            rule: "request-timeout",
            summary: "The request did not finish within its 60 s deadline: it was still sending the body (3.2 MB of "
                + "32 MB sent) when the deadline expired. The server or the network is slower than the deadline "
                + "allows, or the body is too large for it.",
            phase: .sendingBody,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "whole-request deadline waiting for the response",
            timeline: recorded(
                method: "GET",
                bodyLength: 0,
                Recording.connectAndSendHead + [(5_000_000, .timeoutFired(.request))]
            ),
            rule: "request-timeout",
            summary: "The request did not finish within its 5 s deadline: it was still waiting for the response after "
                + "sending the request when the deadline expired. The server or the network is slower than the "
                + "deadline allows.",
            phase: .awaitingResponse,
            peerAction: .silent,
            catalogueName: nil
        ),
        RuleCase(
            name: "100-continue wait expired, then success",
            timeline: recorded(
                bodyLength: 1_000,
                expectsContinue: true,
                Recording.connectAndSendHead + [
                    (1_000_250, .timeoutFired(.continueWait)), (1_000_260, .continueTimeoutExpired),
                    (1_000_300, .bodyBytesSent(total: 1_000)), (1_000_310, .requestBodyFinished(total: 1_000)),
                    (
                        1_001_000,
                        .responseHeadReceived(
                            status: 200,
                            reason: "OK",
                            connectionClose: false,
                            contentLength: 2
                        )
                    ),
                    (1_001_100, .responseFinished(total: 2)),
                ]
            ),
            rule: "completed",
            summary: "The exchange completed: the server answered 200 OK (1 KB sent, 2 B received).",
            phase: .completed,
            peerAction: .answered(status: 200),
            catalogueName: nil,
            notes: [
                "The server did not answer Expect: 100-continue in time, so the body was sent without waiting for "
                    + "it; the server most likely ignores Expect."
            ]
        ),
        RuleCase(
            name: "cancelled by the caller",
            timeline: recorded(
                Recording.connectAndSendHead + Recording.upload(to: 3_200_000) + [
                    (5_300, .closedByUs(reason: "the task was cancelled"))
                ]
            ),
            rule: "closed-by-client",
            summary: "The client closed the connection while sending the request body (3.2 MB sent, 0 B received): "
                + "the task was cancelled.",
            phase: .sendingBody,
            peerAction: .nothing,
            catalogueName: nil
        ),
        RuleCase(
            name: "unexplained read error",
            timeline: recorded(
                method: "GET",
                bodyLength: 0,
                Recording.connectAndSendHead + [(9_000, .readFailed(SystemErrorInfo(linuxErrno: 110)))]
            ),
            rule: "unexplained-failure",
            summary: "The request failed while waiting for the response (0 B sent, 0 B received): ETIMEDOUT "
                + "(Connection timed out).",
            phase: .awaitingResponse,
            peerAction: .nothing,
            catalogueName: "ETIMEDOUT"
        ),
        RuleCase(
            name: "unexplained error of a foreign type",
            timeline: recorded(method: "GET", bodyLength: 0, Recording.connectAndSendHead),
            error: ForeignError(),
            rule: "unexplained-failure",
            summary: "The request failed while waiting for the response (0 B sent, 0 B received): the decoder gave up.",
            phase: .awaitingResponse,
            peerAction: .nothing,
            catalogueName: nil
        ),
    ]

    /// Each recorded timeout or client-side end reads as its pinned sentence.
    @Test(arguments: Self.cases) func diagnosis(_ ruleCase: RuleCase) {
        check(ruleCase)
    }
}

/// An error from outside NIO, quoted by its description.
private struct ForeignError: Error, CustomStringConvertible {
    var description: String {
        "the decoder gave up"
    }
}
