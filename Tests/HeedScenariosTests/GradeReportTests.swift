import Foundation
import HeedScenarios
import Testing

/// The grade matrix renders as text, Markdown and JSON from the same runs.
@Suite struct GradeReportTests {
    private static func run(_ scenario: String, _ verdict: Verdict) -> ScenarioRun {
        ScenarioRun(
            scenario: scenario,
            client: "tool",
            timeLimitMilliseconds: 4000,
            outcome: ClientOutcome(status: nil, succeeded: false, report: "exit 1"),
            peer: PeerRecord(port: 1, timeline: [], connectionsAccepted: 0, requests: []),
            verdict: verdict
        )
    }

    private static let report = GradeReport(
        client: "tool",
        runs: [
            Self.run("early-reject-rst", Verdict(.pass, "got 413")),
            Self.run("reset-mid-body", Verdict(.fail, "reported success | oddly")),
            Self.run("early-reject-large", Verdict(.hang, "no result within 4 s")),
        ]
    )

    /// One text row per scenario and a summary line; colour only when asked.
    @Test func text() {
        let plain = Self.report.text(colour: false)
        #expect(plain.contains("early-reject-rst        PASS  got 413"))
        #expect(plain.contains("early-reject-large      HANG  no result within 4 s"))
        #expect(plain.hasSuffix("tool: 1/3 scenarios passed"))
        #expect(!plain.contains("\u{1B}["))
        #expect(Self.report.text(colour: true).contains("\u{1B}[1;31mFAIL\u{1B}[0m"))
    }

    /// The Markdown table has a row per scenario and keeps pipes out of cells.
    @Test func markdown() {
        let lines = Self.report.markdown().split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[2] == "| `early-reject-rst` | PASS | got 413 |")
        #expect(lines[3] == "| `reset-mid-body` | FAIL | reported success / oddly |")
    }

    /// The JSON output decodes back to the same report.
    @Test func jsonRoundTrip() throws {
        let json = OutputFormat.json(Self.report)
        let decoded = try JSONDecoder().decode(GradeReport.self, from: Data(json.utf8))
        #expect(decoded == Self.report)
    }
}
