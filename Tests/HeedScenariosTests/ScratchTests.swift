import HeedScenarios
import Testing

@Suite struct ScratchTests {
    @Test func naiveAll() async throws {
        for scenario in Scenario.all {
            let run = try await ScenarioRunner.run(scenario, client: NaiveClient())
            print("=== \(scenario.name): \(run.verdict)")
            for event in run.timeline {
                print("  \(event.atMicroseconds)\t\(event.untilMicroseconds.map(String.init) ?? "")\t\(event.side)\t\(event.text)")
            }
        }
    }
}
