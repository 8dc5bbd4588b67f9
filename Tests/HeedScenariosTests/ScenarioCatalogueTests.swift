import HeedScenarios
import Testing

/// The catalogue covers DESIGN.md's table, and every scenario is complete.
@Suite struct ScenarioCatalogueTests {
    /// Every scenario in DESIGN.md's table is there, and names are unique.
    @Test func designTableIsCovered() {
        let names = Scenario.all.map(\.name)
        for name in [
            "early-reject-rst", "early-reject-linger", "early-reject-large", "expect-reject", "reset-mid-body",
            "no-response-close",
        ] {
            #expect(names.contains(name))
        }
        #expect(Set(names).count == names.count)
    }

    /// Each scenario has a story, steps, a correct-client description and a bounded time limit.
    @Test(arguments: Scenario.all.map(\.name)) func scenarioIsComplete(_ name: String) throws {
        let scenario = try #require(Scenario.named(name))
        #expect(!scenario.story.isEmpty)
        #expect(scenario.peer.steps.first == .readHead)
        #expect(!scenario.correctClient.isEmpty)
        #expect(scenario.timeLimit > .zero && scenario.timeLimit <= .seconds(10))
    }
}
