import HeedScenarios
import Testing

/// `heed repro`'s report: the two-column timeline and the explanation, built from a real run.
@Suite(.serialized) struct ReproReportTests {
    /// The report shows both sides' events in time order, marks the lost response and names the errno's twin.
    @Test func originalStory() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        let report = ReproReport(scenario: .earlyRejectRST, runs: [("naive", run)], colour: false)
        let text = report.render()
        let errno = try #require(run.outcome.errno)
        let twin = try #require(errno.windowsName)
        let order = [
            "listening on 127.0.0.1", "connected to 127.0.0.1", "read the request head: POST /upload",
            "wrote 413 Payload Too Large", "kernel sends RST", "write failed after", "RESPONSE LOST",
            "gave up on the write error", "What happened",
        ]
        var cursor = text.startIndex
        for piece in order {
            let found = try #require(text[cursor...].firstRange(of: piece), "missing or out of order: \(piece)")
            cursor = found.upperBound
        }
        #expect(text.contains(errno.name))
        #expect(text.contains(twin))
        #expect(!text.contains("\u{1B}["))
    }

    /// With colour on, the lost response is painted red; without, no escape codes appear.
    @Test func colourOnlyWhenAsked() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        let coloured = TimelineRenderer(colour: true).render(run)
        #expect(coloured.contains("\u{1B}[1;31m✗ RESPONSE LOST"))
        #expect(!TimelineRenderer(colour: false).render(run).contains("\u{1B}["))
    }

    /// Long texts wrap inside their column.
    @Test func wrapping() {
        let lines = TimelineRenderer.wrap("aaa bbb ccc dddddddddd", width: 7)
        #expect(lines == ["aaa bbb", "ccc", "ddddddd", "ddd"])
    }
}
