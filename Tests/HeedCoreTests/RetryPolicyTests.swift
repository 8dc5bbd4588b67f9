import HeedCore
import Testing

/// When a failed exchange may be sent again on a fresh connection.
@Suite struct RetryPolicyTests {
    static func failure(
        _ reason: ExchangeFailure.Reason = .closedWithoutResponse,
        phase: ExchangePhase = .sendingHead,
        sent: Int64 = 0,
        received: Int64 = 0
    ) -> ExchangeFailure {
        ExchangeFailure(
            reason: reason,
            phase: phase,
            bodyBytesSent: sent,
            bodyBytesReceived: received,
            writeError: nil,
            readError: nil
        )
    }

    static func mayRetry(
        _ failure: ExchangeFailure,
        method: String = "GET",
        reused: Bool = true,
        replayable: Bool = true,
        attempt: Int = 1
    ) -> Bool {
        RetryPolicy.mayRetry(
            failure,
            method: method,
            reusedConnection: reused,
            bodyReplayable: replayable,
            attempt: attempt
        )
    }

    /// Idempotent methods on a stale keep-alive connection are retried for each "no response" failure.
    @Test(arguments: ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"])
    func idempotentMethodsAreRetried(method: String) {
        for reason in [
            ExchangeFailure.Reason.closedWithoutResponse, .resetWithoutResponse, .writeFailedWithoutResponse,
        ] {
            #expect(Self.mayRetry(Self.failure(reason, phase: .awaitingResponse), method: method))
        }
    }

    /// A fresh connection is never retried: its failure says something about the request.
    @Test func freshConnectionIsNotRetried() {
        #expect(!Self.mayRetry(Self.failure(), reused: false))
        #expect(!Self.mayRetry(Self.failure(), method: "POST", reused: false))
    }

    /// Only the first attempt is retried.
    @Test func secondAttemptIsNotRetried() {
        #expect(Self.mayRetry(Self.failure(), attempt: 1))
        #expect(!Self.mayRetry(Self.failure(), attempt: 2))
        #expect(!Self.mayRetry(Self.failure(), attempt: 3))
    }

    /// A body that cannot be produced again is never retried, whatever the method.
    @Test func nonReplayableBodyIsNotRetried() {
        #expect(!Self.mayRetry(Self.failure(), method: "GET", replayable: false))
        #expect(!Self.mayRetry(Self.failure(), method: "POST", replayable: false))
    }

    /// A POST is retried only when none of it can have reached the server.
    @Test func postIsRetriedOnlyWhenNothingWasSent() {
        #expect(Self.mayRetry(Self.failure(.writeFailedWithoutResponse, phase: .sendingHead), method: "POST"))
        #expect(Self.mayRetry(Self.failure(.resetWithoutResponse, phase: .awaitingContinue), method: "POST"))
        #expect(!Self.mayRetry(Self.failure(.closedWithoutResponse, phase: .awaitingResponse), method: "POST"))
        #expect(!Self.mayRetry(Self.failure(.writeFailedWithoutResponse, phase: .sendingBody, sent: 1), method: "POST"))
        #expect(!Self.mayRetry(Self.failure(.closedWithoutResponse, phase: .sendingBody, sent: 4096), method: "PATCH"))
    }

    /// Failures after a response started, and timeouts, cancellations and violations, are never retried.
    @Test func otherFailuresAreNotRetried() {
        let reasons: [ExchangeFailure.Reason] = [
            .responseTruncated, .protocolViolation("bad"), .timeout(.readIdle), .timeout(.request), .cancelled,
            .requestBodySourceFailed("disk"),
        ]
        for reason in reasons {
            #expect(!Self.mayRetry(Self.failure(reason)), "\(reason)")
        }
        #expect(!Self.mayRetry(Self.failure(.closedWithoutResponse, received: 1)))
    }

    /// Once a final response head arrived, no failure is retried, whatever its reason says, even for a GET on a
    /// stale-looking connection with nothing of the body read yet.
    @Test func nothingIsRetriedAfterTheResponseHead() {
        for reason in [
            ExchangeFailure.Reason.closedWithoutResponse, .resetWithoutResponse, .writeFailedWithoutResponse,
            .responseTruncated,
        ] {
            #expect(!Self.mayRetry(Self.failure(reason, phase: .receivingBody)), "\(reason)")
            #expect(Self.mayRetry(Self.failure(reason, phase: .awaitingResponse)) == (reason != .responseTruncated))
        }
    }
}
