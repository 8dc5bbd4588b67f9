import HeedScenarios
import Testing

/// Heed's own client passes every scenario, whether it asks with Expect: 100-continue or not.
@Suite(.serialized) struct HeedClientScenarioTests {
    /// `heed grade --client heed`: the client as shipped (it asks before sending bodies over 1 MiB).
    @Test(arguments: Scenario.all.map(\.name)) func defaultClientPasses(_ name: String) async throws {
        let scenario = try #require(Scenario.named(name))
        let run = try await ScenarioRunner.run(scenario, client: HeedClientUnderTest())
        #expect(run.verdict.grade == .pass, "\(name): \(run.verdict)")
    }

    /// Without Expect: 100-continue the body goes out at once, so early answers must be heard while sending.
    @Test(arguments: Scenario.all.filter { !$0.request.asksToContinue }.map(\.name))
    func clientThatNeverAsksPasses(_ name: String) async throws {
        let scenario = try #require(Scenario.named(name))
        let run = try await ScenarioRunner.run(scenario, client: HeedClientUnderTest(expectContinue: false))
        #expect(run.verdict.grade == .pass, "\(name): \(run.verdict)")
    }

    /// early-reject-rst without asking: the 413 arrives while the body is being sent, and the client stops.
    @Test func hearsTheEarlyRejection() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: HeedClientUnderTest(expectContinue: false))
        #expect(run.outcome.status == 413)
        #expect(run.outcome.responseBodyBytes == 44)
        #expect(run.peer.requests.first?.askedToContinue == false)
        let response = try #require(run.outcome.timeline.first { $0.kind == .response })
        #expect(response.text.contains("stopped"))
    }
}
