import ArgumentParser
import HeedScenarios

/// `heed repro [SCENARIO]`: makes a teardown failure happen on 127.0.0.1 and shows both sides of it.
struct ReproCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Watch a teardown failure happen on 127.0.0.1.",
        discussion: """
            Runs a naive client (writes the whole body, then reads; gives up on the first error) and Heed's \
            client against a scripted server, one after the other, and prints each side's timeline. Without a \
            scenario it replays the original story: an upload rejected early with 413, lost to a reset.
            """
    )

    /// The scenario the command runs when none is named.
    static let defaultScenario = "early-reject-rst"

    @Argument(help: "The scenario to run (default: \(Self.defaultScenario)); see --list.")
    var scenario: String?

    @Flag(help: "List the scenarios and exit.")
    var list = false

    @Flag(help: "Print the recorded timelines as JSON.")
    var json = false

    func validate() throws {
        if let name = self.scenario, Scenario.named(name) == nil {
            throw ValidationError(ScenarioError.unknownScenario(name).description)
        }
    }

    func run() async throws {
        if self.list {
            print(Self.listing())
            return
        }
        let name = self.scenario ?? Self.defaultScenario
        guard let scenario = Scenario.named(name) else {
            throw ValidationError(ScenarioError.unknownScenario(name).description)
        }
        var runs: [(title: String, run: ScenarioRun)] = []
        runs.append(
            (
                "A naive client: writes the whole body, then reads; gives up on the first error",
                try await ScenarioRunner.run(scenario, client: NaiveClient())
            )
        )
        // Heed's client sends the body at once here (no Expect: 100-continue), so the story is about reading
        // while sending; in the expect-* scenarios it asks first, as it does by default for large bodies.
        let heed = HeedClientUnderTest(expectContinue: scenario.request.asksToContinue ? nil : false)
        runs.append(("Heed's client: reads while it sends", try await ScenarioRunner.run(scenario, client: heed)))
        if self.json {
            print(OutputFormat.json(runs.map(\.run)))
            return
        }
        print(ReproReport(scenario: scenario, runs: runs, colour: OutputFormat.standardOutputWantsColour).render())
    }

    /// `name  summary` for every scenario.
    static func listing() -> String {
        let width = (Scenario.all.map(\.name.count).max() ?? 0) + 2
        return Scenario.all.map { scenario in
            scenario.name + String(repeating: " ", count: width - scenario.name.count) + "the server "
                + scenario.summary
        }.joined(separator: "\n")
    }
}
