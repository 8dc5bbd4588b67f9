import HeedScenarios
import Testing

/// The naive client, run against real scripted peers on 127.0.0.1, fails exactly the scenarios it should.
@Suite(.serialized) struct NaiveClientTests {
    /// early-reject-rst: the write fails with ECONNRESET or EPIPE after the 413 arrived; the response is lost.
    @Test func losesTheEarlyResponse() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        #expect(run.verdict.grade == .fail)
        let errno = try #require(run.outcome.errno)
        #expect(["ECONNRESET", "EPIPE"].contains(errno.name))
        #expect(["WSAECONNRESET", "WSAECONNABORTED"].contains(errno.windowsName ?? ""))
        let lost = try #require(run.outcome.timeline.first { $0.kind == .responseLost })
        #expect(lost.text.contains("HTTP/1.1 413 Payload Too Large"))
        let response = try #require(run.peer.timeline.first { $0.kind == .response })
        #expect(response.atMicroseconds <= lost.atMicroseconds)
    }

    /// The scenarios that need reading while sending, or asking first, are FAIL or HANG; the rest PASS.
    @Test(arguments: Scenario.all.map(\.name)) func verdicts(_ name: String) async throws {
        let scenario = try #require(Scenario.named(name))
        let run = try await ScenarioRunner.run(scenario, client: NaiveClient())
        let expected: Verdict.Grade =
            switch scenario.name {
            case "early-reject-rst", "stalled-upload-reject", "expect-reject": .fail
            case "early-reject-large": .hang
            default: .pass
            }
        #expect(run.verdict.grade == expected, "\(scenario.name): \(run.verdict)")
    }

    /// early-reject-large deadlocks the naive client; the run still ends within the time limit plus the grace.
    @Test func deadlockIsBoundedByTheTimeLimit() async throws {
        var scenario = Scenario.earlyRejectLarge
        scenario.timeLimit = .seconds(1)
        let start = ContinuousClock.now
        let run = try await ScenarioRunner.run(scenario, client: NaiveClient())
        #expect(run.verdict.grade == .hang)
        #expect(ContinuousClock.now - start < .seconds(3))
        let head = try #require(run.peer.requests.first)
        #expect(head.contentLength == Scenario.uploadSize)
    }
}
