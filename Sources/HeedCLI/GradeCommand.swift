import ArgumentParser
import HeedScenarios

/// `heed grade`: runs any HTTP client against every teardown scenario and prints a PASS / FAIL / HANG matrix.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade an HTTP client against every teardown scenario.",
        discussion: """
            The command after -- runs once per scenario with {url}, {method} and {body} (a file holding the \
            request body) replaced. It must print the status it received and exit non-zero on failure, e.g.
              heed grade -- curl -sS -o /dev/null -w '%{http_code}' -X {method} --data-binary @{body} {url}
            """
    )

    @Option(help: "Grade a built-in client instead of a command: \(BuiltInClients.names.joined(separator: ", ")).")
    var client: String?

    @Option(help: "Comma-separated scenario names to run (default: all).")
    var scenarios: String?

    @Option(help: "Override every scenario's time limit, in seconds (a client still busy then is HANG).")
    var timeLimit: Double?

    @Option(help: "The client's name in the report (default: the command's name).")
    var name: String?

    @Flag(help: "Print the runs, with both timelines, as JSON.")
    var json = false

    @Flag(help: "Print the matrix as a Markdown table.")
    var markdown = false

    @Flag(help: "Exit with status 1 unless every scenario passes.")
    var strict = false

    @Argument(parsing: .postTerminator, help: "The client command, after --, with {url} {method} {body}.")
    var command: [String] = []

    func validate() throws {
        if self.client == nil && self.command.isEmpty {
            throw ValidationError(
                "Give a client command after -- or --client \(BuiltInClients.names.joined(separator: "|"))."
            )
        }
        if self.client != nil && !self.command.isEmpty {
            throw ValidationError("Give either --client or a command after --, not both.")
        }
        if self.json && self.markdown { throw ValidationError("Choose one of --json and --markdown.") }
        if let limit = self.timeLimit, !(limit > 0 && limit <= 600) {
            throw ValidationError("--time-limit must be between 0 and 600 seconds.")
        }
        _ = try self.selectedScenarios()
    }

    func run() async throws {
        let client = try self.clientUnderTest()
        let live = !self.json && !self.markdown
        let colour = live && OutputFormat.standardOutputWantsColour
        if live { print("scenario".padding(toWidth: 24) + "verdict  (\(client.name))") }
        let report = try await Grader.grade(client, scenarios: try self.selectedScenarios()) { run in
            if live { print(GradeReport.textRow(run, colour: colour)) }
        }
        if self.json {
            print(OutputFormat.json(report))
        } else if self.markdown {
            print(report.markdown())
        } else {
            print("\(report.client): \(report.passed)/\(report.runs.count) scenarios passed")
        }
        if self.strict && report.passed < report.runs.count { throw ExitCode(1) }
    }

    // MARK: - Helpers

    private func clientUnderTest() throws -> any ClientUnderTest {
        guard let name = self.client else { return CommandClient(arguments: self.command, name: self.name) }
        guard let client = BuiltInClients.named(name) else {
            throw ValidationError(
                "Unknown client '\(name)'; choose one of \(BuiltInClients.names.joined(separator: ", "))."
            )
        }
        return client
    }

    private func selectedScenarios() throws -> [Scenario] {
        var scenarios = try self.namedScenarios()
        if let limit = self.timeLimit {
            for index in scenarios.indices { scenarios[index].timeLimit = .milliseconds(Int64(limit * 1000)) }
        }
        return scenarios
    }

    private func namedScenarios() throws -> [Scenario] {
        guard let list = self.scenarios else { return Scenario.all }
        return try list.split(separator: ",").map { name in
            let name = name.trimmingSpaces()
            guard let scenario = Scenario.named(name) else {
                throw ValidationError(ScenarioError.unknownScenario(name).description)
            }
            return scenario
        }
    }
}

extension String {
    fileprivate func padding(toWidth width: Int) -> String {
        self.count >= width ? self + " " : self + String(repeating: " ", count: width - self.count)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
