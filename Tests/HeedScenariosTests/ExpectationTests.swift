import HeedScenarios
import Testing

/// The judge is a pure function of the client's outcome and what the peer saw; these tests need no sockets.
@Suite struct ExpectationTests {
    private static func peer(requests: Int = 1, askedToContinue: Bool = false, bodyBytesRead: Int = 0) -> PeerRecord {
        let seen = RequestSeen(
            method: "POST",
            target: "/upload",
            contentLength: 8,
            isChunked: false,
            askedToContinue: askedToContinue,
            bodyBytesRead: bodyBytesRead
        )
        return PeerRecord(
            port: 1,
            timeline: [],
            connectionsAccepted: requests,
            requests: Array(repeating: seen, count: requests)
        )
    }

    /// A client that delivers the expected status passes.
    @Test func expectedStatusPasses() {
        let outcome = ClientOutcome(status: 413, responseBodyBytes: 44, succeeded: true, report: "413")
        let verdict = Expectation.response(status: 413, bodyBytes: 44).judge(
            outcome,
            peer: Self.peer(),
            timeLimit: .seconds(4)
        )
        #expect(verdict.grade == .pass)
    }

    /// Another status, no status, a short body or a failure exit all fail a response scenario.
    @Test func wrongResponsesFail() {
        let expectation = Expectation.response(status: 413, bodyBytes: 44)
        let outcomes = [
            ClientOutcome(status: 500, succeeded: true, report: ""),
            ClientOutcome(status: nil, succeeded: true, report: ""),
            ClientOutcome(status: 413, responseBodyBytes: 10, succeeded: true, report: ""),
            ClientOutcome(status: 413, succeeded: false, report: "exit 55"),
            ClientOutcome(status: nil, succeeded: false, report: "exit 1"),
        ]
        for outcome in outcomes {
            #expect(expectation.judge(outcome, peer: Self.peer(), timeLimit: .seconds(4)).grade == .fail)
        }
    }

    /// A hung client is HANG, and the verdict names the time limit.
    @Test func hungClientIsHang() {
        let outcome = ClientOutcome(status: nil, succeeded: false, hung: true, report: "killed")
        let verdict = Expectation.failure.judge(outcome, peer: Self.peer(), timeLimit: .milliseconds(1500))
        #expect(verdict == Verdict(.hang, "no result within 1.5 s"))
    }

    /// A failure scenario passes a failing client that sent its request once, and fails one that claims success.
    @Test func failureScenarios() {
        let failed = ClientOutcome(status: nil, succeeded: false, report: "reset")
        #expect(Expectation.failure.judge(failed, peer: Self.peer(), timeLimit: .seconds(4)).grade == .pass)
        let claimed = ClientOutcome(status: 200, succeeded: true, report: "")
        #expect(Expectation.failure.judge(claimed, peer: Self.peer(), timeLimit: .seconds(4)).grade == .fail)
        let retried = Expectation.failure.judge(failed, peer: Self.peer(requests: 2), timeLimit: .seconds(4))
        #expect(retried.grade == .fail)
        let neverSent = Expectation.failure.judge(failed, peer: Self.peer(requests: 0), timeLimit: .seconds(4))
        #expect(neverSent.grade == .fail)
    }

    /// expect-reject needs Expect: 100-continue and no body bytes, on top of the status.
    @Test func mustAskBeforeSending() {
        let expectation = Expectation.response(status: 401, mustAskBeforeSending: true)
        let outcome = ClientOutcome(status: 401, succeeded: true, report: "")
        let asked = Self.peer(askedToContinue: true)
        let notAsked = Self.peer(askedToContinue: false, bodyBytesRead: 100)
        let sentAnyway = Self.peer(askedToContinue: true, bodyBytesRead: 100)
        #expect(expectation.judge(outcome, peer: asked, timeLimit: .seconds(4)).grade == .pass)
        #expect(expectation.judge(outcome, peer: notAsked, timeLimit: .seconds(4)).grade == .fail)
        #expect(expectation.judge(outcome, peer: sentAnyway, timeLimit: .seconds(4)).grade == .fail)
    }

    /// The status is the first standalone three-digit number on stdout; curl's 000 means none.
    @Test func statusParsing() {
        #expect(CommandClient.status(in: "413") == 413)
        #expect(CommandClient.status(in: "status: 200\n") == 200)
        #expect(CommandClient.status(in: "000") == nil)
        #expect(CommandClient.status(in: "") == nil)
        #expect(CommandClient.status(in: "1234 5678") == nil)
        #expect(CommandClient.status(in: "HTTP/1.1 401 Unauthorized") == 401)
    }
}
