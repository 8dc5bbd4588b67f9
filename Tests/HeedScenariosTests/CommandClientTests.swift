import HeedScenarios
import Testing

/// The grader's verdicts for real external commands, including dud clients.
@Suite(.serialized) struct CommandClientTests {
    private static let curl = [
        "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "{method}", "--data-binary", "@{body}", "{url}",
    ]

    /// Placeholders are replaced inside arguments, not only whole ones.
    @Test func placeholders() {
        let client = CommandClient(arguments: ["tool", "-X", "{method}", "@{body}", "{url}"])
        let request = ScenarioRequest(
            url: "http://127.0.0.1:9/upload",
            port: 9,
            method: "POST",
            path: "/upload",
            bodySize: 1,
            bodyFile: "/tmp/body",
            asksToContinue: false,
            start: .now,
            timeLimit: .seconds(1)
        )
        #expect(
            client.expandedArguments(for: request) == ["tool", "-X", "POST", "@/tmp/body", "http://127.0.0.1:9/upload"]
        )
        #expect(client.name == "tool")
    }

    /// `true` prints nothing and exits 0: it passes nothing.
    @Test func trueCommandPassesNothing() async throws {
        let report = try await Grader.grade(CommandClient(arguments: ["true"]))
        #expect(report.runs.count == Scenario.all.count)
        #expect(report.passed == 0)
    }

    /// A command that sends the request and then always exits 1 passes no scenario that needs a response,
    /// and passes the scenarios in which failing is right.
    @Test func alwaysFailingCommandPassesOnlyFailureScenarios() async throws {
        let script = Self.curl.map { "'\($0)'" }.joined(separator: " ") + " >/dev/null 2>&1; exit 1"
        let report = try await Grader.grade(CommandClient(arguments: ["sh", "-c", script], name: "fails"))
        for run in report.runs {
            let scenario = try #require(Scenario.named(run.scenario))
            let expected: Verdict.Grade = scenario.expectation.outcome == .failure ? .pass : .fail
            #expect(run.verdict.grade == expected, "\(run.scenario): \(run.verdict)")
        }
    }

    /// A command that hangs is HANG, stopped (with its children) within the scenario's time limit.
    @Test func hangingCommandIsHang() async throws {
        var scenario = Scenario.earlyRejectRST
        scenario.timeLimit = .milliseconds(800)
        let start = ContinuousClock.now
        let client = CommandClient(arguments: ["sh", "-c", "sleep 30; echo 413"], name: "sleeper")
        let report = try await Grader.grade(client, scenarios: [scenario])
        let elapsed = ContinuousClock.now - start
        #expect(report.runs.first?.verdict == Verdict(.hang, "no result within 800 ms"))
        #expect(elapsed >= .milliseconds(800) && elapsed < .seconds(3))
    }

    /// A command that cannot be started is a FAIL with a clear reason, not a crash.
    @Test func missingCommandFails() async throws {
        let client = CommandClient(arguments: ["/nonexistent/heed-no-such-client"])
        let report = try await Grader.grade(client, scenarios: [.earlyRejectRST])
        let run = try #require(report.runs.first)
        #expect(run.verdict.grade == .fail)
        #expect(run.outcome.report.contains("Could not start"))
    }

    /// curl reads while it sends (and asks with Expect: 100-continue): it gets the early 413.
    @Test func curlGetsTheEarlyRejection() async throws {
        let report = try await Grader.grade(
            CommandClient(arguments: Self.curl),
            scenarios: [.earlyRejectRST, .resetMidBody]
        )
        #expect(report.runs.map(\.verdict.grade) == [.pass, .pass])
        #expect(report.runs.first?.outcome.status == 413)
    }
}
